/**
 * Outbox retention (`events.retentionDays`): delivered events are deleted once old enough, but not one a
 * dead letter still names. This index makes that check a lookup instead of a scan of the dead letters.
 * `outbox.seq` is AUTOINCREMENT (migration 007), so deleting the newest events never lets a seq be
 * used again: cursors (the dispatcher's, streams' Last-Event-ID) stay valid.
 */
export const outboxRetention = `
CREATE INDEX events_dead_letters_seq ON events_dead_letters(seq);
`
