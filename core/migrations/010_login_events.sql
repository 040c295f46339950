-- Every login attempt, for the audit log: who tried, from where, and how it ended.
CREATE TABLE login_events (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  user_id bigint REFERENCES users (id),
  address text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'wrong_password', 'unknown_user', 'locked')),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_events_at ON login_events (at DESC);
CREATE INDEX login_events_username ON login_events (lower(username), at DESC);
