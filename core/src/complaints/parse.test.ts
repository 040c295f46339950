import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readComplaintFile } from './parse.js';

describe('reading hotline exports', () => {
  it('reads a GBK CSV, as Excel on Chinese Windows saves it', async () => {
    // "工单编号,受理时间,诉求内容" in GBK, then an ASCII row
    const header = Buffer.from('B9A4B5A5B1E0BAC52CCADCC0EDCAB1BCE42CCBDFC7F3C4DAC8DD', 'hex');
    const sheet = await readComplaintFile('export.csv', Buffer.concat([header, Buffer.from('\r\nA-1,2026-11-03 09:15,x\r\n')]));
    expect(sheet.headers).toEqual(['工单编号', '受理时间', '诉求内容']);
    expect(sheet.rows).toEqual([{ line: 2, cells: { 工单编号: 'A-1', 受理时间: '2026-11-03 09:15', 诉求内容: 'x' } }]);
  });

  it('reads the first sheet of a workbook, skipping empty rows and keeping line numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('工单');
    ws.addRow(['工单编号', '受理时间', '诉求内容', '经度']);
    ws.addRow([]);
    ws.addRow(['A-2', new Date('2026-11-03T09:15:00Z'), { richText: [{ text: '楼顶' }, { text: '加层' }] }, 121.4]);
    const sheet = await readComplaintFile('export.XLSX', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(sheet.format).toBe('xlsx');
    expect(sheet.rows).toEqual([{ line: 3, cells: { 工单编号: 'A-2', 受理时间: new Date('2026-11-03T09:15:00Z'), 诉求内容: '楼顶加层', 经度: 121.4 } }]);
  });

  it('refuses other files and files without the columns it needs, naming them', async () => {
    await expect(readComplaintFile('a.xls', Buffer.from('x'))).rejects.toMatchObject({ code: 'complaint_file_format' });
    await expect(readComplaintFile('a.xlsx', Buffer.from('not a zip'))).rejects.toMatchObject({ code: 'complaint_xlsx_unreadable' });
    await expect(readComplaintFile('a.csv', Buffer.from('工单号,来电时间\n1,2'))).rejects.toMatchObject({
      code: 'complaint_missing_column', params: { column: '诉求内容' },
    });
  });
});
