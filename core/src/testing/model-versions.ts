// A trained model version for tests, laid out as the trainer writes one: a copy of the shipped ONNX model under
// models/<version>/ of the object store (a folder: DATA_DIR) with its card, recorded as a candidate fine-tuned
// from the shipped version.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DEFAULT_MODEL_PATH, readModelCard } from '../change/model-card.js';
import { insertModelVersion } from '../db/model-versions.js';
import type { Pool } from '../db/pool.js';
import { registerShippedModel } from '../learning/model-versions.js';
import { LocalObjectStore } from '../storage/local-object-store.js';
import type { ObjectStore } from '../storage/object-store.js';

export interface TestModelVersion {
  version: string;
  /** default: the shipped model's version */
  parentVersion?: string;
  metrics?: Record<string, Record<string, number>>;
  createdBy?: number | null;
}

/** Registers the shipped model first (the new version's parent), as the server does at its start. */
export async function addTestModelVersion(db: Pool, store: string | ObjectStore, v: TestModelVersion): Promise<void> {
  const objects = typeof store === 'string' ? new LocalObjectStore(store) : store;
  await registerShippedModel(db);
  const shipped = await readModelCard(DEFAULT_MODEL_PATH);
  const onnxPath = `models/${v.version}/tuban-change.onnx`;
  const onnx = await readFile(DEFAULT_MODEL_PATH);
  await objects.put(onnxPath, onnx);
  const card = { ...shipped, version: v.version };
  await objects.put(`models/${v.version}/tuban-change.card.json`, Buffer.from(JSON.stringify(card, null, 2)));
  await insertModelVersion(db, {
    version: v.version,
    parentVersion: v.parentVersion ?? shipped.version,
    card,
    onnxPath,
    onnxSha256: createHash('sha256').update(onnx).digest('hex'),
    metrics: v.metrics ?? {},
    createdBy: v.createdBy ?? null,
  });
}
