import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMonthlyExport, renderExport } from '../src/monthly-index/build-export.js';
import { LocalObjectStore } from '../src/storage/local-object-store.js';
import { loadExportData } from '../src/monthly-index/export-data.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.js';
import { insertIndexMonth } from '../src/testing/index-month.js';

const T1 = new Date('2026-04-01T02:00:00+08:00');
const T2 = new Date('2026-04-02T09:30:00+08:00');

describe('monthly export files', () => {
  let t: TestDatabase;
  let dir: string;
  let ids: Record<string, number>;
  beforeAll(async () => {
    t = await createTestDatabase('monthly_export');
    ids = await insertIndexMonth(t.pool);
    dir = mkdtempSync(join(tmpdir(), 'tuban-export-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.drop();
  });

  it('gives the same bytes for the same data; only the generation time differs', async () => {
    const a = await renderExport(await loadExportData(t.pool, '2026-03', T1));
    await new Promise((r) => setTimeout(r, 1100)); // a wall-clock second later: no hidden "now" may leak in
    const b = await renderExport(await loadExportData(t.pool, '2026-03', T1));
    const c = await renderExport(await loadExportData(t.pool, '2026-03', T2));
    expect(a.map((f) => f.name)).toEqual([
      'monthly-index-2026-03.xlsx',
      'monthly-index-2026-03.csv',
      'monthly-index-2026-03-items.csv',
      'monthly-index-2026-03-items.geojson',
      'monthly-index-2026-03.pdf',
    ]);
    for (let i = 0; i < a.length; i++) expect(b[i]!.body.equals(a[i]!.body), a[i]!.name).toBe(true);
    // the CSVs carry no time; the others differ by the generation time alone
    expect(c[1]!.body.equals(a[1]!.body)).toBe(true);
    const geoA = JSON.parse(a[3]!.body.toString()) as Record<string, unknown>;
    const geoC = JSON.parse(c[3]!.body.toString()) as Record<string, unknown>;
    expect(geoC.generatedAt).toBe(T2.toISOString());
    expect({ ...geoC, generatedAt: null }).toEqual({ ...geoA, generatedAt: null });
  });

  it('writes CSV, GeoJSON and XLSX with the month’s items and Chinese headers', async () => {
    const files = await buildMonthlyExport(t.pool, { objects: new LocalObjectStore(dir), id: 7, month: '2026-03', generatedAt: T1 });
    expect(files.map((f) => f.format)).toEqual(['xlsx', 'csv', 'csv', 'geojson', 'pdf']);
    const base = join(dir, 'exports', '7');
    const csv = readFileSync(join(base, 'monthly-index-2026-03.csv'), 'utf8');
    expect(csv.startsWith('\uFEFF街镇代码,街镇,新增违建(处)')).toBe(true);
    expect(csv.split('\r\n')[1]).toMatch(/^,全区,4,/);
    const geo = JSON.parse(readFileSync(join(base, 'monthly-index-2026-03-items.geojson'), 'utf8')) as GeoJSON.FeatureCollection;
    // found, due, disposed or closed out in March: A1 A2 A3 A4 A5 B1 B3 B4 (not A6, A7, B2)
    expect(geo.features.map((f) => f.id)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'B1', 'B3', 'B4'].map((l) => ids[l]));
    const zip = await JSZip.loadAsync(readFileSync(join(base, 'monthly-index-2026-03.xlsx')));
    const sheets = await zip.file('xl/workbook.xml')!.async('string');
    for (const name of ['汇总', '分街镇', '图斑明细']) expect(sheets).toContain(name);
    const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
    expect(strings).toContain('依法处置率(%)');
  });

  it('makes a PDF that shows Chinese text and renders', async () => {
    const pdf = join(dir, 'exports', '7', 'monthly-index-2026-03.pdf');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('新增违建动态监测指数');
    expect(text).toContain('曹杨新村街道');
    expect(text).toContain('近12个月趋势');
    const png = join(dir, 'page2');
    execFileSync('pdftoppm', ['-f', '2', '-l', '2', '-r', '30', '-png', '-singlefile', pdf, png]);
    const head = readFileSync(`${png}.png`).subarray(0, 8);
    expect(head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    writeFileSync(join(dir, 'ok'), '');
  });
});
