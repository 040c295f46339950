-- A failed detection run's reason as a stable code and its values beside the English `error`, so the web
-- app can say it in the user's language (as imagery does since 015).
ALTER TABLE detection_runs
  ADD COLUMN error_code text,
  ADD COLUMN error_params jsonb;
