// A trained model version for tests, laid out as the trainer writes one: a copy of the shipped ONNX model under
// DATA_DIR/models/<version>/ with its card, recorded as a candidate fine-tuned from the shipped version.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_MODEL_PATH, readModelCard } from '../change/model-card.js';
import { insertModelVersion } from '../db/model-versions.js';
import type { Pool } from '../db/pool.js';
import { registerShippedModel, sha256OfFile } from '../learning/model-versions.js';

export interface TestModelVersion {
  version: string;
  /** default: the shipped model's version */
  parentVersion?: string;
  metrics?: Record<string, Record<string, number>>;
  createdBy?: number | null;
}

/** Registers the shipped model first (the new version's parent), as the server does at its start. */
export async function addTestModelVersion(db: Pool, dataDir: string, v: TestModelVersion): Promise<void> {
  await registerShippedModel(db);
  const shipped = await readModelCard(DEFAULT_MODEL_PATH);
  const onnxPath = join('models', v.version, 'tuban-change.onnx');
  await mkdir(join(dataDir, 'models', v.version), { recursive: true });
  await copyFile(DEFAULT_MODEL_PATH, join(dataDir, onnxPath));
  const card = { ...shipped, version: v.version };
  await writeFile(join(dataDir, 'models', v.version, 'tuban-change.card.json'), JSON.stringify(card, null, 2));
  await insertModelVersion(db, {
    version: v.version,
    parentVersion: v.parentVersion ?? shipped.version,
    card,
    onnxPath,
    onnxSha256: await sha256OfFile(join(dataDir, onnxPath)),
    metrics: v.metrics ?? {},
    createdBy: v.createdBy ?? null,
  });
}
