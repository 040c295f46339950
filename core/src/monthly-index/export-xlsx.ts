// The XLSX workbook: 汇总 (summary), 分街镇 (per street), 图斑明细 (per item), all headers in Chinese.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { ExportData } from './export-data.js';
import { itemsWithRoles } from './export-text.js';
import { shanghaiTime } from './month.js';
import { INDEX_COLUMNS, ITEM_COLUMNS, type Column } from './export-columns.js';

// exceljs stamps every zip entry with the current time; entries are re-packed with this fixed one so only
// the workbook's own created/modified date (the generation time) differs between runs.
const ZIP_ENTRY_DATE = new Date('2000-01-01T00:00:00Z');

function addTable<T>(ws: ExcelJS.Worksheet, columns: Column<T>[], rows: T[]): void {
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of rows) ws.addRow(columns.map((c) => c.value(r)));
}

export async function indexXlsx(data: ExportData): Promise<Buffer> {
  const generated = new Date(data.generatedAt);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tuban';
  wb.lastModifiedBy = 'Tuban';
  wb.created = generated;
  wb.modified = generated;

  const district = data.index.rows[0]!;
  const summary = wb.addWorksheet('汇总');
  summary.columns = [{ width: 26 }, { width: 24 }];
  summary.addRow([`新增违建动态监测指数 ${data.month}`]).font = { bold: true, size: 14 };
  summary.addRow(['生成时间', shanghaiTime(new Date(data.generatedAt))]);
  summary.addRow([]);
  for (const c of INDEX_COLUMNS.slice(2)) summary.addRow([c.header, c.value(district)]);

  addTable(wb.addWorksheet('分街镇'), INDEX_COLUMNS, data.index.rows);
  addTable(wb.addWorksheet('图斑明细'), ITEM_COLUMNS, itemsWithRoles(data));

  // stored uncompressed first: the re-pack below compresses once
  const raw = Buffer.from(await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } } as ExcelJS.XlsxWriteOptions));
  const source = await JSZip.loadAsync(raw);
  const out = new JSZip();
  for (const name of Object.keys(source.files).sort()) {
    const entry = source.files[name]!;
    if (entry.dir) continue;
    out.file(name, await entry.async('uint8array'), { date: ZIP_ENTRY_DATE, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}
