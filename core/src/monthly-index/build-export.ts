// Writes one monthly export's files to `exports/<id>/` of the object store, each whole in one write, so a killed
// worker never leaves a half-written file under its final name.
import { createHash } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { ObjectStore } from '../storage/object-store.js';
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

/** The key of one file of an export in the object store. */
export function exportFileKey(id: number, name: string): string {
  return `exports/${id}/${name}`;
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
  opts: { objects: ObjectStore; id: number; month: string; generatedAt: Date },
): Promise<ExportFile[]> {
  const data = await loadExportData(db, opts.month, opts.generatedAt);
  const files = await renderExport(data);
  await opts.objects.removePrefix(`exports/${opts.id}/`);
  const out: ExportFile[] = [];
  for (const f of files) {
    await opts.objects.put(exportFileKey(opts.id, f.name), f.body);
    out.push({ name: f.name, format: f.format, bytes: f.body.length, sha256: createHash('sha256').update(f.body).digest('hex') });
  }
  return out;
}
