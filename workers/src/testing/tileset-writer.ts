// Small ready-made tile sets for tests: an MBTiles database (TMS rows, as the spec says) and a zip of XYZ tiles.
import Database from 'better-sqlite3';
import JSZip from 'jszip';
import sharp from 'sharp';

export interface TestTile {
  z: number;
  x: number;
  y: number;
  data: Buffer;
}

/** A solid-colour tile; alpha 0 gives an empty (fully transparent) one. */
export function solidTile(rgba: [number, number, number, number], format: 'png' | 'jpeg' | 'webp' = 'png', size = 256): Promise<Buffer> {
  const img = sharp({ create: { width: size, height: size, channels: 4, background: { r: rgba[0], g: rgba[1], b: rgba[2], alpha: rgba[3] / 255 } } });
  return (format === 'png' ? img.png() : format === 'jpeg' ? img.jpeg() : img.webp({ lossless: true })).toBuffer();
}

export function writeMbtiles(path: string, tiles: TestTile[], meta: Record<string, string> = {}): void {
  const db = new Database(path);
  db.exec(`CREATE TABLE metadata (name text, value text);
    CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);
    CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);`);
  const m = db.prepare('INSERT INTO metadata VALUES (?, ?)');
  for (const [k, v] of Object.entries({ name: 'test', format: 'png', ...meta })) m.run(k, v);
  const t = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)');
  for (const tile of tiles) t.run(tile.z, tile.x, 2 ** tile.z - 1 - tile.y, tile.data);
  db.close();
}

export async function writeTileZip(tiles: TestTile[], ext = 'png', prefix = ''): Promise<Buffer> {
  const zip = new JSZip();
  for (const t of tiles) zip.file(`${prefix}${t.z}/${t.x}/${t.y}.${ext}`, t.data);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
