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

/** Collects the tiles a writer puts; `encode` gives the index, or null where a range is too large to index. */
export class TileIndexBuilder {
  private readonly exts: string[] = [];
  private readonly zooms = new Map<number, { xs: number[]; ys: number[]; codes: number[] }>();

  add({ z, x, y }: TileKey, ext: string): void {
    let code = this.exts.indexOf(ext) + 1;
    if (code === 0) {
      if (this.exts.length === 255) throw new Error('a tile index holds at most 255 extensions');
      code = this.exts.push(ext);
    }
    let zoom = this.zooms.get(z);
    if (!zoom) this.zooms.set(z, (zoom = { xs: [], ys: [], codes: [] }));
    zoom.xs.push(x);
    zoom.ys.push(y);
    zoom.codes.push(code);
  }

  encode(): Buffer | null {
    const ranges: ZoomRange[] = [];
    const bodies: Uint8Array[] = [];
    for (const [z, { xs, ys, codes }] of [...this.zooms].sort((a, b) => a[0] - b[0])) {
      const x0 = minOf(xs);
      const y0 = minOf(ys);
      const w = maxOf(xs) - x0 + 1;
      const h = maxOf(ys) - y0 + 1;
      if (w * h > MAX_RANGE_TILES) return null;
      const body = new Uint8Array(w * h);
      for (let i = 0; i < codes.length; i++) body[(ys[i]! - y0) * w + (xs[i]! - x0)] = codes[i]!;
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

// Not Math.min(...xs): a zoom of a large scene holds more tiles than a call takes arguments.
function minOf(values: number[]): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m;
}

function maxOf(values: number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}
