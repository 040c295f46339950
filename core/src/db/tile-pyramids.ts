import type { Queryable } from './pool.js';

/** The published version of an item's pyramid, or null when none is published. */
export async function findPublishedPyramid(db: Queryable, item: string): Promise<string | null> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM tile_pyramids WHERE item = $1', [item]);
  return rows[0]?.version ?? null;
}

/** Makes `version` the published one; returns the version it replaced (null when none). */
export async function publishPyramid(db: Queryable, item: string, version: string): Promise<string | null> {
  for (;;) {
    // The old version is read under the row lock, so two publishers each learn the version they replaced.
    const updated = await db.query<{ old: string }>(
      `UPDATE tile_pyramids t SET version = $2, published_at = now()
       FROM (SELECT item, version FROM tile_pyramids WHERE item = $1 FOR UPDATE) old
       WHERE t.item = old.item RETURNING old.version AS old`,
      [item, version],
    );
    if (updated.rows[0]) return updated.rows[0].old;
    const inserted = await db.query('INSERT INTO tile_pyramids (item, version) VALUES ($1, $2) ON CONFLICT (item) DO NOTHING', [item, version]);
    if (inserted.rowCount === 1) return null;
  }
}

export async function deletePublishedPyramid(db: Queryable, item: string): Promise<void> {
  await db.query('DELETE FROM tile_pyramids WHERE item = $1', [item]);
}
