-- Which version of an item's tile pyramid is published in an object store (S3): tiles are written under a
-- fresh version prefix and this row is switched in one statement, so a reader never sees half a pyramid.
-- The local folder store publishes by renaming its folder and keeps no row here.
CREATE TABLE tile_pyramids (
  item text PRIMARY KEY,
  version text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);
