/// <reference path="./shpjs.d.ts" />
// Reads an uploaded registry file (GeoJSON, zipped Shapefile, CSV) into rows of raw properties and geometry.
import JSZip from 'jszip';
import { parseDbf, parseShp } from 'shpjs';
import { Invalid } from '../../errors.js';

export interface RawRow {
  index: number;
  properties: Record<string, unknown>;
  /** GeoJSON geometry in the file's own coordinates; null when the row has none */
  geometry: { type: string; coordinates: unknown } | null;
  /** WKT from a CSV column, parsed later by PostGIS */
  wkt?: string;
  /** lon/lat (or x/y) columns of a CSV row */
  point?: [number, number];
}

export interface ParsedFile {
  format: 'geojson' | 'shapefile' | 'csv';
  rows: RawRow[];
  /** the Shapefile's .prj, if any */
  prj?: string;
}

export function formatOf(fileName: string): ParsedFile['format'] {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.zip')) return 'shapefile';
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  throw new Invalid(`cannot tell the format of "${fileName}": use .geojson/.json, .zip (Shapefile) or .csv`);
}

function parseGeoJson(body: Buffer): RawRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Invalid(`not valid JSON: ${(err as Error).message}`);
  }
  const features = Array.isArray(doc) ? doc : (doc as { features?: unknown })?.features;
  if (!Array.isArray(features)) throw new Invalid('expected a GeoJSON FeatureCollection');
  return features.map((f: { properties?: Record<string, unknown>; geometry?: RawRow['geometry'] }, index) => ({
    index,
    properties: f?.properties ?? {},
    geometry: f?.geometry ?? null,
  }));
}

async function parseShapefile(body: Buffer): Promise<{ rows: RawRow[]; prj?: string }> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(body);
  } catch {
    throw new Invalid('not a zip file: a Shapefile must be uploaded as a .zip of its .shp, .dbf and .prj');
  }
  const find = (ext: string) => Object.values(zip.files).find((f) => !f.dir && f.name.toLowerCase().endsWith(ext));
  const shp = find('.shp');
  if (!shp) throw new Invalid('the zip holds no .shp file');
  const dbf = find('.dbf');
  const prj = await find('.prj')?.async('string');
  const cpg = await find('.cpg')?.async('string');
  const shpBytes = await shp.async('uint8array');
  const dbfBytes = await dbf?.async('uint8array');
  const geoms = readPart(shp.name, () => parseShp(shpBytes) as RawRow['geometry'][]);
  if (geoms.length === 0) throw new Invalid(`${shp.name} in the zip holds no shapes`);
  const props = dbf ? readPart(dbf.name, () => parseDbf(dbfBytes!, cpg ?? 'UTF-8') as Record<string, unknown>[]) : [];
  return { rows: geoms.map((geometry, index) => ({ index, properties: props[index] ?? {}, geometry })), prj };
}

/** A part of a Shapefile parsed, or an input error naming it (a truncated or damaged file throws anything). */
function readPart<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new Invalid(`${name} in the zip cannot be read (${(err as Error).message}); is the Shapefile complete and undamaged?`);
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

const WKT_COLUMNS = ['wkt', 'geometry', 'geom', 'the_geom', 'shape'];
const LON_COLUMNS = ['lon', 'lng', 'longitude', 'x', '经度'];
const LAT_COLUMNS = ['lat', 'latitude', 'y', '纬度'];

function parseCsvRows(body: Buffer): RawRow[] {
  const [header, ...lines] = parseCsv(body.toString('utf8').replace(/^\uFEFF/, ''));
  if (!header) throw new Invalid('the CSV file is empty');
  const names = header.map((h) => h.trim());
  const col = (candidates: string[]) => names.findIndex((n) => candidates.includes(n.toLowerCase()));
  const wkt = col(WKT_COLUMNS);
  const lon = col(LON_COLUMNS);
  const lat = col(LAT_COLUMNS);
  if (wkt < 0 && (lon < 0 || lat < 0)) {
    throw new Invalid(`the CSV needs a WKT column (${WKT_COLUMNS.join('/')}) or lon and lat columns (${LON_COLUMNS.join('/')}, ${LAT_COLUMNS.join('/')})`);
  }
  return lines.map((cells, index) => {
    const properties = Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
    const row: RawRow = { index, properties, geometry: null };
    if (wkt >= 0 && cells[wkt]?.trim()) row.wkt = cells[wkt]!.trim();
    else if (lon >= 0 && lat >= 0) {
      const p: [number, number] = [Number(cells[lon]), Number(cells[lat])];
      if (cells[lon]?.trim() && cells[lat]?.trim() && p.every(Number.isFinite)) row.point = p;
    }
    return row;
  });
}

export async function parseRegistryFile(fileName: string, body: Buffer): Promise<ParsedFile> {
  const format = formatOf(fileName);
  if (format === 'geojson') return { format, rows: parseGeoJson(body) };
  if (format === 'csv') return { format, rows: parseCsvRows(body) };
  return { format, ...(await parseShapefile(body)) };
}
