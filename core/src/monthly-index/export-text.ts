// CSV and GeoJSON writers: plain strings, so the same data always gives the same bytes.
import type { ExportData } from './export-data.js';
import { itemRoles } from './export-data.js';
import { INDEX_COLUMNS, ITEM_COLUMNS, type Cell, type Column } from './export-columns.js';

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csv<T>(columns: Column<T>[], rows: T[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(c.value(r))).join(','));
  // The BOM makes Excel on Chinese Windows read UTF-8 instead of GBK.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function itemsWithRoles(data: ExportData) {
  const roles = itemRoles(data.index.rows[0]!);
  return data.items.map((i) => ({ ...i, roles: (roles.get(i.id) ?? []).join('、') }));
}

/** The index table: the district row, then one row per street. Carries no timestamp. */
export function indexCsv(data: ExportData): string {
  return csv(INDEX_COLUMNS, data.index.rows);
}

export function itemsCsv(data: ExportData): string {
  return csv(ITEM_COLUMNS, itemsWithRoles(data));
}

/** The month's items as a FeatureCollection (EPSG:4326); `generatedAt` is its one time field. */
export function itemsGeoJson(data: ExportData): string {
  const features = itemsWithRoles(data).map(({ geometry, roles, ...p }) => ({
    type: 'Feature',
    id: p.id,
    geometry,
    properties: { ...p, countedAs: roles.split('、').filter(Boolean) },
  }));
  return `${JSON.stringify({ type: 'FeatureCollection', month: data.month, generatedAt: data.generatedAt, features })}\n`;
}
