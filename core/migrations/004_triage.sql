-- Triage: decisions on candidates flow to street squads as field checks and registry items.

-- The squad's deadline for a field check, set when a candidate is sent for one.
ALTER TABLE candidates ADD COLUMN field_check_due date;

-- The registry item a decision linked or created, so an undo can find it again.
ALTER TABLE candidate_events ADD COLUMN registry_item_id bigint REFERENCES registry_items (id) ON DELETE SET NULL;
-- true for the event that reverses an earlier one; that earlier one is then marked undone
ALTER TABLE candidate_events ADD COLUMN is_undo boolean NOT NULL DEFAULT false;
ALTER TABLE candidate_events ADD COLUMN undone boolean NOT NULL DEFAULT false;
-- true when a decision created the registry item (confirmed), so undo may remove it again
ALTER TABLE candidate_events ADD COLUMN created_item boolean NOT NULL DEFAULT false;
CREATE INDEX candidate_events_actor_idx ON candidate_events (actor_id, at);

-- Case numbers PT-<year>-<6 digits>: one counter per year, taken under a row lock.
CREATE TABLE case_number_counters (
  year integer PRIMARY KEY,
  last integer NOT NULL CHECK (last BETWEEN 0 AND 999999)
);

-- Evidence photos from field checks and dispositions; the file lives under DATA_DIR/photos.
CREATE TABLE photos (
  id               bigserial PRIMARY KEY,
  candidate_id     bigint REFERENCES candidates (id) ON DELETE CASCADE,
  registry_item_id bigint REFERENCES registry_items (id) ON DELETE CASCADE,
  file_name        text NOT NULL,
  stored_path      text NOT NULL UNIQUE,
  mime_type        text NOT NULL,
  size_bytes       bigint NOT NULL CHECK (size_bytes > 0),
  sha256           text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  -- from the form: when and where the phone took it (EXIF is often stripped by mobile browsers)
  taken_at         timestamptz,
  position         geometry(Point, 4326),
  uploaded_by      bigint NOT NULL REFERENCES users (id),
  uploaded_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((candidate_id IS NOT NULL) OR (registry_item_id IS NOT NULL))
);
CREATE INDEX photos_candidate_idx ON photos (candidate_id);
CREATE INDEX photos_registry_item_idx ON photos (registry_item_id);

-- Optional second review of dismissals by junior office users (config TRIAGE_DISMISS_REVIEW).
ALTER TABLE users ADD COLUMN junior boolean NOT NULL DEFAULT false;
-- a dismissal waiting for a second reviewer; it leaves the review queue once approved or sent back
ALTER TABLE candidates ADD COLUMN review_pending boolean NOT NULL DEFAULT false;
ALTER TABLE candidates ADD CONSTRAINT candidates_review_pending_dismissed CHECK (NOT review_pending OR status = 'dismissed');
