-- Imagery tiles may be stored as JPEG where opaque and PNG at the imagery's edges ('mixed').
ALTER TABLE imagery DROP CONSTRAINT IF EXISTS imagery_tile_format_check;
ALTER TABLE imagery ADD CONSTRAINT imagery_tile_format_check CHECK (tile_format IN ('mixed', 'webp', 'png'));
