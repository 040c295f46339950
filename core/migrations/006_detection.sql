-- Detection runs: the planned tile pairs, the polygons each batch found, and what the merge made of them.

ALTER TABLE detection_runs ADD COLUMN batch_size integer NOT NULL DEFAULT 16 CHECK (batch_size > 0);
ALTER TABLE detection_runs ADD COLUMN villa_min_area_m2 double precision NOT NULL DEFAULT 4 CHECK (villa_min_area_m2 >= 0);
ALTER TABLE detection_runs ADD COLUMN margin_px integer NOT NULL DEFAULT 32 CHECK (margin_px >= 0);
ALTER TABLE detection_runs ADD COLUMN batches_total integer NOT NULL DEFAULT 0;
ALTER TABLE detection_runs ADD COLUMN candidates_found integer;
-- seconds spent per stage (plan, read, infer, vectorise, merge), summed over batches
ALTER TABLE detection_runs ADD COLUMN timings jsonb NOT NULL DEFAULT '{}';

-- One row per tile of the after imagery at the run's zoom; before_imagery_id NULL = no baseline there.
CREATE TABLE detection_tiles (
  run_id            bigint NOT NULL REFERENCES detection_runs (id) ON DELETE CASCADE,
  x                 integer NOT NULL,
  y                 integer NOT NULL,
  before_imagery_id bigint REFERENCES imagery (id),
  batch_no          integer,
  done              boolean NOT NULL DEFAULT false,
  PRIMARY KEY (run_id, x, y)
);
CREATE INDEX detection_tiles_batch_idx ON detection_tiles (run_id, batch_no);

-- Polygons found in one tile, before merging across tile borders. A batch replaces its rows as a
-- whole, so a retried batch never doubles them.
CREATE TABLE candidate_parts (
  id        bigserial PRIMARY KEY,
  run_id    bigint NOT NULL REFERENCES detection_runs (id) ON DELETE CASCADE,
  batch_no  integer NOT NULL,
  geom      geometry(Polygon, 4326) NOT NULL,
  pixels    integer NOT NULL CHECK (pixels > 0),
  score_sum double precision NOT NULL CHECK (score_sum >= 0),
  score_max double precision NOT NULL CHECK (score_max BETWEEN 0 AND 1),
  before_imagery_id bigint NOT NULL REFERENCES imagery (id)
);
CREATE INDEX candidate_parts_run_idx ON candidate_parts (run_id, batch_no);

-- A candidate that repeats an earlier decision at the same place points to it.
ALTER TABLE candidates ADD COLUMN previous_candidate_id bigint REFERENCES candidates (id);
