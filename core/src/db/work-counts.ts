import type { Queryable } from './pool.js';

export interface WorkCounts {
  /** candidates waiting for a squad's field check */
  fieldChecks: number;
  /** of those, past their deadline */
  fieldChecksOverdue: number;
  /** open registry items past their deadline */
  itemsOverdue: number;
}

/**
 * What the header counts for a street (or the district with null): the same rules as the squad's task list,
 * `today` being the Asia/Shanghai date.
 */
export async function workCounts(db: Queryable, street: string | null, today: string): Promise<WorkCounts> {
  const { rows } = await db.query<WorkCounts>(
    `SELECT
       (SELECT count(*)::int FROM candidates WHERE status = 'field_check' AND ($1::text IS NULL OR street_code = $1)) AS "fieldChecks",
       (SELECT count(*)::int FROM candidates WHERE status = 'field_check' AND field_check_due < $2::date
          AND ($1::text IS NULL OR street_code = $1)) AS "fieldChecksOverdue",
       (SELECT count(*)::int FROM registry_items WHERE status = 'open' AND deadline < $2::date
          AND ($1::text IS NULL OR street_code = $1)) AS "itemsOverdue"`,
    [street, today],
  );
  return rows[0]!;
}
