// Ready-made tile sets as ingest input: an MBTiles file (SQLite) or a zip of `{z}/{x}/{y}.png|jpg|webp`.
// Both are read tile by tile; only the index of the highest zoom is held in memory.
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import { IngestInputError } from './errors.js';
import { asSource, type IngestSource } from './source.js';

export type InputKind = 'mbtiles' | 'zip' | 'jpeg' | 'raster';

/** The kind of an uploaded file from its first bytes; the name is not trusted. */
export async function detectInputKind(input: string | IngestSource): Promise<InputKind> {
  const b = await asSource(input).read(0, 16);
  if (b.toString('latin1') === 'SQLite format 3\0') return 'mbtiles';
  if (b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && (b[3] === 4 || b[3] === 6)) return 'zip';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  return 'raster';
}

export interface TileSetSource {
  label: string;
  /** The highest zoom present; its tiles are the input, lower zooms are rebuilt from them. */
  zoom: number;
  /** XYZ positions of the tiles at `zoom`, sorted by row then column. */
  tiles: { x: number; y: number }[];
  format: string | null;
  read(x: number, y: number): Promise<Buffer>;
  close(): Promise<void>;
}

const byRow = (a: { x: number; y: number }, b: { x: number; y: number }) => a.y - b.y || a.x - b.x;

