// The registry as a Shapefile (zipped, with .prj and .cpg) or a GeoPackage, written by GDAL's ogr2ogr
// from a GeoJSON-sequence dump that is read page by page, so a million items never sit in memory at once.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { registryFeaturesAfter } from '../db/registry-dump.js';
import { NotFound, Unavailable } from '../errors.js';
import type { Queryable } from '../db/pool.js';

const run = promisify(execFile);
const PAGE = 5000;
export const REGISTRY_EXPORT_FORMATS = ['shp', 'gpkg'] as const;
export type RegistryExportFormat = (typeof REGISTRY_EXPORT_FORMATS)[number];

async function dump(db: Queryable, path: string, street?: string): Promise<number> {
  const out = createWriteStream(path);
  let after = 0;
  let n = 0;
  for (;;) {
    const page = await registryFeaturesAfter(db, after, PAGE, street);
    if (page.length === 0) break;
    const ok = out.write(page.map((r) => `${r.feature}\n`).join(''));
    if (!ok) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    after = page[page.length - 1]!.id;
    n += page.length;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return n;
}

/** The registry file's bytes and name; throws a clear error when GDAL is not installed. */
export async function exportRegistry(
  db: Queryable,
  format: RegistryExportFormat,
  street?: string,
): Promise<{ name: string; body: Buffer; items: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'tuban-registry-'));
  try {
    const src = join(dir, 'registry.geojsonl');
    const items = await dump(db, src, street);
    // GDAL cannot make a layer out of nothing; there is nothing to hand over either.
    if (items === 0) throw new NotFound(`no registry items${street ? ` in street ${street}` : ''} to export`);
    const layer = 'registry';
    const args =
      format === 'gpkg'
        ? ['-f', 'GPKG', join(dir, `${layer}.gpkg`), src, '-nln', layer, '-a_srs', 'EPSG:4326']
        : ['-f', 'ESRI Shapefile', join(dir, 'shp'), src, '-nln', layer, '-a_srs', 'EPSG:4326', '-lco', 'ENCODING=UTF-8', '-nlt', 'MULTIPOLYGON'];
    try {
      await run('ogr2ogr', args, { maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') throw new Unavailable('exporting Shapefile/GeoPackage needs GDAL, which is not installed on the server: apt-get install gdal-bin');
      throw new Error(`ogr2ogr failed: ${e.stderr ?? e.message}`);
    }
    if (format === 'gpkg') return { name: `${layer}.gpkg`, body: await readFile(join(dir, `${layer}.gpkg`)), items };
    const zip = new JSZip();
    for (const f of (await readdir(join(dir, 'shp'))).sort()) zip.file(f, await readFile(join(dir, 'shp', f)));
    return { name: `${layer}-shp.zip`, body: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), items };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
