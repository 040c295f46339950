// Opening a GeoTIFF with geotiff.js, checking it before any pixel is decoded, and reading windows of it
// as RGBA bytes. Nothing here ever reads the whole raster at once.
import { fromFile, GeoTIFF, type GeoTIFFImage, type TypedArray } from 'geotiff';
import type { Crs } from '@tuban/core/geo/crs';
import { crsFromGeoKeys } from './crs.js';
import { IngestInputError } from './errors.js';
import { asSource, geotiffSource, type IngestSource } from './source.js';

/** Pixel (col,row of a pixel's top-left corner) to CRS: x = a + b*col + c*row; y = d + e*col + f*row. */
export type GeoTransform = [number, number, number, number, number, number];

export interface RasterInfo {
  image: GeoTIFFImage;
  width: number;
  height: number;
  crs: Crs;
  transform: GeoTransform;
  /** Source band indexes feeding R, G, B (the same band three times for grey). */
  rgbBands: [number, number, number];
  alphaBand: number | null;
  nodata: number | null;
  ycbcr: boolean;
  bitsPerSample: number;
  samples: number;
  /** TIFF DateTime, as written (no time zone). */
  dateTime: string | null;
  bandInfo: { index: number; role: string; bits: number; format: string }[];
}

const COMPRESSIONS: Record<number, string> = { 1: 'none', 5: 'LZW', 6: 'JPEG', 7: 'JPEG', 8: 'Deflate', 32946: 'Deflate', 32773: 'PackBits' };
const SAMPLE_FORMATS: Record<number, string> = { 1: 'uint', 2: 'int', 3: 'float' };

async function checkHeader(source: IngestSource): Promise<void> {
  const buffer = Buffer.alloc(16);
  const bytesRead = (await source.read(0, 16)).copy(buffer);
  const head = buffer.subarray(0, 4).toString('latin1');
  if (bytesRead < 8 || !['II*\0', 'MM\0*', 'II+\0', 'MM\0+'].includes(head)) {
    throw new IngestInputError('the file is not a TIFF image (wrong file type; was it renamed to .tif?)', { code: 'ingest_not_tiff' });
  }
  const le = head[0] === 'I';
  const big = head[2] === '+' || head[3] === '+';
  const ifd = big
    ? Number(le ? buffer.readBigUInt64LE(8) : buffer.readBigUInt64BE(8))
    : le ? buffer.readUInt32LE(4) : buffer.readUInt32BE(4);
  const size = await source.size();
  if (ifd + 2 > size) {
    throw new IngestInputError(`the TIFF file is truncated: its directory is at byte ${ifd} but the file has ${size} bytes; upload it again`, { code: 'ingest_truncated', params: { size } });
  }
}

async function geoTransform(image: GeoTIFFImage, pixelIsPoint: boolean): Promise<GeoTransform> {
  const fd = image.getFileDirectory();
  const matrix = (await fd.loadValue('ModelTransformation')) as number[] | undefined;
  let t: GeoTransform;
  if (matrix && matrix.length >= 8) {
    t = [matrix[3]!, matrix[0]!, matrix[1]!, matrix[7]!, matrix[4]!, matrix[5]!];
  } else {
    const tie = (await fd.loadValue('ModelTiepoint')) as number[] | undefined;
    const scale = (await fd.loadValue('ModelPixelScale')) as number[] | undefined;
    if (!tie || tie.length < 6 || !scale || scale.length < 2) {
      throw new IngestInputError('the file has no georeference (no tie point and pixel scale); export it as a GeoTIFF', { code: 'ingest_no_georeference' });
    }
    const [i, j, , x, y] = tie as [number, number, number, number, number];
    t = [x - i * scale[0]!, scale[0]!, 0, y + j * scale[1]!, 0, -scale[1]!];
  }
  if (pixelIsPoint) {
    // The tie point names a pixel's centre; move it to the corner as GDAL does.
    t = [t[0] - 0.5 * (t[1] + t[2]), t[1], t[2], t[3] - 0.5 * (t[4] + t[5]), t[4], t[5]];
  }
  if (!t.every(Number.isFinite) || t[1] * t[5] - t[2] * t[4] === 0) {
    throw new IngestInputError('the georeference of the file is degenerate (zero or invalid pixel size)', { code: 'ingest_georef_degenerate' });
  }
  return t;
}

/** The per-band colour interpretation GDAL stores in its metadata tag, when present. */
async function gdalColorInterp(image: GeoTIFFImage): Promise<string[]> {
  const fd = image.getFileDirectory();
  const xml = fd.hasTag(42112) ? ((await fd.loadValue(42112)) as string | undefined) : undefined;
  const out: string[] = [];
  if (!xml) return out;
  for (const m of xml.matchAll(/<Item name="COLORINTERP" sample="(\d+)"[^>]*>([^<]*)<\/Item>/g)) out[Number(m[1])] = m[2]!;
  return out;
}

