-- Sortie audit trail and upload bookkeeping.

ALTER TABLE flights ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX flights_pilot_idx ON flights (pilot_id, flown_at);
CREATE INDEX flights_flown_idx ON flights (flown_at);

-- Who created or changed a sortie, and what changed (field -> [old, new]).
CREATE TABLE flight_events (
  id        bigserial PRIMARY KEY,
  flight_id bigint NOT NULL REFERENCES flights (id) ON DELETE CASCADE,
  actor_id  bigint NOT NULL REFERENCES users (id),
  at        timestamptz NOT NULL DEFAULT now(),
  action    text NOT NULL CHECK (action IN ('created', 'updated')),
  changes   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX flight_events_flight_idx ON flight_events (flight_id, at);

-- One row per finished tus upload: which imagery it became, or which existing imagery it duplicated.
-- A client whose last response was lost asks here by upload id instead of uploading again.
CREATE TABLE uploads (
  id          text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
  user_id     bigint NOT NULL REFERENCES users (id),
  file_name   text NOT NULL,
  size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
  sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  imagery_id  bigint NOT NULL REFERENCES imagery (id),
  duplicate   boolean NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX uploads_imagery_idx ON uploads (imagery_id);
