-- Evidence photos (kind 'photo'): raw drone JPEGs kept with where and how they were taken. They have a
-- position instead of a footprint and no tile pyramid. altitude_ref says what altitude_m is measured from:
-- 'takeoff' (DJI's relative altitude) or 'gps' (EXIF GPSAltitude as written, which older drones fill with
-- the height above take-off while labelling it sea level).
ALTER TABLE imagery
  ADD COLUMN position     geometry(Point, 4326),
  ADD COLUMN altitude_m   double precision,
  ADD COLUMN altitude_ref text CHECK (altitude_ref IN ('takeoff', 'gps')),
  ADD COLUMN camera       text,
  ADD COLUMN yaw_deg      double precision CHECK (yaw_deg >= -180 AND yaw_deg <= 360),
  ADD COLUMN pitch_deg    double precision CHECK (pitch_deg >= -90 AND pitch_deg <= 90);
CREATE INDEX imagery_position_idx ON imagery USING gist (position) WHERE position IS NOT NULL;
