// SQL of the change-model versions (model_versions, 011) and their promotion trail (model_version_events, 012).
import type { Queryable } from './pool.js';

export const MODEL_VERSION_STATUSES = ['candidate', 'active', 'retired'] as const;
export type ModelVersionStatus = (typeof MODEL_VERSION_STATUSES)[number];

export interface ModelVersionRow {
  version: string;
  parentVersion: string | null;
  card: Record<string, unknown>;
  onnxPath: string;
  onnxSha256: string;
  /** Scores keyed by evaluation set, e.g. {"district-validation": {...}, "synthetic": {...}}. */
  metrics: Record<string, Record<string, number>>;
  status: ModelVersionStatus;
  createdBy: string | null;
  createdAt: string;
  promotedBy: string | null;
  promotedAt: string | null;
  hasTrainingManifest: boolean;
}

const COLUMNS = `m.version, m.parent_version AS "parentVersion", m.card, m.onnx_path AS "onnxPath", m.onnx_sha256 AS "onnxSha256",
  m.metrics, m.status, cu.display_name AS "createdBy", to_json(m.created_at)#>>'{}' AS "createdAt",
  pu.display_name AS "promotedBy", to_json(m.promoted_at)#>>'{}' AS "promotedAt",
  m.training_manifest IS NOT NULL AS "hasTrainingManifest"`;
const FROM = `model_versions m LEFT JOIN users cu ON cu.id = m.created_by LEFT JOIN users pu ON pu.id = m.promoted_by`;

/** Every version, the active one first, then the newest. */
export async function listModelVersions(db: Queryable): Promise<ModelVersionRow[]> {
  const { rows } = await db.query<ModelVersionRow>(
    `SELECT ${COLUMNS} FROM ${FROM} ORDER BY m.status = 'active' DESC, m.created_at DESC, m.version DESC`,
  );
  return rows;
}

export async function findModelVersion(db: Queryable, version: string): Promise<ModelVersionRow | undefined> {
  const { rows } = await db.query<ModelVersionRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE m.version = $1`, [version]);
  return rows[0];
}

export async function findActiveModelVersion(db: Queryable): Promise<ModelVersionRow | undefined> {
  const { rows } = await db.query<ModelVersionRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE m.status = 'active'`);
  return rows[0];
}

export interface NewModelVersion {
  version: string;
  parentVersion: string | null;
  card: Record<string, unknown>;
  onnxPath: string;
  onnxSha256: string;
  metrics: Record<string, unknown>;
  createdBy: number | null;
}

/** Adds a version as a candidate; false when that version is already recorded (nothing is changed then). */
export async function insertModelVersion(db: Queryable, v: NewModelVersion): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO model_versions (version, parent_version, card, onnx_path, onnx_sha256, metrics, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (version) DO NOTHING`,
    [v.version, v.parentVersion, JSON.stringify(v.card), v.onnxPath, v.onnxSha256, JSON.stringify(v.metrics), v.createdBy],
  );
  return rowCount === 1;
}

// Any constant works; every process that changes which version is active takes this lock first.
const MODEL_VERSIONS_LOCK_KEY = 740_211_014;

/**
 * One change of the active version at a time, until the caller's transaction ends (an advisory lock, so two
 * processes registering the shipped model into an empty table wait for each other too); returns every version
 * with its status as committed before.
 */
export async function lockModelVersions(db: Queryable): Promise<{ version: string; status: ModelVersionStatus }[]> {
  await db.query('SELECT pg_advisory_xact_lock($1)', [MODEL_VERSIONS_LOCK_KEY]);
  const { rows } = await db.query<{ version: string; status: ModelVersionStatus }>(
    'SELECT version, status FROM model_versions ORDER BY version FOR UPDATE',
  );
  return rows;
}

/** Makes `version` the active one, retiring the one active before; in the caller's transaction. */
export async function setActiveModelVersion(db: Queryable, version: string, actorId: number | null): Promise<void> {
  await db.query(`UPDATE model_versions SET status = 'retired' WHERE status = 'active' AND version <> $1`, [version]);
  await db.query(
    `UPDATE model_versions SET status = 'active', promoted_by = $2, promoted_at = now() WHERE version = $1`,
    [version, actorId],
  );
}

export type ModelVersionAction = 'registered' | 'promoted' | 'rolled_back';

export async function insertModelVersionEvent(
  db: Queryable,
  e: { action: ModelVersionAction; version: string; previousVersion: string | null; actorId: number | null; note?: string },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO model_version_events (action, version, previous_version, actor_id, note) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [e.action, e.version, e.previousVersion, e.actorId, e.note ?? ''],
  );
  return rows[0]!.id;
}

export interface ModelVersionEvent {
  id: number;
  action: ModelVersionAction;
  version: string;
  previousVersion: string | null;
  actorName: string | null;
  at: string;
  note: string;
}

/** The promotion trail, newest first. */
export async function modelVersionEvents(db: Queryable, limit = 100): Promise<ModelVersionEvent[]> {
  const { rows } = await db.query<ModelVersionEvent>(
    `SELECT e.id, e.action, e.version, e.previous_version AS "previousVersion", u.display_name AS "actorName",
       to_json(e.at)#>>'{}' AS at, e.note
     FROM model_version_events e LEFT JOIN users u ON u.id = e.actor_id ORDER BY e.at DESC, e.id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

/**
 * The promotion (or first registration) that made `version` active; its previous version is what a rollback
 * returns to. Rollbacks themselves are skipped, so rolling back twice walks further back instead of swinging.
 */
export async function lastPromotion(db: Queryable, version: string): Promise<ModelVersionEvent | undefined> {
  const { rows } = await db.query<ModelVersionEvent>(
    `SELECT e.id, e.action, e.version, e.previous_version AS "previousVersion", NULL AS "actorName",
       to_json(e.at)#>>'{}' AS at, e.note
     FROM model_version_events e WHERE e.version = $1 AND e.action IN ('promoted', 'registered')
     ORDER BY e.at DESC, e.id DESC LIMIT 1`,
    [version],
  );
  return rows[0];
}
