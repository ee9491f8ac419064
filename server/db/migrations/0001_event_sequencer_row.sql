-- The sequencer's single row: the last sequence number handed out to a committed event.
INSERT INTO "event_sequencer" ("id", "last_seq") VALUES (1, 0) ON CONFLICT ("id") DO NOTHING;
