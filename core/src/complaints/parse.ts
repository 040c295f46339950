// Reads a hotline export (CSV in UTF-8 or GBK, or the first sheet of an XLSX workbook) into rows of cells by header.
import ExcelJS from 'exceljs';
import { Invalid } from '../errors.js';
import { parseCsv } from '../registry/import/parse.js';
import { COMPLAINT_COLUMNS, hasColumn, type Cell } from './fields.js';

export interface ComplaintSheet {
  format: 'csv' | 'xlsx';
  headers: string[];
  /** one object per data row, keyed by header; `line` is the row's number in the file (the header is line 1) */
  rows: { line: number; cells: Record<string, Cell> }[];
}

export function complaintFileFormat(fileName: string): ComplaintSheet['format'] {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  throw new Invalid(`cannot tell the format of "${fileName}": use .csv or .xlsx`, {
    code: 'complaint_file_format',
    params: { fileName },
  });
}

/** Exports from Windows machines often come in GBK; UTF-8 is tried first and strictly. */
function decodeText(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gbk').decode(body);
  }
}

function readCsv(body: Buffer): Omit<ComplaintSheet, 'format'> {
  const [header, ...lines] = parseCsv(decodeText(body));
  if (!header) throw new Invalid('the file is empty', { code: 'complaint_file_empty' });
  const headers = header.map((h) => h.trim());
  return {
    headers,
    rows: lines.map((cells, i) => ({ line: i + 2, cells: Object.fromEntries(headers.map((h, j) => [h, cells[j] ?? ''])) })),
  };
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('text' in v) return String(v.text);
  if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
  return null;
}

async function readXlsx(body: Buffer): Promise<Omit<ComplaintSheet, 'format'>> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(body as unknown as ArrayBuffer);
  } catch (err) {
    throw new Invalid(`not a readable XLSX workbook (${(err as Error).message})`, { code: 'complaint_xlsx_unreadable' });
  }
  const ws = wb.worksheets[0];
  if (!ws || ws.rowCount === 0) throw new Invalid('the file is empty', { code: 'complaint_file_empty' });
  const headerRow = ws.getRow(1);
  const headers: string[] = [];
  headerRow.eachCell({ includeEmpty: true }, (c, col) => (headers[col - 1] = String(cellValue(c.value) ?? '').trim()));
  const rows: ComplaintSheet['rows'] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: Record<string, Cell> = {};
    headers.forEach((h, i) => (cells[h] = cellValue(row.getCell(i + 1).value)));
    if (Object.values(cells).some((c) => c !== null && String(c).trim() !== '')) rows.push({ line: r, cells });
  }
  return { headers, rows };
}

export async function readComplaintFile(fileName: string, body: Buffer): Promise<ComplaintSheet> {
  const format = complaintFileFormat(fileName);
  const sheet = format === 'csv' ? readCsv(body) : await readXlsx(body);
  for (const field of ['number', 'receivedAt', 'content'] as const) {
    if (!hasColumn(sheet.headers, field)) {
      throw new Invalid(`the file has no ${field} column (one of ${COMPLAINT_COLUMNS[field].join(', ')})`, {
        code: 'complaint_missing_column',
        params: { column: COMPLAINT_COLUMNS[field][0] },
      });
    }
  }
  return { format, ...sheet };
}
