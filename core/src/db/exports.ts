import type { ExportFile } from '../monthly-index/build-export.js';
import type { Queryable } from './pool.js';

export type ExportStatus = 'queued' | 'running' | 'done' | 'failed';

export interface ExportRecord {
  id: number;
  kind: 'monthly_index';
  month: string;
  status: ExportStatus;
  files: ExportFile[];
  error: string | null;
  requestedBy: number | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const COLUMNS = `id, kind, month, status, files, error, requested_by AS "requestedBy", created_at AS "createdAt",
  finished_at AS "finishedAt"`;

/**
 * The queued or running export of a month when there is one (so that repeated requests do not pile up),
 * otherwise a new one. Call inside a transaction: the month is locked until it ends.
 */
export async function insertExportUnlessPending(tx: Queryable, month: string, requestedBy: number | null): Promise<{ record: ExportRecord; pending: boolean }> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tuban-export:' || $1))`, [month]);
  const { rows } = await tx.query<ExportRecord>(
    `SELECT ${COLUMNS} FROM exports WHERE month = $1 AND status IN ('queued', 'running') ORDER BY id LIMIT 1`,
    [month],
  );
  if (rows[0]) return { record: rows[0], pending: true };
  return { record: await insertExport(tx, month, requestedBy), pending: false };
}

export async function insertExport(db: Queryable, month: string, requestedBy: number | null): Promise<ExportRecord> {
  const { rows } = await db.query<ExportRecord>(
    `INSERT INTO exports (kind, month, requested_by) VALUES ('monthly_index', $1, $2) RETURNING ${COLUMNS}`,
    [month, requestedBy],
  );
  return rows[0]!;
}

export async function findExport(db: Queryable, id: number): Promise<ExportRecord | undefined> {
  const { rows } = await db.query<ExportRecord>(`SELECT ${COLUMNS} FROM exports WHERE id = $1`, [id]);
  return rows[0];
}

export async function listExports(db: Queryable, limit: number, offset: number): Promise<ExportRecord[]> {
  const { rows } = await db.query<ExportRecord>(`SELECT ${COLUMNS} FROM exports ORDER BY id DESC LIMIT $1 OFFSET $2`, [
    limit,
    offset,
  ]);
  return rows;
}

/** Moves a queued (or retried) export to running; false when it is already done. */
export async function startExport(db: Queryable, id: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE exports SET status = 'running', error = NULL WHERE id = $1 AND status <> 'done'`,
    [id],
  );
  return rowCount === 1;
}

export async function finishExport(db: Queryable, id: number, files: ExportFile[]): Promise<void> {
  await db.query(`UPDATE exports SET status = 'done', files = $2, finished_at = now() WHERE id = $1`, [
    id,
    JSON.stringify(files),
  ]);
}

export async function failExport(db: Queryable, id: number, error: string): Promise<void> {
  await db.query(`UPDATE exports SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [id, error]);
}

/** The export of a month requested by the schedule (requested_by NULL), if one exists already. */
export async function findScheduledExport(db: Queryable, month: string): Promise<ExportRecord | undefined> {
  const { rows } = await db.query<ExportRecord>(
    `SELECT ${COLUMNS} FROM exports WHERE month = $1 AND requested_by IS NULL ORDER BY id LIMIT 1`,
    [month],
  );
  return rows[0];
}
