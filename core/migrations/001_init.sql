-- Base schema: streets, people, sorties, imagery, detection, candidates, registry, hotspots, exports.
-- Geometry is EPSG:4326; areas are square metres on the spheroid (geography).

CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public;

CREATE TABLE streets (
  code            text PRIMARY KEY CHECK (code ~ '^[0-9]{9}$'),
  name            text NOT NULL UNIQUE,
  kind            text NOT NULL CHECK (kind IN ('subdistrict', 'town')),
  -- 'demo-partition' for generated outlines, otherwise the name of the imported source
  boundary_source text NOT NULL,
  geom            geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  area_m2         double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED
);
CREATE INDEX streets_geom_idx ON streets USING gist (geom);

CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9_.-]{2,64}$'),
  display_name  text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'office', 'squad', 'pilot', 'viewer')),
  street_code   text REFERENCES streets (code),
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  -- a squad works one street; nobody else is bound to one
  CHECK ((role = 'squad') = (street_code IS NOT NULL))
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id           bigserial PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

CREATE TABLE flights (
  id           bigserial PRIMARY KEY,
  pilot_id     bigint NOT NULL REFERENCES users (id),
  drone_model  text NOT NULL,
  flown_at     timestamptz NOT NULL,
  purpose      text NOT NULL CHECK (purpose IN ('routine', 'hotspot', 'complaint', 'campaign')),
  street_codes text[] NOT NULL DEFAULT '{}',
  notes        text NOT NULL DEFAULT '',
  created_by   bigint NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE imagery (
  id          bigserial PRIMARY KEY,
  flight_id   bigint REFERENCES flights (id),
  kind        text NOT NULL CHECK (kind IN ('drone', 'satellite', 'tileset', 'photo')),
  status      text NOT NULL DEFAULT 'uploaded' CHECK (status IN ('uploaded', 'ingesting', 'ready', 'failed')),
  error       text,
  file_name   text NOT NULL,
  sha256      text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes  bigint NOT NULL CHECK (size_bytes >= 0),
  captured_at timestamptz,
  crs         text,
  gsd_m       double precision CHECK (gsd_m > 0),
  width_px    integer,
  height_px   integer,
  bands       jsonb,
  min_zoom    smallint,
  max_zoom    smallint,
  footprint   geometry(MultiPolygon, 4326),
  uploaded_by bigint NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX imagery_footprint_idx ON imagery USING gist (footprint);
CREATE INDEX imagery_captured_idx ON imagery (captured_at);

CREATE TABLE villa_compounds (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  street_code text NOT NULL REFERENCES streets (code),
  geom        geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  area_m2     double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
  created_by  bigint REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX villa_compounds_geom_idx ON villa_compounds USING gist (geom);

CREATE TABLE registry_items (
  id                bigserial PRIMARY KEY,
  case_no           text NOT NULL UNIQUE,
  street_code       text NOT NULL REFERENCES streets (code),
  geom              geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  -- footprint area from the polygon; the recorded floor area can differ (extra storeys)
  footprint_m2      double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
  floor_area_m2     double precision NOT NULL CHECK (floor_area_m2 > 0),
  building_type     text NOT NULL CHECK (building_type IN
                      ('steel_shed', 'rooftop_addition', 'extension', 'courtyard_enclosure', 'standalone', 'villa_extension')),
  origin            text NOT NULL CHECK (origin IN ('stock', 'new')),
  source            text NOT NULL CHECK (source IN
                      ('survey', 'drone', 'satellite', 'complaint_12345', 'patrol', 'city_patch')),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN
                      ('open', 'demolished', 'legalized', 'confiscated', 'annotated')),
  villa_compound_id bigint REFERENCES villa_compounds (id),
  villa_category    text CHECK (villa_category IN ('demolish_confiscate', 'restrict_freeze', 'policy_guidance')),
  address           text NOT NULL DEFAULT '',
  found_on          date NOT NULL,
  deadline          date,
  closed_on         date,
  area_removed_m2   double precision CHECK (area_removed_m2 >= 0),
  notes             text NOT NULL DEFAULT '',
  created_by        bigint NOT NULL REFERENCES users (id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((villa_category IS NULL) OR (villa_compound_id IS NOT NULL)),
  CHECK ((status IN ('demolished', 'legalized', 'confiscated')) = (closed_on IS NOT NULL))
);
CREATE INDEX registry_items_geom_idx ON registry_items USING gist (geom);
CREATE INDEX registry_items_street_status_idx ON registry_items (street_code, status);

CREATE TABLE registry_events (
  id         bigserial PRIMARY KEY,
  item_id    bigint NOT NULL REFERENCES registry_items (id) ON DELETE CASCADE,
  actor_id   bigint NOT NULL REFERENCES users (id),
  at         timestamptz NOT NULL DEFAULT now(),
  action     text NOT NULL,
  from_status text,
  to_status  text,
  note       text NOT NULL DEFAULT '',
  data       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX registry_events_item_idx ON registry_events (item_id, at);

CREATE TABLE detection_runs (
  id                     bigserial PRIMARY KEY,
  after_imagery_id       bigint REFERENCES imagery (id),
  model_name             text NOT NULL,
  model_version          text NOT NULL,
  threshold              double precision NOT NULL CHECK (threshold > 0 AND threshold < 1),
  min_area_m2            double precision NOT NULL CHECK (min_area_m2 >= 0),
  zoom                   smallint NOT NULL CHECK (zoom BETWEEN 0 AND 24),
  status                 text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'running', 'done', 'failed')),
  error                  text,
  tiles_total            integer NOT NULL DEFAULT 0,
  tiles_done             integer NOT NULL DEFAULT 0,
  tiles_without_baseline integer NOT NULL DEFAULT 0,
  created_by             bigint NOT NULL REFERENCES users (id),
  created_at             timestamptz NOT NULL DEFAULT now(),
  started_at             timestamptz,
  finished_at            timestamptz
);

CREATE TABLE candidates (
  id                bigserial PRIMARY KEY,
  run_id            bigint NOT NULL REFERENCES detection_runs (id),
  geom              geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  area_m2           double precision GENERATED ALWAYS AS (ST_Area(geom::geography)) STORED,
  status            text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'confirmed', 'known', 'dismissed', 'field_check')),
  dismiss_reason    text CHECK (dismiss_reason IN ('legal_permit', 'temporary', 'false_positive', 'imagery_problem')),
  score_mean        double precision NOT NULL CHECK (score_mean BETWEEN 0 AND 1),
  score_max         double precision NOT NULL CHECK (score_max BETWEEN 0 AND 1),
  model_version     text NOT NULL,
  street_code       text REFERENCES streets (code),
  villa_compound_id bigint REFERENCES villa_compounds (id),
  registry_item_id  bigint REFERENCES registry_items (id),
  rebuilt           boolean NOT NULL DEFAULT false,
  before_imagery_id bigint REFERENCES imagery (id),
  after_imagery_id  bigint REFERENCES imagery (id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'dismissed') = (dismiss_reason IS NOT NULL))
);
CREATE INDEX candidates_geom_idx ON candidates USING gist (geom);
CREATE INDEX candidates_status_idx ON candidates (status, street_code);

CREATE TABLE candidate_events (
  id           bigserial PRIMARY KEY,
  candidate_id bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  actor_id     bigint NOT NULL REFERENCES users (id),
  at           timestamptz NOT NULL DEFAULT now(),
  from_status  text,
  to_status    text NOT NULL,
  reason       text,
  note         text NOT NULL DEFAULT ''
);
CREATE INDEX candidate_events_candidate_idx ON candidate_events (candidate_id, at);

CREATE TABLE exports (
  id           bigserial PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('monthly_index')),
  month        text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  files        jsonb NOT NULL DEFAULT '[]',
  error        text,
  requested_by bigint REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
