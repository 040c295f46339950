// A small GeoTIFF writer (tests and the demo imagery): stripped or tiled, none/LZW/Deflate/PackBits/JPEG, classic or BigTIFF,
// 8/16-bit, GeoKeys for an EPSG code, nodata, alpha, DateTime. Enough to build every input the ingest takes.
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

export type Compression = 'none' | 'lzw' | 'deflate' | 'packbits' | 'jpeg';

export interface GeoTiffSpec {
  width: number;
  height: number;
  /** Samples per pixel; interleaved values, row by row. */
  samples: number;
  bits: 8 | 16;
  data: Uint8Array | Uint16Array;
  compression?: Compression;
  /** Tile size; stripped (16 rows per strip) when absent. */
  tile?: number;
  bigTiff?: boolean;
  /** EPSG code; no GeoKeys at all when null. */
  epsg?: number | null;
  /** Top-left corner in CRS units and pixel size; no georeference when absent. */
  origin?: [number, number];
  pixelSize?: [number, number];
  nodata?: number;
  /** The last sample is alpha. */
  alpha?: boolean;
  dateTime?: string;
  /** Already-compressed blocks to write instead of the data (for damaged-file tests). */
  blocks?: Uint8Array[];
}

const CODES: Record<Compression, number> = { none: 1, lzw: 5, deflate: 8, packbits: 32773, jpeg: 7 };
const GEOGRAPHIC = new Set([4326, 4490]);

export function packBits(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < src.length) {
    let run = 1;
    while (i + run < src.length && run < 128 && src[i + run] === src[i]) run++;
    if (run >= 3) {
      out.push(257 - run, src[i]!);
      i += run;
      continue;
    }
    const start = i;
    while (i < src.length && i - start < 128 && !(src[i + 1] === src[i] && src[i + 2] === src[i])) i++;
    out.push(i - start - 1, ...src.subarray(start, i));
  }
  return Uint8Array.from(out);
}

export function lzw(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0, nbits = 0, width = 9;
  const emit = (code: number) => {
    acc = (acc << width) | code;
    nbits += width;
    while (nbits >= 8) {
      out.push((acc >>> (nbits - 8)) & 0xff);
      nbits -= 8;
    }
    acc &= (1 << nbits) - 1;
  };
  let dict = new Map<number, number>();
  let next = 258;
  emit(256);
  if (src.length === 0) {
    emit(257);
  } else {
    let prefix = src[0]!;
    for (let i = 1; i < src.length; i++) {
      const c = src[i]!;
      const key = prefix * 256 + c;
      const hit = dict.get(key);
      if (hit !== undefined) {
        prefix = hit;
        continue;
      }
      emit(prefix);
      dict.set(key, next++);
      if (next >= (1 << width) && width < 12) width++;
      if (next >= 4000) {
        emit(256);
        dict = new Map();
        next = 258;
        width = 9;
      }
      prefix = c;
    }
    emit(prefix);
    next++;
    if (next >= (1 << width) && width < 12) width++;
    emit(257);
  }
  if (nbits > 0) out.push((acc << (8 - nbits)) & 0xff);
  return Uint8Array.from(out);
}

async function compress(raw: Uint8Array, c: Compression, w: number, h: number, samples: number): Promise<Uint8Array> {
  if (c === 'none') return raw;
  if (c === 'deflate') return deflateSync(raw);
  if (c === 'packbits') return packBits(raw);
  if (c === 'lzw') return lzw(raw);
  return sharp(raw, { raw: { width: w, height: h, channels: samples as 3 } }).jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
}

type Value = { type: number; values: number[] | string };
const TYPE_SIZE: Record<number, number> = { 2: 1, 3: 2, 4: 4, 12: 8, 16: 8 };

