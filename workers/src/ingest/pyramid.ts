// The tile pyramid below the native zoom is built from the tiles above it, row by row, so only one row of
// pending parent tiles per zoom is held in memory. Tiles are encoded by sharp a few at a time.
import sharp from 'sharp';
import { TILE_SIZE } from '@tuban/core/geo/tiles';
import type { TileFormat } from '@tuban/core/tiles/tile-format';
import type { PyramidWriter } from '@tuban/core/tiles/tile-store';

const T = TILE_SIZE;
const ENCODERS_IN_FLIGHT = 4;

/** A tile as stored: its bytes and the file extension they are stored under. */
export async function encodeTile(rgba: Uint8ClampedArray, format: TileFormat): Promise<{ data: Buffer; ext: string }> {
  let opaque = true;
  for (let i = 3; i < rgba.length; i += 4) {
    if (rgba[i] !== 255) {
      opaque = false;
      break;
    }
  }
  let data: Uint8Array | Uint8ClampedArray = rgba;
  if (opaque) {
    data = new Uint8Array(T * T * 3);
    for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
      data[o] = rgba[i]!;
      data[o + 1] = rgba[i + 1]!;
      data[o + 2] = rgba[i + 2]!;
    }
  }
  const img = sharp(data, { raw: { width: T, height: T, channels: opaque ? 3 : 4 } });
  if (format === 'webp') return { data: await img.webp({ quality: 90, effort: 2 }).toBuffer(), ext: 'webp' };
  if (format === 'mixed' && opaque) return { data: await img.jpeg({ quality: 90 }).toBuffer(), ext: 'jpg' };
  return { data: await img.png({ compressionLevel: 6 }).toBuffer(), ext: 'png' };
}

/** Adds a child tile, box-filtered 2:1 with alpha weighting, into its quadrant of the parent. */
function downsampleInto(parent: Uint8ClampedArray, child: Uint8ClampedArray, qx: number, qy: number): void {
  const h = T / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < h; x++) {
      const a = ((2 * y) * T + 2 * x) * 4;
      const b = a + 4, c = a + T * 4, d = c + 4;
      const wa = child[a + 3]!, wb = child[b + 3]!, wc = child[c + 3]!, wd = child[d + 3]!;
      const sum = wa + wb + wc + wd;
      if (sum === 0) continue;
      const o = ((qy * h + y) * T + qx * h + x) * 4;
      for (let k = 0; k < 3; k++) {
        parent[o + k] = (wa * child[a + k]! + wb * child[b + k]! + wc * child[c + k]! + wd * child[d + k]!) / sum;
      }
      parent[o + 3] = sum / 4;
    }
  }
}

export interface ZoomRange {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

export class Pyramid {
  written = 0;
  done = 0;
  private pending = new Map<number, Map<number, Uint8ClampedArray>>();
  private inFlight = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(
    private readonly writer: PyramidWriter,
    private readonly format: TileFormat,
    readonly minZoom: number,
    readonly maxZoom: number,
    /** Tile ranges per zoom. */
    readonly ranges: Map<number, ZoomRange>,
    private readonly onProgress: (done: number) => void,
  ) {}

  /** Every tile position of every zoom; progress counts up to this. */
  get total(): number {
    let n = 0;
    for (const r of this.ranges.values()) n += (r.maxX - r.minX + 1) * (r.maxY - r.minY + 1);
    return n;
  }

  /** A tile of any zoom (null = empty); written, and folded into its parent. */
  async add(z: number, x: number, y: number, rgba: Uint8ClampedArray | null): Promise<void> {
    this.done++;
    if (rgba) {
      await this.write(z, x, y, rgba);
      if (z > this.minZoom) {
        const row = this.pending.get(z - 1) ?? new Map<number, Uint8ClampedArray>();
        this.pending.set(z - 1, row);
        const px = x >> 1;
        let parent = row.get(px);
        if (!parent) row.set(px, (parent = new Uint8ClampedArray(T * T * 4)));
        downsampleInto(parent, rgba, x & 1, y & 1);
      }
    }
    this.onProgress(this.done);
  }

  /** Called when row y of zoom z is complete; completes parent rows in turn. */
  async rowDone(z: number, y: number): Promise<void> {
    const range = this.ranges.get(z)!;
    if (z === this.minZoom || (y % 2 === 0 && y !== range.maxY)) return;
    const pz = z - 1;
    const py = y >> 1;
    const prange = this.ranges.get(pz)!;
    const row = this.pending.get(pz) ?? new Map<number, Uint8ClampedArray>();
    this.pending.delete(pz);
    for (let px = prange.minX; px <= prange.maxX; px++) await this.add(pz, px, py, row.get(px) ?? null);
    await this.rowDone(pz, py);
  }

  private async write(z: number, x: number, y: number, rgba: Uint8ClampedArray): Promise<void> {
    while (this.inFlight.size >= ENCODERS_IN_FLIGHT) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
    const p: Promise<void> = encodeTile(rgba, this.format)
      .then((tile) => this.writer.put({ z, x, y }, tile.data, tile.ext))
      .then(
        () => void this.written++,
        (err: unknown) => void (this.failure ??= err),
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits for every encode and write; rethrows the first failure. */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }
}
