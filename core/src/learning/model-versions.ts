// Change-model versions in the product: the shipped model is registered and made active when no version is,
// an admin promotes a trained candidate or rolls back to the version active before, and detection asks for the
// active version at the start of each run. Nothing is promoted automatically.
import { isAbsolute, relative } from 'node:path';
import type { ModelInfo } from '../change/change-model.js';
import { checkModelCard, DEFAULT_MODEL_PATH, readModelCard, type ModelCard } from '../change/model-card.js';
import {
  findActiveModelVersion,
  findModelVersion,
  insertModelVersion,
  insertModelVersionEvent,
  lastPromotion,
  lockModelVersions,
  setActiveModelVersion,
  type ModelVersionRow,
} from '../db/model-versions.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { User } from '../db/users.js';
import { Conflict, DomainError, Forbidden, NotFound, Unavailable } from '../errors.js';
import { REPO_ROOT, sha256OfFile, verifiedModelFile, type ModelFiles } from './model-files.js';

/** A card's measured scores as model_versions keeps them: the model's scores per evaluation set. */
export function cardMetrics(card: ModelCard): Record<string, Record<string, number>> {
  const sets = (card.metrics ?? {}) as Record<string, { model?: Record<string, number> }>;
  const out: Record<string, Record<string, number>> = {};
  for (const [name, set] of Object.entries(sets)) {
    if (set && typeof set === 'object' && set.model) out[name === 'syntheticTest' ? 'synthetic' : name] = set.model;
  }
  return out;
}

/**
 * Records the shipped model (by default models/change-detection/tuban-change.onnx) as a version, once, and makes
 * it active when no version is. Safe to call from every process at every start.
 */
export async function registerShippedModel(pool: Pool, modelPath = DEFAULT_MODEL_PATH): Promise<ModelVersionRow> {
  const card = await readModelCard(modelPath);
  const sha = await sha256OfFile(modelPath);
  const inRepo = relative(REPO_ROOT, modelPath);
  const onnxPath = inRepo.startsWith('..') || isAbsolute(inRepo) ? modelPath : inRepo;
  await withTransaction(pool, async (client) => {
    const versions = await lockModelVersions(client);
    const active = versions.find((v) => v.status === 'active');
    const added = await insertModelVersion(client, {
      version: card.version, parentVersion: null, card, onnxPath, onnxSha256: sha, metrics: cardMetrics(card), createdBy: null,
    });
    if (!active) await setActiveModelVersion(client, card.version, null);
    if (added || !active) {
      await insertModelVersionEvent(client, {
        action: 'registered', version: card.version, previousVersion: null, actorId: null,
      });
    }
  });
  return (await findModelVersion(pool, card.version))!;
}

/** The version detection uses now; the shipped model is registered (and made active) on first use. */
export async function activeModelVersion(pool: Pool, shippedPath = DEFAULT_MODEL_PATH): Promise<ModelVersionRow> {
  return (await findActiveModelVersion(pool)) ?? (await registerShippedModel(pool, shippedPath));
}

/**
 * What detection runs are planned for: the active version's card, looked up at each call, so a promotion takes
 * effect at the next run. A missing model answers Unavailable, naming the problem.
 */
export function activeModelInfo(pool: Pool, shippedPath = DEFAULT_MODEL_PATH): () => Promise<ModelInfo> {
  return async () => {
    try {
      return modelVersionInfo(await activeModelVersion(pool, shippedPath));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw new Unavailable(`no change model is available: ${(err as Error).message}`);
    }
  };
}

/** A version's card facts, as planning stores them on a run (the version is the row's). */
export function modelVersionInfo(row: ModelVersionRow): ModelInfo {
  const card = checkModelCard(row.card, `the card of model version ${row.version}`);
  return { name: card.name, version: row.version, threshold: card.defaultThreshold, metresPerPixel: card.metresPerPixel, gsdRange: card.gsdRange };
}

export interface Activation {
  version: string;
  previousVersion: string | null;
  eventId: number;
}

function assertAdmin(user: User, what: string): void {
  if (user.role !== 'admin') throw new Forbidden(`only an admin may ${what} a model version`);
}

/** Makes a candidate (or retired) version active and retires the active one, in one audited transaction. */
export async function promoteModelVersion(pool: Pool, user: User, version: string, files: ModelFiles, note = ''): Promise<Activation> {
  assertAdmin(user, 'promote');
  const row = await findModelVersion(pool, version);
  if (!row) throw new NotFound(`no model version ${version}`);
  await verifiedModelFile(row, files);
  modelVersionInfo(row);
  return withTransaction(pool, async (client) => {
    const versions = await lockModelVersions(client);
    const target = versions.find((v) => v.version === version)!;
    if (target.status === 'active') throw new Conflict(`model version ${version} is already active`);
    const previous = versions.find((v) => v.status === 'active')?.version ?? null;
    await setActiveModelVersion(client, version, user.id);
    const eventId = await insertModelVersionEvent(client, { action: 'promoted', version, previousVersion: previous, actorId: user.id, note });
    return { version, previousVersion: previous, eventId };
  });
}

/** Re-activates the version that was active before the active one was promoted; the active one is retired. */
export async function rollbackModelVersion(pool: Pool, user: User, files: ModelFiles, note = ''): Promise<Activation> {
  assertAdmin(user, 'roll back');
  return withTransaction(pool, async (client) => {
    const versions = await lockModelVersions(client);
    const active = versions.find((v) => v.status === 'active')?.version;
    if (!active) throw new Conflict('no model version is active, so there is nothing to roll back');
    const back = (await lastPromotion(client, active))?.previousVersion;
    if (!back) throw new Conflict(`model version ${active} replaced no earlier version; there is nothing to roll back to`);
    await verifiedModelFile((await findModelVersion(client, back))!, files);
    await setActiveModelVersion(client, back, user.id);
    const eventId = await insertModelVersionEvent(client, { action: 'rolled_back', version: back, previousVersion: active, actorId: user.id, note });
    return { version: back, previousVersion: active, eventId };
  });
}