export function openMbtiles(path: string): TileSetSource {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const d = db;
    const hasTiles = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'tiles'`).get() as { n: number };
    if (hasTiles.n === 0) throw new IngestInputError('the MBTiles file has no tiles table', { code: 'ingest_tileset_empty' });
    const meta = new Map<string, string>();
    try {
      for (const r of db.prepare('SELECT name, value FROM metadata').all() as { name: string; value: string }[]) {
        meta.set(r.name, String(r.value));
      }
    } catch {
      // metadata is optional for us: zoom and extent come from the tiles themselves
    }
    if (meta.get('format') === 'pbf') throw new IngestInputError('the MBTiles file holds vector tiles (pbf); only image tiles (png, jpg, webp) can be ingested', { code: 'ingest_mbtiles_vector' });
    const max = db.prepare('SELECT max(zoom_level) AS z FROM tiles').get() as { z: number | null };
    if (max.z === null) throw new IngestInputError('the MBTiles file holds no tiles', { code: 'ingest_tileset_empty' });
    const zoom = max.z;
    if (!Number.isInteger(zoom) || zoom < 0 || zoom > 24) {
      throw new IngestInputError(`the MBTiles file has an invalid zoom level ${zoom}`, { code: 'ingest_tileset_bad_zoom', params: { zoom } });
    }
    const n = 2 ** zoom;
    const rows = db.prepare('SELECT tile_column AS x, tile_row AS r FROM tiles WHERE zoom_level = ?').all(zoom) as { x: number; r: number }[];
    // MBTiles rows count from the south (TMS); XYZ rows from the north.
    const tiles = rows.map(({ x, r }) => ({ x, y: n - 1 - r }));
    if (tiles.some((t) => t.x < 0 || t.x >= n || t.y < 0 || t.y >= n)) {
      throw new IngestInputError(`the MBTiles file has tiles outside the zoom ${zoom} grid`, { code: 'ingest_tileset_outside_grid', params: { zoom } });
    }
    tiles.sort(byRow);
    const get = db.prepare('SELECT tile_data AS d FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
    return {
      label: 'MBTiles',
      zoom,
      tiles,
      format: meta.get('format') ?? null,
      read: async (x, y) => {
        let row: { d: Buffer } | undefined;
        try {
          row = get.get(zoom, x, n - 1 - y) as { d: Buffer } | undefined;
        } catch (err) {
          throw new IngestInputError(`the MBTiles file is damaged at tile ${zoom}/${x}/${y} (${(err as Error).message})`, {
            code: 'ingest_tile_unreadable', params: { tile: `${zoom}/${x}/${y}`, detail: (err as Error).message },
          });
        }
        if (!row) {
          throw new IngestInputError(`the MBTiles tile ${zoom}/${x}/${y} went missing`, {
            code: 'ingest_tile_unreadable', params: { tile: `${zoom}/${x}/${y}`, detail: 'missing' },
          });
        }
        return Buffer.from(row.d);
      },
      close: async () => void d.close(),
    };
  } catch (err) {
    db?.close();
    if (err instanceof IngestInputError) throw err;
    throw new IngestInputError(`the file is not a readable MBTiles database (${(err as Error).message})`, {
      code: 'ingest_mbtiles_unreadable', params: { detail: (err as Error).message },
    });
  }
}

const TILE_PATH = /(?:^|\/)(\d{1,2})\/(\d{1,8})\/(\d{1,8})\.(png|jpe?g|webp)$/i;
/** A 256 px tile, even an uncompressed one, fits in this; a bigger entry is not a tile. */
const MAX_TILE_BYTES = 4 * 1024 * 1024;

export async function openZip(path: string): Promise<TileSetSource> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z))),
    );
  } catch (err) {
    throw new IngestInputError(`the file is not a readable zip archive (${(err as Error).message})`, {
      code: 'ingest_zip_unreadable', params: { detail: (err as Error).message },
    });
  }
  const byZoom = new Map<number, Map<string, yauzl.Entry>>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (e: yauzl.Entry) => {
        const m = TILE_PATH.exec(e.fileName);
        if (m) {
          if (e.uncompressedSize > MAX_TILE_BYTES) {
            reject(new IngestInputError(`the zip entry ${e.fileName} unpacks to ${e.uncompressedSize} bytes, too big for a tile`, {
              code: 'ingest_zip_entry_too_big', params: { entry: e.fileName, size: e.uncompressedSize },
            }));
            return;
          }
          const z = Number(m[1]);
          const zm = byZoom.get(z) ?? new Map<string, yauzl.Entry>();
          byZoom.set(z, zm);
          zm.set(`${m[2]}/${m[3]}`, e);
        }
        zip.readEntry();
      });
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    if (err instanceof IngestInputError) throw err;
    throw new IngestInputError(`the zip archive is damaged (${(err as Error).message})`, {
      code: 'ingest_zip_unreadable', params: { detail: (err as Error).message },
    });
  }
  if (byZoom.size === 0) {
    zip.close();
    throw new IngestInputError('the zip holds no tiles: expected {z}/{x}/{y}.png, .jpg or .webp files', { code: 'ingest_zip_no_tiles' });
  }
  const zoom = Math.max(...byZoom.keys());
  if (zoom > 24) {
    zip.close();
    throw new IngestInputError(`the zip has tiles at zoom ${zoom}; the highest supported zoom is 24`, { code: 'ingest_tileset_bad_zoom', params: { zoom } });
  }
  const entries = byZoom.get(zoom)!;
  const n = 2 ** zoom;
  const tiles = [...entries.keys()].map((k) => {
    const [x, y] = k.split('/').map(Number) as [number, number];
    return { x, y };
  });
  if (tiles.some((t) => t.x >= n || t.y >= n)) {
    zip.close();
    throw new IngestInputError(`the zip has tiles outside the zoom ${zoom} grid`, { code: 'ingest_tileset_outside_grid', params: { zoom } });
  }
  tiles.sort(byRow);
  return {
    label: 'zipped XYZ tiles',
    zoom,
    tiles,
    format: null,
    read: (x, y) => readEntry(zip, entries.get(`${x}/${y}`)!),
    close: async () => zip.close(),
  };
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) {
        return reject(new IngestInputError(`the zip entry ${entry.fileName} cannot be read (${err.message})`, {
          code: 'ingest_zip_unreadable', params: { detail: err.message },
        }));
      }
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('error', (e) =>
        reject(new IngestInputError(`the zip entry ${entry.fileName} is damaged (${e.message})`, { code: 'ingest_zip_unreadable', params: { detail: e.message } })),
      );
      stream.on('end', () => resolve(Buffer.concat(parts)));
    });
  });
}
