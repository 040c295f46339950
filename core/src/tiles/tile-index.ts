// Which tiles a pyramid holds, and under which extension: written with the pyramid, so a reader of an object
// store answers a tile that is not there without asking the store. In S3 a miss costs a request like a hit, and
// detection asks for many: every window at the imagery's edge reaches past it, and a mixed-format pyramid's edge
// tile is first asked for as JPEG.
//
// Encoded as deflate of a JSON header line (`exts`, and per zoom the tile range x0, y0, w, h) followed by one
// byte per tile of each zoom's range, row by row: 0 where there is no tile, i + 1 for `exts[i]`.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { TileKey } from './tile-store.js';

/** The file a pyramid's index is published as, beside its tiles. */
export const TILE_INDEX_FILE = 'tile-index.bin';

/** Larger ranges (a sparse pyramid over a wide area) are not indexed: the reader asks the store instead. */
const MAX_RANGE_TILES = 1 << 26;

interface ZoomRange {
  z: number;
  x0: number;
  y0: number;
  w: number;
  h: number;
}

/** The tiles put at one zoom: 9 bytes each, so a city-wide scene's millions of tiles stay a few tens of MB. */
class ZoomTiles {
  xs = new Uint32Array(1024);
  ys = new Uint32Array(1024);
  codes = new Uint8Array(1024);
  count = 0;
  x0 = Infinity;
  y0 = Infinity;
  x1 = -Infinity;
  y1 = -Infinity;

  add(x: number, y: number, code: number): void {
    if (this.count === this.codes.length) this.grow();
    this.xs[this.count] = x;
    this.ys[this.count] = y;
    this.codes[this.count++] = code;
    this.x0 = Math.min(this.x0, x);
    this.y0 = Math.min(this.y0, y);
    this.x1 = Math.max(this.x1, x);
    this.y1 = Math.max(this.y1, y);
  }

  private grow(): void {
    const size = this.codes.length * 2;
    const [xs, ys, codes] = [new Uint32Array(size), new Uint32Array(size), new Uint8Array(size)];
    xs.set(this.xs);
    ys.set(this.ys);
    codes.set(this.codes);
    this.xs = xs;
    this.ys = ys;
    this.codes = codes;
  }
}

/** Collects the tiles a writer puts; `encode` gives the index, or null where a range is too large to index. */
export class TileIndexBuilder {
  private readonly exts: string[] = [];
  private readonly zooms = new Map<number, ZoomTiles>();

  add({ z, x, y }: TileKey, ext: string): void {
    let code = this.exts.indexOf(ext) + 1;
    if (code === 0) {
      if (this.exts.length === 255) throw new Error('a tile index holds at most 255 extensions');
      code = this.exts.push(ext);
    }
    let zoom = this.zooms.get(z);
    if (!zoom) this.zooms.set(z, (zoom = new ZoomTiles()));
    zoom.add(x, y, code);
  }

  encode(): Buffer | null {
    const ranges: ZoomRange[] = [];
    const bodies: Uint8Array[] = [];
    for (const [z, tiles] of [...this.zooms].sort((a, b) => a[0] - b[0])) {
      const { x0, y0 } = tiles;
      const w = tiles.x1 - x0 + 1;
      const h = tiles.y1 - y0 + 1;
      if (w * h > MAX_RANGE_TILES) return null;
      const body = new Uint8Array(w * h);
      for (let i = 0; i < tiles.count; i++) body[(tiles.ys[i]! - y0) * w + (tiles.xs[i]! - x0)] = tiles.codes[i]!;
      ranges.push({ z, x0, y0, w, h });
      bodies.push(body);
    }
    const header = Buffer.from(`${JSON.stringify({ exts: this.exts, zooms: ranges })}\n`);
    return deflateRawSync(Buffer.concat([header, ...bodies]));
  }
}

/** A decoded index: whether a pyramid holds a tile under an extension. */
export class TileIndex {
  private constructor(
    private readonly exts: string[],
    private readonly zooms: Map<number, ZoomRange & { codes: Uint8Array }>,
  ) {}

  /** Throws on anything that is not an index written by TileIndexBuilder. */
  static decode(data: Buffer): TileIndex {
    const raw = inflateRawSync(data);
    const eol = raw.indexOf(10);
    if (eol < 0) throw new Error('tile index without a header');
    const header = JSON.parse(raw.subarray(0, eol).toString()) as { exts: string[]; zooms: ZoomRange[] };
    const zooms = new Map<number, ZoomRange & { codes: Uint8Array }>();
    let at = eol + 1;
    for (const range of header.zooms) {
      const codes = raw.subarray(at, (at += range.w * range.h));
      if (codes.length !== range.w * range.h) throw new Error(`tile index cut short at zoom ${range.z}`);
      zooms.set(range.z, { ...range, codes });
    }
    if (at !== raw.length) throw new Error('tile index longer than its header says');
    return new TileIndex(header.exts, zooms);
  }

  has({ z, x, y }: TileKey, ext: string): boolean {
    const zoom = this.zooms.get(z);
    if (!zoom) return false;
    const col = x - zoom.x0;
    const row = y - zoom.y0;
    if (col < 0 || row < 0 || col >= zoom.w || row >= zoom.h) return false;
    const code = zoom.codes[row * zoom.w + col]!;
    return code !== 0 && this.exts[code - 1] === ext;
  }

  /** Bytes held in memory, for a cache's budget. */
  get bytes(): number {
    let n = 0;
    for (const z of this.zooms.values()) n += z.codes.length;
    return n;
  }
}
