import type { Queryable } from '../db/pool.js';
import { readImageryTile } from './tile-format.js';
import type { TileStore } from './tile-store.js';

/** Reads one encoded tile (JPEG/PNG/WebP) of an imagery item; null where the item has no tile. */
export type TileReader = (imageryId: number, z: number, x: number, y: number) => Promise<Buffer | null>;

/** Reads imagery tiles from the tile store, in whatever format each item was ingested. */
export function imageryTileReader(db: Queryable, store: TileStore): TileReader {
  const formats = new Map<number, Promise<string>>();
  const formatOf = (id: number) => {
    let f = formats.get(id);
    if (!f) {
      f = db
        .query<{ tile_format: string | null }>('SELECT tile_format FROM imagery WHERE id = $1', [id])
        .then(({ rows }) => rows[0]?.tile_format ?? 'webp');
      formats.set(id, f);
    }
    return f;
  };
  return async (imageryId, z, x, y) => (await readImageryTile(store, imageryId, { z, x, y }, await formatOf(imageryId)))?.data ?? null;
}
