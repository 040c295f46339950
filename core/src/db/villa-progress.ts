import type { Queryable } from './pool.js';

export interface VillaProgress {
  category: string;
  total: number;
  /** items whose status has left 'open': the category's action (demolish, confiscate, annotate, permit) was taken */
  done: number;
  byStatus: Record<string, number>;
  floorAreaM2: number;
}

/** Villa items (别墅违建) per 三个一批 category, optionally of one street. */
export async function villaProgress(db: Queryable, street?: string): Promise<VillaProgress[]> {
  const { rows } = await db.query<VillaProgress>(
    `SELECT villa_category AS category, sum(n)::int AS total, sum(n) FILTER (WHERE status <> 'open')::int AS done,
       json_object_agg(status, n) AS "byStatus", round(sum(m2)::numeric, 1) AS "floorAreaM2"
     FROM (SELECT villa_category, status, count(*) AS n, sum(floor_area_m2) AS m2 FROM registry_items
           WHERE villa_category IS NOT NULL AND ($1::text IS NULL OR street_code = $1) GROUP BY 1, 2) c
     GROUP BY villa_category ORDER BY villa_category`,
    [street ?? null],
  );
  return rows.map((r) => ({ ...r, done: r.done ?? 0 }));
}
