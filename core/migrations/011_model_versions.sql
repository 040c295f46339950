-- Change-model versions: the shipped one and every one trained from the office's decisions. Nothing is
-- promoted automatically; at most one version is active, and detection runs use it.
CREATE TABLE model_versions (
  version           text PRIMARY KEY CHECK (version ~ '^[0-9A-Za-z.+_-]{1,64}$'),
  parent_version    text REFERENCES model_versions (version),
  -- the model card as written next to the ONNX file
  card              jsonb NOT NULL,
  -- where the ONNX file lies: relative to DATA_DIR for trained versions, to the repository for shipped ones
  onnx_path         text NOT NULL,
  onnx_sha256       text NOT NULL CHECK (onnx_sha256 ~ '^[0-9a-f]{64}$'),
  -- the manifest of the training set it was fine-tuned on (NULL for shipped versions)
  training_manifest jsonb,
  -- scores keyed by evaluation set, e.g. {"district-validation": {...}, "synthetic": {...}}
  metrics           jsonb NOT NULL DEFAULT '{}',
  status            text NOT NULL DEFAULT 'candidate' CHECK (status IN ('candidate', 'active', 'retired')),
  created_by        bigint REFERENCES users (id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  promoted_by       bigint REFERENCES users (id),
  promoted_at       timestamptz
);
CREATE UNIQUE INDEX model_versions_one_active ON model_versions ((true)) WHERE status = 'active';
