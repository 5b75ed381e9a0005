/**
 * Delivery queue heads. Deliveries of one (rule, target, order key) go one at a time, in `seq` order,
 * so only the first pending delivery of each can be due. `head` = 1 marks exactly that row, kept by
 * triggers: an inserted row is the head when nothing earlier of its key is pending (and an earlier
 * insert, which dispatch never makes, takes the mark from a later head); deleting a head (delivered, or
 * moved to the dead letters) passes the mark to the next row of its key. `events_deliveries_heads`
 * indexes the heads only, so finding due deliveries reads one row per queue however long the queues
 * are (without it, a hot secret's backlog was rescanned on every wake).
 */
export const deliveryHeads = `
ALTER TABLE events_deliveries ADD COLUMN head INTEGER NOT NULL DEFAULT 0 CHECK (head IN (0, 1));
UPDATE events_deliveries SET head = 1 WHERE NOT EXISTS (
  SELECT 1 FROM events_deliveries p
  WHERE p.rule_arn = events_deliveries.rule_arn AND p.target_id = events_deliveries.target_id
    AND p.order_key = events_deliveries.order_key AND p.seq < events_deliveries.seq);
CREATE INDEX events_deliveries_heads ON events_deliveries(seq) WHERE head = 1;

CREATE TRIGGER events_deliveries_head_insert AFTER INSERT ON events_deliveries
BEGIN
  UPDATE events_deliveries SET head = 0
  WHERE head = 1 AND rule_arn = NEW.rule_arn AND target_id = NEW.target_id
    AND order_key = NEW.order_key AND seq > NEW.seq;
  UPDATE events_deliveries SET head = 1
  WHERE id = NEW.id AND NOT EXISTS (
    SELECT 1 FROM events_deliveries p
    WHERE p.rule_arn = NEW.rule_arn AND p.target_id = NEW.target_id AND p.order_key = NEW.order_key
      AND p.seq < NEW.seq);
END;

CREATE TRIGGER events_deliveries_head_delete AFTER DELETE ON events_deliveries WHEN OLD.head = 1
BEGIN
  UPDATE events_deliveries SET head = 1
  WHERE id = (
    SELECT id FROM events_deliveries
    WHERE rule_arn = OLD.rule_arn AND target_id = OLD.target_id AND order_key = OLD.order_key
    ORDER BY seq LIMIT 1);
END;

CREATE TRIGGER events_deliveries_queue_fixed BEFORE UPDATE OF seq, rule_arn, target_id, order_key
ON events_deliveries
BEGIN
  SELECT RAISE(ABORT, 'events_deliveries: a delivery keeps its place in its queue');
END;
`
