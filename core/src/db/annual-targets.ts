import type { Queryable } from './pool.js';

export interface AnnualTarget {
  year: number;
  scope: string;
  targetM2: number;
  updatedBy: number;
  updatedAt: Date;
}

const COLUMNS = `year, scope, target_m2 AS "targetM2", updated_by AS "updatedBy", updated_at AS "updatedAt"`;

export async function listAnnualTargets(db: Queryable, year: number): Promise<AnnualTarget[]> {
  const { rows } = await db.query<AnnualTarget>(
    `SELECT ${COLUMNS} FROM annual_targets WHERE year = $1 ORDER BY scope = 'district' DESC, scope`,
    [year],
  );
  return rows;
}

export async function findAnnualTarget(db: Queryable, year: number, scope: string): Promise<AnnualTarget | undefined> {
  const { rows } = await db.query<AnnualTarget>(`SELECT ${COLUMNS} FROM annual_targets WHERE year = $1 AND scope = $2`, [
    year,
    scope,
  ]);
  return rows[0];
}

export async function upsertAnnualTarget(
  db: Queryable,
  t: { year: number; scope: string; targetM2: number; actorId: number },
): Promise<AnnualTarget> {
  const { rows } = await db.query<AnnualTarget>(
    `INSERT INTO annual_targets (year, scope, target_m2, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (year, scope) DO UPDATE SET target_m2 = EXCLUDED.target_m2, updated_by = EXCLUDED.updated_by,
       updated_at = now()
     RETURNING ${COLUMNS}`,
    [t.year, t.scope, t.targetM2, t.actorId],
  );
  return rows[0]!;
}

export async function insertAnnualTargetEvent(
  db: Queryable,
  e: { year: number; scope: string; actorId: number; fromM2: number | null; toM2: number },
): Promise<void> {
  await db.query('INSERT INTO annual_target_events (year, scope, actor_id, from_m2, to_m2) VALUES ($1, $2, $3, $4, $5)', [
    e.year,
    e.scope,
    e.actorId,
    e.fromM2,
    e.toM2,
  ]);
}
