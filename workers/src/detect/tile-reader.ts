import type { Queryable } from '@tuban/core/db/pool';
import { imageryItem, type TileStore } from '@tuban/core/tile-store';
import type { TileReader } from './windows.js';

/** Reads imagery tiles from the tile store, in whatever format each item was ingested. */
export function storeTileReader(db: Queryable, store: TileStore): TileReader {
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
  return async (imageryId, z, x, y) => store.get(imageryItem(imageryId), { z, x, y }, await formatOf(imageryId));
}
