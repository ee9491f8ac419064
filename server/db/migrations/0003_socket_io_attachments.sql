-- Payloads over NOTIFY's 8000-byte limit, for @socket.io/postgres-adapter (it deletes old rows itself).
CREATE TABLE IF NOT EXISTS "socket_io_attachments" (
  "id" bigserial UNIQUE,
  "created_at" timestamptz DEFAULT now(),
  "payload" bytea
);
