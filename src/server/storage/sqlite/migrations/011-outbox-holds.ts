/**
 * Outbox holds (docs/events.md, "In the change's transaction"): an API call's event is inserted inside
 * the transaction of the change it describes with a provisional `detail` and `held_until` set (epoch ms),
 * then completed in one statement once the request's record is known (`detail` final, `held_until` NULL).
 * - Readers (dispatcher, `/events`) read only the `seq` prefix before the first row still held and not
 *   expired, so events leave in the changes' commit order; a hold whose process died is released by
 *   expiry and delivered with its provisional detail.
 * - Only a held row can be updated (its provisional detail refined, then the completion), and never
 *   its identity (seq, event id, account, region, source, detail-type); a released row never changes
 *   and is never held again.
 * - `subject`: the ARN of the resource the event is about, which deliveries are ordered by (not part of
 *   the envelope: a record names its resource in places that vary by operation, or not at all, e.g.
 *   TagResource's `responseElements` is null). NULL for rows from before, and events about nothing.
 * - `outbox_held` indexes the held rows (a partial index: released rows, nearly all of them, are not in it).
 */
export const outboxHolds = `
ALTER TABLE outbox ADD COLUMN held_until INTEGER CHECK (held_until IS NULL OR held_until > 0);
ALTER TABLE outbox ADD COLUMN subject TEXT CHECK (subject IS NULL OR length(subject) > 0);
CREATE INDEX outbox_held ON outbox(seq) WHERE held_until IS NOT NULL;

CREATE TRIGGER outbox_complete_only BEFORE UPDATE ON outbox
WHEN OLD.held_until IS NULL
  OR NEW.seq IS NOT OLD.seq
  OR NEW.event_id IS NOT OLD.event_id
  OR NEW.account_id IS NOT OLD.account_id
  OR NEW.region IS NOT OLD.region
  OR NEW.source IS NOT OLD.source
  OR NEW.detail_type IS NOT OLD.detail_type
BEGIN
  SELECT RAISE(ABORT, 'outbox: only a held event can be updated, and not its identity');
END;
`
