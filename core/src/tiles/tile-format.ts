// How imagery tiles are encoded. `mixed` stores a tile that is opaque everywhere as JPEG and a tile with
// transparent pixels (the edge of the imagery) as PNG: JPEG decodes ~3× faster than WebP, which is what
// detection spends most of its time on besides the model, and PNG keeps the edges' transparency exact.
import { imageryItem, type TileKey, type TileStore } from './tile-store.js';

export const TILE_FORMATS = ['mixed', 'webp', 'png'] as const;
export type TileFormat = (typeof TILE_FORMATS)[number];

/** The file extensions a pyramid of this format holds, the most common first. */
export function tileExtensions(format: string): string[] {
  return format === 'mixed' ? ['jpg', 'png'] : [format];
}

/** The extension of the format's tile URLs (a `mixed` pyramid answers `.jpg` URLs with PNG at its edges). */
export function tileUrlExtension(format: string): string {
  return tileExtensions(format)[0]!;
}

const MIME: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export function tileMimeType(ext: string): string {
  const type = MIME[ext];
  if (!type) throw new Error(`unknown tile file extension: ${ext}`);
  return type;
}

/** One stored tile of an imagery item and the extension it was stored under; null where there is none. */
export async function readImageryTile(
  store: TileStore,
  imageryId: number,
  key: TileKey,
  format: string,
): Promise<{ data: Buffer; ext: string } | null> {
  for (const ext of tileExtensions(format)) {
    const data = await store.get(imageryItem(imageryId), key, ext);
    if (data) return { data, ext };
  }
  return null;
}
