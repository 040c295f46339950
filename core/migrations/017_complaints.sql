-- 12345 hotline complaints about illegal building: imported from the hotline's exports, placed on the map,
-- dispatched to a street squad and closed as true (属实, linked to a registry case) or untrue (不属实).

CREATE TABLE complaints (
  id               bigserial PRIMARY KEY,
  -- the hotline's work-order number (工单编号): importing the same number again adds nothing
  number           text NOT NULL UNIQUE CHECK (length(number) BETWEEN 1 AND 64),
  received_at      timestamptz NOT NULL,
  address          text NOT NULL DEFAULT '',
  content          text NOT NULL,
  -- the hotline's deadline (办理时限), a Shanghai calendar day
  deadline         date,
  -- the coordinates as the hotline gave them, and which datum they were read in
  reported_lon     double precision,
  reported_lat     double precision,
  reported_crs     text CHECK (reported_crs IN ('wgs84', 'gcj02')),
  -- where the complaint is, in WGS84, and how that was decided
  position         geometry(Point, 4326),
  placed_by        text CHECK (placed_by IN ('coordinates', 'registry_address', 'map')),
  street_code      text REFERENCES streets (code),
  status           text NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'placed', 'dispatched', 'true', 'untrue')),
  dispatched_at    timestamptz,
  -- for 属实: a new violation (a registry item created for it) or one already in the registry
  violation        text CHECK (violation IN ('new', 'existing')),
  registry_item_id bigint REFERENCES registry_items (id),
  untrue_reason    text CHECK (untrue_reason IN ('no_violation', 'legal_permit', 'already_handled', 'not_found', 'other')),
  reply            text,
  closed_at        timestamptz,
  source_file      text NOT NULL DEFAULT '',
  created_by       bigint NOT NULL REFERENCES users (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((position IS NULL) = (placed_by IS NULL)),
  CHECK ((status = 'received') = (position IS NULL)),
  CHECK (status <> 'dispatched' OR (dispatched_at IS NOT NULL AND street_code IS NOT NULL)),
  CHECK ((status = 'true') = (violation IS NOT NULL AND registry_item_id IS NOT NULL)),
  CHECK ((status = 'untrue') = (untrue_reason IS NOT NULL)),
  CHECK ((status IN ('true', 'untrue')) = (closed_at IS NOT NULL AND reply IS NOT NULL))
);
CREATE INDEX complaints_position_idx ON complaints USING gist (position);
CREATE INDEX complaints_status_street_idx ON complaints (status, street_code);
CREATE INDEX complaints_received_idx ON complaints (received_at);
CREATE INDEX complaints_closed_idx ON complaints (closed_at);
CREATE INDEX complaints_deadline_idx ON complaints (deadline);

-- Every change to a complaint, as candidate_events are for candidates: who, when, from, to, note.
CREATE TABLE complaint_events (
  id           bigserial PRIMARY KEY,
  complaint_id bigint NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
  actor_id     bigint NOT NULL REFERENCES users (id),
  at           timestamptz NOT NULL DEFAULT now(),
  action       text NOT NULL CHECK (action IN ('imported', 'placed', 'dispatched', 'closed')),
  from_status  text,
  to_status    text NOT NULL,
  note         text NOT NULL DEFAULT '',
  data         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX complaint_events_complaint_idx ON complaint_events (complaint_id, at);
