// Reads windows of a GeoTIFF block by block (tiles or strips), keeping recently decoded blocks so windows
// that share blocks decode them once. geotiff.js finds blocks and applies predictors; Deflate goes through
// Node's zlib and JPEG through sharp (libjpeg-turbo), both native and much faster than the JS decoders,
// and LZW through our own decoder; Deflate and LZW output is capped at the block's size.
import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import { BaseDecoder, getDecoder, type TypedArray } from 'geotiff';
import { IngestInputError } from './errors.js';
import { lzwDecode } from './lzw.js';
import { readBands, type RasterInfo, type Window } from './raster.js';

class ZlibDecoder extends BaseDecoder {
  constructor(params: ConstructorParameters<typeof BaseDecoder>[0], private readonly maxBytes: number) {
    super(params);
  }
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    // A block never inflates beyond its pixels; more is a zip bomb or garbage, and zlib stops there.
    const out = inflateSync(new Uint8Array(buffer), { maxOutputLength: this.maxBytes });
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}

class BoundedLzwDecoder extends BaseDecoder {
  constructor(params: ConstructorParameters<typeof BaseDecoder>[0], private readonly maxBytes: number) {
    super(params);
  }
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    const out = lzwDecode(new Uint8Array(buffer), this.maxBytes);
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}

/** JPEG-in-TIFF blocks are abbreviated streams: the shared tables go in after the block's start marker. */
class SharpJpegDecoder extends BaseDecoder {
  constructor(params: ConstructorParameters<typeof BaseDecoder>[0], private readonly tables: Uint8Array | null) {
    super(params);
  }
  override async decodeBlock(buffer: ArrayBufferLike): Promise<ArrayBufferLike> {
    let data = new Uint8Array(buffer);
    if (this.tables && this.tables.length > 4) {
      data = Buffer.concat([data.subarray(0, 2), this.tables.subarray(2, this.tables.length - 2), data.subarray(2)]);
    }
    const out = await sharp(data).raw().toBuffer();
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}

const CACHE_BYTES = 96 * 1024 * 1024;

export class BlockReader {
  private decoder: BaseDecoder | null = null;
  private cache = new Map<number, Promise<ArrayBufferLike>>();
  private cachedBytes = 0;
  private sizes = new Map<number, number>();
  readonly fast: boolean;
  /** True when JPEG blocks come out as RGB already (sharp converts YCbCr itself). */
  readonly jpegToRgb: boolean;
  private readonly bw: number;
  private readonly bh: number;
  private readonly across: number;

  constructor(private readonly r: RasterInfo) {
    const fd = r.image.getFileDirectory();
    const planar = (fd.getValue('PlanarConfiguration') as number | undefined) ?? 1;
    const bits = Array.from({ length: r.samples }, (_, i) => r.image.getBitsPerSample(i));
    // The fast path reads native typed arrays straight from decoded blocks: chunky, byte-aligned,
    // one sample size, and (for >8 bits) little-endian like this machine.
    this.fast =
      planar === 1 && bits.every((b) => b === bits[0] && b % 8 === 0) && (bits[0] === 8 || r.image.littleEndian);
    this.jpegToRgb = this.fast && (fd.getValue('Compression') as number | undefined) === 7;
    this.bw = r.image.getTileWidth();
    this.bh = r.image.getTileHeight();
    this.across = Math.ceil(r.width / this.bw);
  }

  private async getDecoder(): Promise<BaseDecoder> {
    if (this.decoder) return this.decoder;
    const fd = this.r.image.getFileDirectory();
    const compression = (fd.getValue('Compression') as number | undefined) ?? 1;
    const params = {
      tileWidth: this.bw,
      tileHeight: this.bh,
      planarConfiguration: 1,
      bitsPerSample: Array.from({ length: this.r.samples }, (_, i) => this.r.image.getBitsPerSample(i)),
      predictor: ((await fd.loadValue('Predictor')) as number | undefined) ?? 1,
    };
    const blockBytes = this.bw * this.bh * params.bitsPerSample.reduce((a, b) => a + b, 0) / 8;
    if (compression === 8 || compression === 32946) this.decoder = new ZlibDecoder(params, Math.ceil(blockBytes));
    else if (compression === 5) this.decoder = new BoundedLzwDecoder(params, Math.ceil(blockBytes));
    else if (compression === 7) {
      const tables = fd.hasTag('JPEGTables') ? ((await fd.loadValue('JPEGTables')) as ArrayLike<number>) : null;
      this.decoder = new SharpJpegDecoder(params, tables ? Uint8Array.from(tables) : null);
    } else this.decoder = await getDecoder(compression, params as never);
    return this.decoder;
  }

  private block(bx: number, by: number): Promise<ArrayBufferLike> {
    const key = by * this.across + bx;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const p = this.getDecoder()
      .then((d) => this.r.image.getTileOrStrip(bx, by, 0, d))
      .then(({ data }) => {
        this.sizes.set(key, data.byteLength);
        this.cachedBytes += data.byteLength;
        return data;
      });
    this.cache.set(key, p);
    while (this.cachedBytes > CACHE_BYTES && this.cache.size > 1) {
      const oldest = this.cache.keys().next().value!;
      this.cache.delete(oldest);
      this.cachedBytes -= this.sizes.get(oldest) ?? 0;
      this.sizes.delete(oldest);
    }
    return p;
  }

  /** The used bands of a window, each as a typed array of the window's size. */
  async read(w: Window): Promise<TypedArray[]> {
    if (!this.fast) return readBands(this.r, w);
    const { r, bw, bh } = this;
    const ww = w.x1 - w.x0, wh = w.y1 - w.y0;
    const used = [...new Set([...r.rgbBands, ...(r.alphaBand === null ? [] : [r.alphaBand])])];
    const out: TypedArray[] = [];
    for (const s of used) out[s] = r.image.getArrayForSample(s, ww * wh);
    const spp = r.samples;
    const jobs: Promise<void>[] = [];
    for (let by = Math.floor(w.y0 / bh); by * bh < w.y1; by++) {
      for (let bx = Math.floor(w.x0 / bw); bx * bw < w.x1; bx++) {
        jobs.push(
          this.block(bx, by).then((buf) => {
            const src = r.image.getArrayForSample(0, buf);
            const x0 = Math.max(w.x0, bx * bw), x1 = Math.min(w.x1, (bx + 1) * bw);
            const y0 = Math.max(w.y0, by * bh), y1 = Math.min(w.y1, (by + 1) * bh, r.height);
            if (src.length < ((y1 - 1 - by * bh) * bw + (x1 - bx * bw)) * spp) {
              throw new Error(`block ${bx},${by} decodes to fewer values than its pixels need`);
            }
            for (const s of used) {
              const dst = out[s]!;
              for (let y = y0; y < y1; y++) {
                let si = ((y - by * bh) * bw + (x0 - bx * bw)) * spp + s;
                let di = (y - w.y0) * ww + (x0 - w.x0);
                for (let x = x0; x < x1; x++, si += spp) dst[di++] = src[si]!;
              }
            }
          }),
        );
      }
    }
    try {
      await Promise.all(jobs);
    } catch (err) {
      throw new IngestInputError(`the TIFF file is damaged: a block could not be decoded (${(err as Error).message})`, {
        code: 'ingest_tiff_damaged', params: { detail: (err as Error).message },
      });
    }
    return out;
  }
}