export async function writeGeoTiff(spec: GeoTiffSpec): Promise<Buffer> {
  const { width, height, samples, bits } = spec;
  const compression = spec.compression ?? 'none';
  const bytesPerPixel = (samples * bits) / 8;
  const src = Buffer.from(spec.data.buffer, spec.data.byteOffset, spec.data.byteLength);
  const bw = spec.tile ?? width;
  const bh = spec.tile ?? Math.min(16, height);
  const blocks: Uint8Array[] = [];
  for (let by = 0; by < height; by += bh) {
    for (let bx = 0; bx < width; bx += bw) {
      // Tiles are always full size (padded); strips are cut at the image's last row.
      const rows = spec.tile ? bh : Math.min(bh, height - by);
      const raw = new Uint8Array(bw * rows * bytesPerPixel);
      for (let y = 0; y < rows && by + y < height; y++) {
        const n = Math.min(bw, width - bx) * bytesPerPixel;
        const from = ((by + y) * width + bx) * bytesPerPixel;
        raw.set(src.subarray(from, from + n), y * bw * bytesPerPixel);
      }
      blocks.push(spec.blocks?.[blocks.length] ?? (await compress(raw, compression, bw, rows, samples)));
    }
  }
  const big = spec.bigTiff ?? false;
  const headerSize = big ? 16 : 8;
  const offsets: number[] = [];
  let pos = headerSize;
  for (const b of blocks) {
    offsets.push(pos);
    pos += b.length + (b.length % 2);
  }
  const tags = new Map<number, Value>();
  const offType = big ? 16 : 4;
  tags.set(256, { type: 4, values: [width] });
  tags.set(257, { type: 4, values: [height] });
  tags.set(258, { type: 3, values: Array(samples).fill(bits) });
  tags.set(259, { type: 3, values: [CODES[compression]] });
  tags.set(262, { type: 3, values: [compression === 'jpeg' ? 6 : samples >= 3 ? 2 : 1] });
  tags.set(277, { type: 3, values: [samples] });
  tags.set(284, { type: 3, values: [1] });
  tags.set(339, { type: 3, values: Array(samples).fill(1) });
  if (spec.alpha) tags.set(338, { type: 3, values: [2] });
  if (spec.dateTime) tags.set(306, { type: 2, values: `${spec.dateTime}\0` });
  if (spec.tile) {
    tags.set(322, { type: 3, values: [bw] });
    tags.set(323, { type: 3, values: [bh] });
    tags.set(324, { type: offType, values: offsets });
    tags.set(325, { type: offType, values: blocks.map((b) => b.length) });
  } else {
    tags.set(273, { type: offType, values: offsets });
    tags.set(278, { type: 4, values: [bh] });
    tags.set(279, { type: offType, values: blocks.map((b) => b.length) });
  }
  if (spec.origin && spec.pixelSize) {
    tags.set(33550, { type: 12, values: [spec.pixelSize[0], spec.pixelSize[1], 0] });
    tags.set(33922, { type: 12, values: [0, 0, 0, spec.origin[0], spec.origin[1], 0] });
  }
  if (spec.epsg) {
    const geo = GEOGRAPHIC.has(spec.epsg);
    tags.set(34735, { type: 3, values: [1, 1, 0, 3, 1024, 0, 1, geo ? 2 : 1, 1025, 0, 1, 1, geo ? 2048 : 3072, 0, 1, spec.epsg] });
  }
  if (spec.nodata !== undefined) tags.set(42113, { type: 2, values: `${spec.nodata}\0` });

  const entries = [...tags.entries()].sort((a, b) => a[0] - b[0]);
  const entrySize = big ? 20 : 12;
  const ifdOffset = pos;
  const ifdSize = (big ? 8 : 2) + entries.length * entrySize + (big ? 8 : 4);
  let extra = ifdOffset + ifdSize;
  const chunks: Buffer[] = [];
  const ifd = Buffer.alloc(ifdSize);
  let o = 0;
  if (big) ifd.writeBigUInt64LE(BigInt(entries.length), 0), (o = 8);
  else ifd.writeUInt16LE(entries.length, 0), (o = 2);
  for (const [tag, v] of entries) {
    const count = typeof v.values === 'string' ? v.values.length : v.values.length;
    const data = Buffer.alloc(count * TYPE_SIZE[v.type]!);
    if (typeof v.values === 'string') data.write(v.values, 'latin1');
    else {
      v.values.forEach((n, i) => {
        const s = TYPE_SIZE[v.type]!;
        if (v.type === 3) data.writeUInt16LE(n, i * s);
        else if (v.type === 4) data.writeUInt32LE(n, i * s);
        else if (v.type === 12) data.writeDoubleLE(n, i * s);
        else data.writeBigUInt64LE(BigInt(n), i * s);
      });
    }
    ifd.writeUInt16LE(tag, o);
    ifd.writeUInt16LE(v.type, o + 2);
    const inline = big ? 8 : 4;
    if (big) ifd.writeBigUInt64LE(BigInt(count), o + 4);
    else ifd.writeUInt32LE(count, o + 4);
    const valueAt = o + (big ? 12 : 8);
    if (data.length <= inline) data.copy(ifd, valueAt);
    else {
      if (big) ifd.writeBigUInt64LE(BigInt(extra), valueAt);
      else ifd.writeUInt32LE(extra, valueAt);
      chunks.push(data.length % 2 ? Buffer.concat([data, Buffer.alloc(1)]) : data);
      extra += data.length + (data.length % 2);
    }
    o += entrySize;
  }
  const header = Buffer.alloc(headerSize);
  header.write('II', 0, 'latin1');
  if (big) {
    header.writeUInt16LE(43, 2);
    header.writeUInt16LE(8, 4);
    header.writeBigUInt64LE(BigInt(ifdOffset), 8);
  } else {
    header.writeUInt16LE(42, 2);
    header.writeUInt32LE(ifdOffset, 4);
  }
  const body = blocks.flatMap((b) => (b.length % 2 ? [Buffer.from(b), Buffer.alloc(1)] : [Buffer.from(b)]));
  return Buffer.concat([header, ...body, ifd, ...chunks]);
}
