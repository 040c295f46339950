-- What a pilot is told about an imagery item, in words the web app chooses: a failed ingest's stable code
-- and values beside the English `error`; why automatic detection did not run for it; and imagery that lies
-- outside the district, which is kept but not detected until an admin accepts it.
ALTER TABLE imagery
  ADD COLUMN error_code text,
  ADD COLUMN error_params jsonb,
  -- the automatic detection's refusal (e.g. detection_gsd_out_of_range), cleared when a run is planned
  ADD COLUMN detection_error text,
  ADD COLUMN detection_error_code text,
  ADD COLUMN detection_error_params jsonb,
  -- metres from the district's streets to the footprint; NULL when it touches the district (or is unknown)
  ADD COLUMN outside_district_m double precision CHECK (outside_district_m > 0),
  ADD COLUMN accepted_by bigint REFERENCES users (id),
  ADD COLUMN accepted_at timestamptz,
  ADD CHECK ((accepted_by IS NULL) = (accepted_at IS NULL));
