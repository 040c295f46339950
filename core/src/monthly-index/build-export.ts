// Writes one monthly export's files into `<DATA_DIR>/exports/<id>/`, each first to a temporary name and then
// renamed, so a killed worker never leaves a half-written file under its final name.
import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queryable } from '../db/pool.js';
import { loadExportData, type ExportData } from './export-data.js';
import { indexPdf } from './export-pdf.js';
import { indexCsv, itemsCsv, itemsGeoJson } from './export-text.js';
import { indexXlsx } from './export-xlsx.js';

export const EXPORT_FORMATS = ['xlsx', 'csv', 'geojson', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  name: string;
  format: ExportFormat;
  bytes: number;
  sha256: string;
}

export function exportDir(dataDir: string, id: number): string {
  return join(dataDir, 'exports', String(id));
}

/** Every file of the export, in memory, in a fixed order. */
export async function renderExport(data: ExportData): Promise<{ name: string; format: ExportFormat; body: Buffer }[]> {
  const base = `monthly-index-${data.month}`;
  return [
    { name: `${base}.xlsx`, format: 'xlsx', body: await indexXlsx(data) },
    { name: `${base}.csv`, format: 'csv', body: Buffer.from(indexCsv(data)) },
    { name: `${base}-items.csv`, format: 'csv', body: Buffer.from(itemsCsv(data)) },
    { name: `${base}-items.geojson`, format: 'geojson', body: Buffer.from(itemsGeoJson(data)) },
    { name: `${base}.pdf`, format: 'pdf', body: await indexPdf(data) },
  ];
}

export async function buildMonthlyExport(
  db: Queryable,
  opts: { dataDir: string; id: number; month: string; generatedAt: Date },
): Promise<ExportFile[]> {
  const data = await loadExportData(db, opts.month, opts.generatedAt);
  const files = await renderExport(data);
  const dir = exportDir(opts.dataDir, opts.id);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const out: ExportFile[] = [];
  for (const f of files) {
    const tmp = join(dir, `.${f.name}.tmp`);
    await writeFile(tmp, f.body);
    await rename(tmp, join(dir, f.name));
    out.push({ name: f.name, format: f.format, bytes: f.body.length, sha256: createHash('sha256').update(f.body).digest('hex') });
  }
  return out;
}
