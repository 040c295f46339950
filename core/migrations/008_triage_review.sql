-- Optional second review of dismissals by junior office users (config TRIAGE_DISMISS_REVIEW).
ALTER TABLE users ADD COLUMN junior boolean NOT NULL DEFAULT false;
-- a dismissal waiting for a second reviewer; it leaves the review queue once approved or sent back
ALTER TABLE candidates ADD COLUMN review_pending boolean NOT NULL DEFAULT false;
ALTER TABLE candidates ADD CONSTRAINT candidates_review_pending_dismissed CHECK (NOT review_pending OR status = 'dismissed');
