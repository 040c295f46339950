-- Annual close-out targets (销项目标, m² of floor area) per street and for the district, with their history,
-- and the indexes the monthly index reads by date.

CREATE TABLE annual_targets (
  year       integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  -- a street code, or 'district' for the whole district
  scope      text NOT NULL CHECK (scope = 'district' OR scope ~ '^[0-9]{9}$'),
  target_m2  double precision NOT NULL CHECK (target_m2 >= 0),
  updated_by bigint NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (year, scope)
);

CREATE TABLE annual_target_events (
  id         bigserial PRIMARY KEY,
  year       integer NOT NULL,
  scope      text NOT NULL,
  actor_id   bigint NOT NULL REFERENCES users (id),
  at         timestamptz NOT NULL DEFAULT now(),
  from_m2    double precision,
  to_m2      double precision NOT NULL
);

CREATE INDEX registry_items_found_on_idx ON registry_items (found_on);
CREATE INDEX registry_items_closed_on_idx ON registry_items (closed_on) WHERE closed_on IS NOT NULL;
-- the index counts only new violations as found or due: stock items (most of the registry) stay out of those scans
CREATE INDEX registry_items_new_found_on_idx ON registry_items (found_on) WHERE origin = 'new';
CREATE INDEX registry_items_new_deadline_idx ON registry_items (deadline) WHERE origin = 'new' AND deadline IS NOT NULL;
CREATE INDEX flights_flown_at_idx ON flights (flown_at);
CREATE INDEX candidate_events_at_idx ON candidate_events (at);
CREATE INDEX registry_events_to_status_idx ON registry_events (to_status, at);
