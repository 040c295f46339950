// A ready-made tile set in, our own pyramid out: the highest zoom's tiles are decoded, checked and
// re-encoded in the configured format; the lower zooms down to z12 are rebuilt from them (any the set
// carries are ignored, so every zoom agrees). The footprint is the union of the non-empty tiles.
import sharp, { type OutputInfo } from 'sharp';
import { TILE_SIZE, metresPerPixel, tileBounds } from '@tuban/core/geo/tiles';
import { tileUrlExtension } from '@tuban/core/tiles/tile-format';
import type { TileStore } from '@tuban/core/tiles/tile-store';
import { IngestInputError } from './errors.js';
import { PYRAMID_MIN_ZOOM, type IngestOptions, type RasterIngest } from './ingest.js';
import { Pyramid, type ZoomRange } from './pyramid.js';
import { openMbtiles, openZip, type TileSetSource } from './tileset-source.js';

const T = TILE_SIZE;
const THUMB = 512;

export async function ingestTileSet(path: string, kind: 'mbtiles' | 'zip', store: TileStore, item: string, o: IngestOptions): Promise<RasterIngest> {
  const src: TileSetSource = kind === 'mbtiles' ? openMbtiles(path) : await openZip(path);
  try {
    return await ingestFrom(src, store, item, o);
  } finally {
    await src.close();
  }
}

async function decodeTile(src: TileSetSource, x: number, y: number): Promise<Uint8ClampedArray | null> {
  const tile = `${src.zoom}/${x}/${y}`;
  const where = `tile ${tile}`;
  const buf = await src.read(x, y);
  let out: { data: Buffer; info: OutputInfo };
  try {
    // limitInputPixels stops an image whose header claims huge dimensions before it is decoded.
    // Grey, palette and 16-bit tiles all come out as 8-bit RGBA.
    out = await sharp(buf, { limitInputPixels: 4 * T * T }).toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    const msg = (err as Error).message;
    if (/pixel limit/i.test(msg)) {
      throw new IngestInputError(`${where} is far bigger than ${T}×${T} px`, { code: 'ingest_tile_too_big', params: { tile, size: T } });
    }
    throw new IngestInputError(`${where} of the ${src.label} is not a readable image (${msg})`, { code: 'ingest_tile_unreadable', params: { tile, detail: msg } });
  }
  if (out.info.channels !== 4) {
    throw new IngestInputError(`${where} has ${out.info.channels} colour channels; expected RGB or RGBA`, {
      code: 'ingest_tile_channels', params: { tile, channels: out.info.channels },
    });
  }
  if (out.info.width !== T || out.info.height !== T) {
    throw new IngestInputError(`${where} is ${out.info.width}×${out.info.height} px; tiles must be ${T}×${T} px`, {
      code: 'ingest_tile_size', params: { tile, width: out.info.width, height: out.info.height, size: T },
    });
  }
  const rgba = new Uint8ClampedArray(out.data.buffer, out.data.byteOffset, out.data.length);
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 0) return rgba;
  return null;
}

