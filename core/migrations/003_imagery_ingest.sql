-- What the ingest records beyond the base imagery columns: the raster's full extent (the footprint is only
-- its valid pixels), how the pyramid was encoded, how many tiles it holds, and when ingest finished.

ALTER TABLE imagery
  ADD COLUMN extent      geometry(Polygon, 4326),
  ADD COLUMN tile_format text CHECK (tile_format IN ('webp', 'png')),
  ADD COLUMN tile_count  integer CHECK (tile_count >= 0),
  ADD COLUMN ingested_at timestamptz;
CREATE INDEX imagery_status_idx ON imagery (status);
