import sharp from 'sharp';
import { TILE_SIZE } from '@tuban/core/geo/tiles';

import type { TileReader } from '@tuban/core/tiles/imagery-tile-reader';

const TILE_PIXELS = TILE_SIZE * TILE_SIZE;
const SCALE = 1 / 255;
/** The validity of a tile that has data everywhere (most tiles): shared, never written. */
const ALL_VALID = new Uint8Array(TILE_PIXELS).fill(1);

/**
 * A decoded tile: RGB as three planes of float32 in [0, 1], the model's input format (0 where the tile has
 * no data), and where it has data. Converting once per tile lets a window copy whole rows.
 */
interface DecodedTile {
  rgb: Float32Array;
  valid: Uint8Array;
}

/**
 * Decoded tiles of one worker process, least recently used dropped first. Neighbouring windows share
 * their borders' context, and consecutive batches of a run share the tiles along their common edge, so
 * most tiles are decoded once per run rather than once per window. Tiles of an imagery item never change
 * once it is ready, so entries need no invalidation. About 0.8 MB per tile.
 */
export class TileCache {
  private readonly tiles = new Map<string, Promise<DecodedTile | null>>();

  constructor(
    private readonly read: TileReader,
    private readonly capacity = 192,
  ) {}

  get(imageryId: number, z: number, x: number, y: number): Promise<DecodedTile | null> {
    const key = `${imageryId}/${z}/${x}/${y}`;
    const hit = this.tiles.get(key);
    if (hit) {
      this.tiles.delete(key);
      this.tiles.set(key, hit);
      return hit;
    }
    const decoded = this.read(imageryId, z, x, y).then((buf) => (buf ? decodeTile(buf) : null));
    // A failed read is not remembered: the retry of the batch reads again.
    decoded.catch(() => this.tiles.get(key) === decoded && this.tiles.delete(key));
    this.tiles.set(key, decoded);
    for (const oldest of this.tiles.keys()) {
      if (this.tiles.size <= this.capacity) break;
      this.tiles.delete(oldest);
    }
    return decoded;
  }
}

async function decodeTile(buf: Buffer): Promise<DecodedTile> {
  // Decoded as stored: a JPEG has no alpha channel, and adding one costs a pass over the tile.
  const { data, info } = await sharp(buf).raw().toBuffer({ resolveWithObject: true });
  if (info.width !== TILE_SIZE || info.height !== TILE_SIZE) {
    throw new Error(`tile is ${info.width}×${info.height}, expected ${TILE_SIZE}×${TILE_SIZE}`);
  }
  const channels = info.channels;
  if (channels !== 3 && channels !== 4) throw new Error(`tile has ${channels} channels, expected RGB or RGBA`);
  const rgb = new Float32Array(3 * TILE_PIXELS);
  // Only a tile with transparent pixels (at the imagery's edge) needs a validity mask of its own.
  let gaps = false;
  if (channels === 4) for (let s = 3; s < data.length && !gaps; s += 4) gaps = data[s]! < 128;
  const valid = gaps ? new Uint8Array(TILE_PIXELS) : ALL_VALID;
  for (let k = 0, s = 0; k < TILE_PIXELS; k++, s += channels) {
    if (gaps) {
      if (data[s + 3]! < 128) continue;
      valid[k] = 1;
    }
    rgb[k] = data[s]! * SCALE;
    rgb[TILE_PIXELS + k] = data[s + 1]! * SCALE;
    rgb[2 * TILE_PIXELS + k] = data[s + 2]! * SCALE;
  }
  return { rgb, valid };
}

/**
 * The RGB window of a tile plus `margin` pixels of its neighbours, as planar float32 in [0, 1] (written
 * into `planes` when given, which must be zeroed), and a validity mask (false where the imagery has no
 * data: transparent or a missing neighbour).
 */
export async function readWindow(
  cache: TileCache,
  imageryId: number,
  z: number,
  x: number,
  y: number,
  margin: number,
  planes = new Float32Array(3 * (TILE_SIZE + 2 * margin) ** 2),
): Promise<{ planes: Float32Array; valid: Uint8Array; size: number }> {
  const size = TILE_SIZE + 2 * margin;
  const plane = size * size;
  if (planes.length !== 3 * plane) throw new Error(`window buffer holds ${planes.length} values, expected ${3 * plane}`);
  const valid = new Uint8Array(plane);
  const reach = Math.ceil(margin / TILE_SIZE);
  const offsets: [number, number][] = [];
  for (let dy = -reach; dy <= reach; dy++) for (let dx = -reach; dx <= reach; dx++) offsets.push([dx, dy]);
  // Decoding runs on libuv's threads: ask for all neighbours at once.
  const decoded = await Promise.all(offsets.map(([dx, dy]) => cache.get(imageryId, z, x + dx, y + dy)));
  for (const [k, [dx, dy]] of offsets.entries()) {
    const tile = decoded[k];
    if (!tile) continue;
    // Window pixel (wx, wy) shows tile pixel (wx - margin - dx*256, wy - margin - dy*256).
    const offX = margin + dx * TILE_SIZE;
    const offY = margin + dy * TILE_SIZE;
    const x0 = Math.max(0, offX);
    const x1 = Math.min(size, offX + TILE_SIZE);
    const y0 = Math.max(0, offY);
    const y1 = Math.min(size, offY + TILE_SIZE);
    const { rgb, valid: tileValid } = tile;
    for (let wy = y0; wy < y1; wy++) {
      const from = (wy - offY) * TILE_SIZE - offX + x0;
      const to = wy * size + x0;
      const n = x1 - x0;
      valid.set(tileValid.subarray(from, from + n), to);
      for (let c = 0; c < 3; c++) planes.set(rgb.subarray(c * TILE_PIXELS + from, c * TILE_PIXELS + from + n), c * plane + to);
    }
  }
  return { planes, valid, size };
}
