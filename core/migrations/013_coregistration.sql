-- Co-registration before inference: whether a run aligns each before window onto its after window, the shift
-- estimated for each tile, and the run's summary of them (median and largest shift, low-confidence share).

-- Runs made before this migration were not co-registered; new ones are unless planned otherwise.
ALTER TABLE detection_runs ADD COLUMN coregister boolean NOT NULL DEFAULT false;
ALTER TABLE detection_runs ALTER COLUMN coregister SET DEFAULT true;
-- {windows, applied, lowConfidence, lowConfidenceShare, clamped, medianShiftPx, maxShiftPx, metresPerPixel, largest: [...]}
-- written when the run's batches are merged; NULL before that and for runs that do not co-register.
ALTER TABLE detection_runs ADD COLUMN coregistration jsonb;

-- {dx, dy, confidence, trusted, clamped, applied, borrowed} of the tile's window, in pixels at the run's zoom; written by its batch.
ALTER TABLE detection_tiles ADD COLUMN shift jsonb;
