-- Learning from the office's decisions: buildings the office draws by hand, outline corrections kept in the
-- audit trail, and the audit trail of model promotions.

-- Where a candidate comes from: a detection run, or a person who drew a building the model missed. A drawn one
-- belongs to no run and no model version.
ALTER TABLE candidates ADD COLUMN source text NOT NULL DEFAULT 'detection' CHECK (source IN ('detection', 'manual'));
ALTER TABLE candidates ALTER COLUMN run_id DROP NOT NULL;
ALTER TABLE candidates ALTER COLUMN model_version DROP NOT NULL;
ALTER TABLE candidates ADD CONSTRAINT candidates_source_run
  CHECK ((source = 'detection') = (run_id IS NOT NULL) AND (source = 'detection') = (model_version IS NOT NULL));

-- What an event records: a status decision, an outline correction (the outline before it is kept here), or a
-- building drawn by hand. Only decisions can be undone.
ALTER TABLE candidate_events ADD COLUMN kind text NOT NULL DEFAULT 'decision' CHECK (kind IN ('decision', 'outline', 'drawn'));
ALTER TABLE candidate_events ADD COLUMN previous_geom geometry(MultiPolygon, 4326);
ALTER TABLE candidate_events ADD CONSTRAINT candidate_events_outline_geom CHECK ((kind = 'outline') = (previous_geom IS NOT NULL));

-- Every promotion and rollback of a change-model version: who, when, which version became active and which
-- one it replaced (what a rollback goes back to).
CREATE TABLE model_version_events (
  id               bigserial PRIMARY KEY,
  action           text NOT NULL CHECK (action IN ('registered', 'promoted', 'rolled_back')),
  version          text NOT NULL REFERENCES model_versions (version),
  previous_version text REFERENCES model_versions (version),
  actor_id         bigint REFERENCES users (id),
  at               timestamptz NOT NULL DEFAULT now(),
  note             text NOT NULL DEFAULT ''
);
CREATE INDEX model_version_events_at_idx ON model_version_events (at, id);

-- Drills: decided candidates replayed to a trainee (before/after only), each answer scored against the office's
-- decision. Drills only read candidates; nothing here refers back into a real case's state.
CREATE TABLE drill_sessions (
  id          bigserial PRIMARY KEY,
  trainee_id  bigint NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX drill_sessions_trainee_idx ON drill_sessions (trainee_id, created_at);

CREATE TABLE drill_items (
  session_id   bigint NOT NULL REFERENCES drill_sessions (id) ON DELETE CASCADE,
  position     integer NOT NULL CHECK (position >= 1),
  candidate_id bigint NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  -- the label of the office's decision when the drill was made (labelOf in core/src/learning/labels.ts)
  expected     text NOT NULL CHECK (expected IN ('change', 'no_change')),
  answer       text CHECK (answer IN ('change', 'no_change')),
  answered_at  timestamptz,
  PRIMARY KEY (session_id, position),
  CHECK ((answer IS NULL) = (answered_at IS NULL))
);