/** Opens and checks a raster; every problem a pilot can fix is an IngestInputError with a plain message. */
export async function openRaster(input: string | IngestSource, maxPixels: number): Promise<RasterInfo> {
  const source = asSource(input);
  await checkHeader(source);
  let image: GeoTIFFImage;
  try {
    const tiff = source.path !== null ? await fromFile(source.path) : await openRanged(source);
    image = await tiff.getImage(0);
  } catch (err) {
    throw new IngestInputError(`the TIFF file is damaged and cannot be read (${(err as Error).message})`, {
      code: 'ingest_tiff_damaged', params: { detail: (err as Error).message },
    });
  }
  const width = image.getWidth();
  const height = image.getHeight();
  if (!(width > 0 && height > 0)) throw new IngestInputError('the image has no pixels', { code: 'ingest_no_pixels' });
  if (width * height > maxPixels) {
    throw new IngestInputError(
      `the image is too large: ${width} × ${height} pixels is more than the limit of ${maxPixels} pixels`,
      { code: 'ingest_too_large', params: { width, height, limit: maxPixels } },
    );
  }
  const fd = image.getFileDirectory();
  const compression = (fd.getValue('Compression') as number | undefined) ?? 1;
  if (!(compression in COMPRESSIONS)) throw new IngestInputError(`unsupported TIFF compression (code ${compression})`, { code: 'ingest_compression', params: { compression } });
  const photometric = fd.getValue('PhotometricInterpretation') as number | undefined;
  if (photometric === 3) throw new IngestInputError('colour-mapped (palette) images are not supported; export RGB', { code: 'ingest_palette' });
  await checkBlocksInFile(source, image);

  const samples = image.getSamplesPerPixel();
  const bitsPerSample = image.getBitsPerSample(0);
  const format = SAMPLE_FORMATS[image.getSampleFormat(0)] ?? 'uint';
  const extra = (fd.getValue('ExtraSamples') as ArrayLike<number> | undefined) ?? [];
  const interp = await gdalColorInterp(image);
  const colourBands = samples - extra.length;
  // An extra sample is alpha when the TIFF says so and GDAL's metadata (if any) does not say otherwise.
  const alphaAt = Array.from(extra).findIndex((e, k) => (e === 1 || e === 2) && (interp[colourBands + k] ?? 'Alpha') === 'Alpha');
  const alphaBand = alphaAt >= 0 ? colourBands + alphaAt : null;
  const rgb = (photometric === 2 || photometric === 6) && colourBands >= 3 ? true : samples >= 3 && interp[0] === 'Red';
  const rgbBands: [number, number, number] = rgb ? [0, 1, 2] : [0, 0, 0];
  const keys = image.getGeoKeys() as Record<string, unknown> | null;
  const crs = crsFromGeoKeys(keys);
  const transform = await geoTransform(image, keys?.GTRasterTypeGeoKey === 2);
  const bandInfo = Array.from({ length: samples }, (_, i) => ({
    index: i + 1,
    role: i === alphaBand ? 'alpha' : rgb && i < 3 ? (['red', 'green', 'blue'] as const)[i]! : i === 0 && !rgb ? 'grey' : 'unused',
    bits: image.getBitsPerSample(i),
    format: SAMPLE_FORMATS[image.getSampleFormat(i)] ?? 'uint',
  }));
  return {
    image,
    width,
    height,
    crs,
    transform,
    rgbBands,
    alphaBand,
    nodata: image.getGDALNoData(),
    ycbcr: photometric === 6,
    bitsPerSample: format === 'uint' ? bitsPerSample : 32,
    samples,
    dateTime: fd.hasTag('DateTime') ? String(await fd.loadValue('DateTime')) : null,
    bandInfo,
  };
}

/** A GeoTIFF in the object store, read by byte ranges as geotiff.js asks for them. */
async function openRanged(source: IngestSource): Promise<GeoTIFF> {
  const ranged = geotiffSource(source);
  await ranged.init();
  return GeoTIFF.fromSource(ranged as unknown as Parameters<typeof GeoTIFF.fromSource>[0]);
}

/** A truncated file is found before decoding starts: every strip or tile must lie inside the file. */
async function checkBlocksInFile(source: IngestSource, image: GeoTIFFImage): Promise<void> {
  const fd = image.getFileDirectory();
  const tiled = fd.hasTag('TileOffsets');
  const offsetsTag = tiled ? 'TileOffsets' : 'StripOffsets';
  const countsTag = tiled ? 'TileByteCounts' : 'StripByteCounts';
  let offsets: ArrayLike<number | bigint>;
  let counts: ArrayLike<number | bigint>;
  try {
    offsets = (await fd.loadValue(offsetsTag)) as ArrayLike<number | bigint>;
    counts = (await fd.loadValue(countsTag)) as ArrayLike<number | bigint>;
  } catch (err) {
    throw new IngestInputError(`the TIFF file is truncated or damaged (${(err as Error).message})`, {
      code: 'ingest_tiff_damaged', params: { detail: (err as Error).message },
    });
  }
  if (!offsets || !counts) throw new IngestInputError('the TIFF file is damaged: it lists no image data', { code: 'ingest_tiff_no_data' });
  const size = await source.size();
  for (let i = 0; i < offsets.length; i++) {
    const end = Number(offsets[i]) + Number(counts[i] ?? 0);
    if (end > size) {
      throw new IngestInputError(
        `the TIFF file is truncated: it is ${size} bytes but its image data runs to byte ${end}; upload it again`,
        { code: 'ingest_truncated', params: { size } },
      );
    }
  }
}

export interface Window {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Raw band values of a window (optionally resampled to outW × outH by nearest neighbour). */
export async function readBands(r: RasterInfo, w: Window, outW?: number, outH?: number): Promise<TypedArray[]> {
  const samples = [...new Set([...r.rgbBands, ...(r.alphaBand === null ? [] : [r.alphaBand])])].sort();
  try {
    const data = (await r.image.readRasters({
      window: [w.x0, w.y0, w.x1, w.y1],
      samples,
      interleave: false,
      ...(outW ? { width: outW, height: outH, resampleMethod: 'nearest' } : {}),
    })) as unknown as TypedArray[];
    const out: TypedArray[] = [];
    samples.forEach((s, i) => (out[s] = data[i]!));
    return out;
  } catch (err) {
    throw new IngestInputError(`the TIFF file is damaged: a block could not be decoded (${(err as Error).message})`, {
      code: 'ingest_tiff_damaged', params: { detail: (err as Error).message },
    });
  }
}
