import sharp from 'sharp';
import { TILE_SIZE } from '@tuban/core/geo/tiles';

import type { TileReader } from '@tuban/core/imagery-tile-reader';

/** Decodes tiles once per batch: neighbouring tiles share their borders' context. */
export class TileCache {
  private readonly cache = new Map<string, Promise<Uint8Array | null>>();

  constructor(private readonly read: TileReader) {}

  get(imageryId: number, z: number, x: number, y: number): Promise<Uint8Array | null> {
    const key = `${imageryId}/${z}/${x}/${y}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.read(imageryId, z, x, y).then((buf) => (buf ? decodeTile(buf) : null));
      this.cache.set(key, hit);
    }
    return hit;
  }
}

async function decodeTile(buf: Buffer): Promise<Uint8Array> {
  const { data, info } = await sharp(buf).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== TILE_SIZE || info.height !== TILE_SIZE) {
    throw new Error(`tile is ${info.width}×${info.height}, expected ${TILE_SIZE}×${TILE_SIZE}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/**
 * The RGB window of a tile plus `margin` pixels of its neighbours, as planar float32 in [0, 1], and a
 * validity mask (false where the imagery has no data: transparent or a missing neighbour).
 */
export async function readWindow(
  cache: TileCache,
  imageryId: number,
  z: number,
  x: number,
  y: number,
  margin: number,
): Promise<{ planes: Float32Array; valid: Uint8Array; size: number }> {
  const size = TILE_SIZE + 2 * margin;
  const planes = new Float32Array(3 * size * size);
  const valid = new Uint8Array(size * size);
  const reach = Math.ceil(margin / TILE_SIZE);
  const offsets: [number, number][] = [];
  for (let dy = -reach; dy <= reach; dy++) for (let dx = -reach; dx <= reach; dx++) offsets.push([dx, dy]);
  // Decoding runs on libuv's threads: ask for all neighbours at once.
  const decoded = await Promise.all(offsets.map(([dx, dy]) => cache.get(imageryId, z, x + dx, y + dy)));
  const scale = 1 / 255;
  for (const [k, [dx, dy]] of offsets.entries()) {
    const rgba = decoded[k];
    if (!rgba) continue;
    // Window pixel (wx, wy) shows tile pixel (wx - margin - dx*256, wy - margin - dy*256).
    const offX = margin + dx * TILE_SIZE;
    const offY = margin + dy * TILE_SIZE;
    const x0 = Math.max(0, offX);
    const x1 = Math.min(size, offX + TILE_SIZE);
    const y0 = Math.max(0, offY);
    const y1 = Math.min(size, offY + TILE_SIZE);
    for (let wy = y0; wy < y1; wy++) {
      let src = ((wy - offY) * TILE_SIZE + (x0 - offX)) * 4;
      for (let dst = wy * size + x0, end = wy * size + x1; dst < end; dst++, src += 4) {
        if (rgba[src + 3]! < 128) continue;
        valid[dst] = 1;
        planes[dst] = rgba[src]! * scale;
        planes[size * size + dst] = rgba[src + 1]! * scale;
        planes[2 * size * size + dst] = rgba[src + 2]! * scale;
      }
    }
  }
  return { planes, valid, size };
}