async function ingestFrom(src: TileSetSource, store: TileStore, item: string, o: IngestOptions): Promise<RasterIngest> {
  if (src.tiles.length === 0) throw new IngestInputError(`the ${src.label} holds no tiles`, { code: 'ingest_tileset_empty' });
  const z = src.zoom;
  const top: ZoomRange = { minX: Infinity, maxX: -Infinity, minY: src.tiles[0]!.y, maxY: src.tiles.at(-1)!.y };
  for (const t of src.tiles) {
    top.minX = Math.min(top.minX, t.x);
    top.maxX = Math.max(top.maxX, t.x);
  }
  const cols = top.maxX - top.minX + 1, rows = top.maxY - top.minY + 1;
  // The same limit as for rasters: the pixels the set spans at its highest zoom.
  if (cols * rows * T * T > o.maxPixels) {
    throw new IngestInputError(`the ${src.label} spans ${cols}×${rows} tiles at zoom ${z} (${cols * T}×${rows * T} px), beyond the limit of ${o.maxPixels} pixels`, {
      code: 'ingest_too_large', params: { width: cols * T, height: rows * T, limit: o.maxPixels },
    });
  }
  const minZoom = Math.min(PYRAMID_MIN_ZOOM, z);
  const ranges = new Map<number, ZoomRange>([[z, top]]);
  for (let zz = z - 1; zz >= minZoom; zz--) {
    const c = ranges.get(zz + 1)!;
    ranges.set(zz, { minX: c.minX >> 1, maxX: c.maxX >> 1, minY: c.minY >> 1, maxY: c.maxY >> 1 });
  }
  const thumb = new Thumbnail(cols, rows);
  const footprint: number[][][] = [];
  const writer = await store.begin(item, tileUrlExtension(o.format));
  try {
    let lastReport = 0;
    const pyramid: Pyramid = new Pyramid(writer, o.format, minZoom, z, ranges, (done) => {
      const now = Date.now();
      if (o.onProgress && (now - lastReport > 500 || done === pyramid.total)) {
        lastReport = now;
        o.onProgress(done, pyramid.total);
      }
    });
    let i = 0;
    for (let y = top.minY; y <= top.maxY; y++) {
      let runStart = -1;
      for (let x = top.minX; x <= top.maxX; x++) {
        const t = src.tiles[i];
        const rgba = t && t.x === x && t.y === y ? (i++, await decodeTile(src, x, y)) : null;
        await pyramid.add(z, x, y, rgba);
        if (rgba) {
          thumb.add(x - top.minX, y - top.minY, rgba);
          if (runStart < 0) runStart = x;
        }
        // Consecutive non-empty tiles of a row become one rectangle, so PostGIS has fewer to union.
        if (!rgba && runStart >= 0) (footprint.push(rect(z, runStart, x - 1, y)), (runStart = -1));
      }
      if (runStart >= 0) footprint.push(rect(z, runStart, top.maxX, y));
      await pyramid.rowDone(z, y);
    }
    await pyramid.flush();
    if (footprint.length === 0) throw new IngestInputError(`every tile of the ${src.label} is empty (fully transparent)`, { code: 'ingest_empty' });
    await writer.putFile('thumbnail.webp', await thumb.encode());
    await writer.publish();
    const [w, s, e, n] = [...tileBounds({ z, x: top.minX, y: top.maxY }).slice(0, 2), ...tileBounds({ z, x: top.maxX, y: top.minY }).slice(2)] as number[];
    const lat = (s! + n!) / 2;
    return {
      crs: 'EPSG:3857',
      gsdM: metresPerPixel(lat, z),
      widthPx: cols * T,
      heightPx: rows * T,
      bands: { source: src.label, format: src.format },
      dateTime: null,
      minZoom,
      maxZoom: z,
      tileCount: pyramid.written,
      footprintRings: footprint,
      // A quarter tile: smooths the staircase of tile edges a little, never loses a whole tile.
      simplifyDeg: (360 / 2 ** z) / 4,
      extentRing: [[w!, s!], [e!, s!], [e!, n!], [w!, n!], [w!, s!]],
    };
  } catch (err) {
    await writer.discard();
    throw err;
  }
}

function rect(z: number, x0: number, x1: number, y: number): number[][] {
  const [w, s] = tileBounds({ z, x: x0, y });
  const [, , e, n] = tileBounds({ z, x: x1, y });
  return [[w, s], [e, s], [e, n], [w, n], [w, s]];
}

/** A small mosaic of the whole set: each tile box-averaged into a cell of a power-of-two size. */
class Thumbnail {
  private readonly cell: number;
  private readonly rgba: Uint8ClampedArray;
  private readonly width: number;
  private readonly height: number;

  constructor(private readonly cols: number, rows: number) {
    this.cell = 2 ** Math.max(0, Math.min(8, Math.floor(Math.log2(THUMB / Math.max(cols, rows)))));
    this.width = cols * this.cell;
    this.height = rows * this.cell;
    this.rgba = new Uint8ClampedArray(this.width * this.height * 4);
  }

  add(col: number, row: number, tile: Uint8ClampedArray): void {
    const c = this.cell, f = T / c;
    for (let cy = 0; cy < c; cy++) {
      for (let cx = 0; cx < c; cx++) {
        const acc = [0, 0, 0, 0];
        for (let y = cy * f; y < (cy + 1) * f; y++) {
          for (let x = cx * f; x < (cx + 1) * f; x++) {
            const p = (y * T + x) * 4;
            for (let k = 0; k < 4; k++) acc[k]! += tile[p + k]!;
          }
        }
        const o = (((row * c + cy) * this.width) + col * c + cx) * 4;
        for (let k = 0; k < 4; k++) this.rgba[o + k] = acc[k]! / (f * f);
      }
    }
  }

  encode(): Promise<Buffer> {
    return sharp(this.rgba, { raw: { width: this.width, height: this.height, channels: 4 } })
      .resize({ width: THUMB, height: THUMB, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  }
}
