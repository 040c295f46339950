import sharp from 'sharp';
import { TILE_SIZE } from '@tuban/core/geo/tiles';

import type { TileReader } from '@tuban/core/tiles/imagery-tile-reader';

const TILE_PIXELS = TILE_SIZE * TILE_SIZE;
const SCALE = 1 / 255;
/** The validity of a tile that has data everywhere (most tiles): shared, never written. */
const ALL_VALID = new Uint8Array(TILE_PIXELS).fill(1);

/**
 * A decoded tile as libvips gives it: interleaved bytes, RGB or RGBA (`channels`), and where it has data.
 * Kept as bytes, a quarter of the float planes' size, so the cache holds four times the tiles; a window
 * converts to float as it copies, which it would otherwise spend copying.
 */
interface DecodedTile {
  data: Buffer;
  channels: number;
  valid: Uint8Array;
}

/**
 * Decoded tiles of one worker process, least recently used dropped first. Neighbouring windows share
 * their borders' context, and consecutive batches of a run share the tiles along their common edge (the
 * next row of blocks too, while a row of blocks of both images fits: 60 tiles wide), so
 * most tiles are decoded once per run rather than once per window. Tiles of an imagery item never change
 * once it is ready, so entries need no invalidation. About 0.2 MB per tile.
 */
export class TileCache {
  private readonly tiles = new Map<string, Promise<DecodedTile | null>>();
  /** tiles read and decoded so far (misses), for benchmarks */
  decoded = 0;

  constructor(
    private readonly read: TileReader,
    private readonly capacity = 768,
  ) {}

  get(imageryId: number, z: number, x: number, y: number): Promise<DecodedTile | null> {
    const key = `${imageryId}/${z}/${x}/${y}`;
    const hit = this.tiles.get(key);
    if (hit) {
      this.tiles.delete(key);
      this.tiles.set(key, hit);
      return hit;
    }
    this.decoded++;
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

  /** Drops the tiles of these imagery items (a finished run's), so they neither hold memory nor stand in for a new run's reads. */
  forget(imageryIds: Iterable<number>): void {
    const ids = new Set([...imageryIds].map(String));
    for (const key of this.tiles.keys()) if (ids.has(key.slice(0, key.indexOf('/')))) this.tiles.delete(key);
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
  // Only a tile with transparent pixels (at the imagery's edge) needs a validity mask of its own.
  let gaps = false;
  if (channels === 4) for (let s = 3; s < data.length && !gaps; s += 4) gaps = data[s]! < 128;
  if (!gaps) return { data, channels, valid: ALL_VALID };
  const valid = new Uint8Array(TILE_PIXELS);
  for (let k = 0; k < TILE_PIXELS; k++) valid[k] = data[4 * k + 3]! < 128 ? 0 : 1;
  return { data, channels, valid };
}

/**
 * The RGB window of a tile plus `margin` pixels of its neighbours, as planar float32 in [0, 1] (written
 * into `planes` when given; every value is written, 0 where there is no data), and a validity mask (false
 * where the imagery has no data: transparent or a missing neighbour).
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
  // The tiles cover the window; only where one is missing must the planes be cleared.
  if (decoded.some((tile) => !tile)) planes.fill(0);
  for (const [k, [dx, dy]] of offsets.entries()) {
    const tile = decoded[k];
    if (tile) copyTile(tile, margin + dx * TILE_SIZE, margin + dy * TILE_SIZE, size, planes, valid);
  }
  return { planes, valid, size };
}

/** Copies the part of a tile placed at (offX, offY) of a window that lies inside it, converting bytes to [0, 1]. */
function copyTile({ data, channels, valid: tileValid }: DecodedTile, offX: number, offY: number, size: number, planes: Float32Array, valid: Uint8Array): void {
  const plane = size * size;
  const x0 = Math.max(0, offX);
  const x1 = Math.min(size, offX + TILE_SIZE);
  const y0 = Math.max(0, offY);
  const y1 = Math.min(size, offY + TILE_SIZE);
  const gaps = tileValid !== ALL_VALID;
  for (let wy = y0; wy < y1; wy++) {
    // Window pixel (wx, wy) shows tile pixel (wx - offX, wy - offY).
    const row = (wy - offY) * TILE_SIZE - offX;
    const to = wy * size;
    valid.set(tileValid.subarray(row + x0, row + x1), to + x0);
    for (let wx = x0, s = (row + x0) * channels; wx < x1; wx++, s += channels) {
      const o = to + wx;
      const keep = gaps && !tileValid[row + wx] ? 0 : SCALE;
      planes[o] = data[s]! * keep;
      planes[plane + o] = data[s + 1]! * keep;
      planes[2 * plane + o] = data[s + 2]! * keep;
    }
  }
}
