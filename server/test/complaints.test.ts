// 12345 complaints end to end against the real PostGIS: a hotline CSV with placed, address-only, unplaceable and
// bad rows goes in; one complaint is walked to 属实 with a registry case, one to 不属实; the month's counts
// appear in the monthly index and its export files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '@tuban/core/geo/gcj02';
import { insertTestCandidate, insertTestDetectionRun, insertTestImagery } from '@tuban/core/testing/fixtures';
import { renderExport } from '@tuban/core/monthly-index/build-export';
import { loadExportData } from '@tuban/core/monthly-index/export-data';
import { todayInShanghai } from '@tuban/core/triage/rules';
import { STREET_A, STREET_B, useHarness } from './harness.js';

const h = useHarness('complaints');
let office: string;
let squadA: string;
let squadB: string;

// This month in Shanghai: received on its 1st, due on its last day, so the counts land in one month whatever today is.
const TODAY = todayInShanghai();
const MONTH = TODAY.slice(0, 7);
const LAST_DAY = new Date(Date.UTC(Number(MONTH.slice(0, 4)), Number(MONTH.slice(5, 7)), 0)).toISOString().slice(0, 10);
const [gcjLon, gcjLat] = wgs84ToGcj02([121.395, 31.252]);

const CSV = [
  '工单编号,受理时间,地址,坐标,坐标系,诉求内容,办理时限',
  `H-001,${MONTH}-01 09:15,曹杨新村某弄,"121.3835,31.2535",WGS84,楼顶搭建彩钢棚,${LAST_DAY}`,
  `H-002,${MONTH}-01 10:00,,"${gcjLon.toFixed(7)},${gcjLat.toFixed(7)}",GCJ02,院内新建砖房,${LAST_DAY} 17:00`,
  `H-003,${MONTH.replace('-', '/')}/01 11:30,上海市普陀区兰溪路88弄5号门口,,,门口搭了一个铁皮棚,${LAST_DAY}`,
  `H-004,${MONTH}-01 12:00,长风新村某小区内,,,小区里有人违章搭建,${LAST_DAY}`,
  'H-005,昨天下午,兰溪路1号,,,内容,',
  `H-002,${MONTH}-01 10:00,,,,重复的工单,`,
  `H-007,${MONTH}-01 13:00,,"95.1,31.2",,坐标不在上海,`,
].join('\r\n');

const post = (url: string, body: string | Buffer, cookie = office, type = 'text/csv') =>
  h.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': type }, payload: body });
const json = (method: 'GET' | 'POST', url: string, cookie = office, payload?: unknown) =>
  h.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
const count = async () => (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM complaints')).rows[0]!.n;
const idOf = async (number: string) =>
  (await h.db.query<{ id: number }>('SELECT id FROM complaints WHERE number = $1', [number])).rows[0]!.id;

beforeAll(async () => {
  [office, squadA, squadB] = await Promise.all([h.login('office'), h.login('squad-a'), h.login('squad-b')]);
  await h.db.query(`UPDATE registry_items SET address = '曹杨新村街道兰溪路88弄5号' WHERE case_no = 'T-A-1'`);
});

describe('12345 complaints', () => {
  it('previews a hotline CSV row by row, writing nothing', async () => {
    const res = await post('/api/complaints/import?fileName=12345.csv', CSV);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ dryRun: true, total: 7, added: 0, placed: 3, unplaced: 1, counts: { add: 4, exists: 0, duplicate: 1, invalid: 2 } });
    const rows = report.rows as { row: number; outcome: string; placedBy: string | null; streetCode: string | null; lon: number | null; notes: { code: string; params: Record<string, unknown> }[] }[];
    expect(rows.map((r) => [r.row, r.outcome, r.placedBy, r.streetCode])).toEqual([
      [2, 'add', 'coordinates', STREET_A],
      [3, 'add', 'coordinates', STREET_B],
      [4, 'add', 'registry_address', STREET_A],
      [5, 'add', null, STREET_B],
      [6, 'invalid', null, null],
      [7, 'duplicate', null, null],
      [8, 'invalid', null, null],
    ]);
    // GCJ-02 converted back to the WGS84 point it came from
    expect(rows[1]!.lon).toBeCloseTo(121.395, 6);
    expect(rows[3]!.notes.map((n) => n.code)).toEqual(['complaint_unplaced']);
    expect(rows[4]!.notes).toEqual([{ code: 'complaint_bad_time', params: { row: 6, field: '受理时间', value: '昨天下午' } }]);
    expect(rows[5]!.notes).toContainEqual({ code: 'complaint_duplicate_number', params: { row: 7, number: 'H-002' } });
    expect(rows[6]!.notes[0]!.code).toBe('complaint_outside_shanghai');
    expect(await count()).toBe(0);
  });

  it('imports the good rows once: the same file again adds nothing', async () => {
    const first = (await post('/api/complaints/import?fileName=12345.csv&dryRun=false', CSV)).json();
    expect(first).toMatchObject({ dryRun: false, added: 4 });
    const again = (await post('/api/complaints/import?fileName=12345.csv&dryRun=false', CSV)).json();
    expect(again).toMatchObject({ added: 0, counts: { add: 0, exists: 4, duplicate: 1, invalid: 2 } });
    expect(await count()).toBe(4);
    const { rows } = await h.db.query<{ number: string; status: string; deadline: string; received: string }>(
      `SELECT number, status, to_char(deadline, 'YYYY-MM-DD') AS deadline,
         to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS received FROM complaints ORDER BY number`,
    );
    expect(rows.map((r) => r.status)).toEqual(['placed', 'placed', 'placed', 'received']);
    expect(rows[0]).toMatchObject({ deadline: LAST_DAY, received: `${MONTH}-01 09:15` });
    expect(rows[2]!.received).toBe(`${MONTH}-01 11:30`);
  });

  it('reads the XLSX export with date cells, and complaints sent as JSON', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('工单');
    ws.addRow(['工单号', '来电时间', '事发地址', '经度', '纬度', '问题描述', '处理时限']);
    // exceljs keeps a date cell's wall-clock time in UTC fields
    ws.addRow(['X-1', new Date(`${MONTH}-01T08:00:00Z`), '', 121.386, 31.256, '违建', new Date(`${LAST_DAY}T00:00:00Z`)]);
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    const report = (await post('/api/complaints/import?fileName=export.xlsx&dryRun=false', body, office, 'application/octet-stream')).json();
    expect(report).toMatchObject({ added: 1, placed: 1 });
    const x = (await h.db.query<{ t: string; d: string }>(
      `SELECT to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'HH24:MI') AS t, to_char(deadline, 'YYYY-MM-DD') AS d FROM complaints WHERE number = 'X-1'`,
    )).rows[0]!;
    expect(x).toEqual({ t: '08:00', d: LAST_DAY });

    const api = await json('POST', '/api/complaints', office, {
      complaints: [
        { number: 'J-1', receivedAt: `${MONTH}-01T14:00:00+08:00`, lon: 121.387, lat: 31.257, content: '接口送来的投诉' },
        { number: 'J-2', receivedAt: 'not a time', content: '坏的' },
      ],
    });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({ added: 1, counts: { add: 1, invalid: 1 } });
    expect((await post('/api/complaints/import?fileName=a.txt', 'x')).json().error.code).toBe('complaint_file_format');
    expect((await post('/api/complaints/import?fileName=a.csv', '地址,内容\nx,y')).json().error).toMatchObject({
      code: 'complaint_missing_column', params: { column: '工单编号' },
    });
    await h.db.query(`DELETE FROM complaints WHERE number IN ('X-1', 'J-1')`);
  });

  it('lists unplaced complaints for a person to place, with what lies at the spot', async () => {
    const unplaced = (await json('GET', '/api/complaints?status=received')).json();
    expect(unplaced.rows.map((r: { number: string }) => r.number)).toEqual(['H-004']);
    const id = await idOf('H-004');
    expect((await json('POST', `/api/complaints/${id}/dispatch`, office, {})).json().error).toMatchObject({
      code: 'complaint_wrong_status', params: { status: 'received' },
    });
    expect((await json('POST', `/api/complaints/${id}/place`, office, { lon: 95.1, lat: 31.2 })).json().error).toMatchObject({
      code: 'complaint_point_outside_shanghai', params: { value: '95.1,31.2' },
    });
    const placed = await json('POST', `/api/complaints/${id}/place`, office, { lon: 121.3951, lat: 31.2551 });
    expect(placed.json()).toMatchObject({ status: 'placed', streetCode: STREET_B });
    const detail = (await json('GET', `/api/complaints/${id}`)).json();
    // the demolished item T-B-1 stands at that spot
    expect(detail.registryItems.map((r: { caseNo: string }) => r.caseNo)).toEqual(['T-B-1']);
    expect(detail.candidates).toEqual([]);
    expect(detail.imagery).toEqual({ after: null, before: null });

    // imagery over the spot (the newest is "after", the one before it "before"; unready imagery and photos do not
    // count) and a candidate beside it
    const uploadedBy = h.users.admin!.id;
    const box = [121.394, 31.254, 121.396, 31.256] as const;
    const old = await insertTestImagery(h.db, { uploadedBy, status: 'ready', capturedAt: '2025-05-01T02:00:00Z', footprint: box, maxZoom: 19, tileFormat: 'mixed' });
    const recent = await insertTestImagery(h.db, { uploadedBy, status: 'ready', capturedAt: '2026-05-01T02:00:00Z', footprint: box, maxZoom: 19, tileFormat: 'mixed' });
    await insertTestImagery(h.db, { uploadedBy, status: 'ingesting', capturedAt: '2026-06-01T02:00:00Z', footprint: box });
    await insertTestImagery(h.db, { uploadedBy, kind: 'photo', status: 'ready', capturedAt: '2026-06-02T02:00:00Z', footprint: box });
    const runId = await insertTestDetectionRun(h.db, { createdBy: uploadedBy, afterImageryId: recent });
    const candidate = await insertTestCandidate(h.db, { runId, geom: [121.3952, 31.2552, 121.3953, 31.2553], streetCode: STREET_B });
    const linked = (await json('GET', `/api/complaints/${id}`)).json();
    expect(linked.imagery.after).toMatchObject({ id: recent, kind: 'drone', maxZoom: 19, tileFormat: 'mixed' });
    expect(linked.imagery.before).toMatchObject({ id: old });
    expect(linked.candidates.map((c: { id: number; status: string }) => [c.id, c.status])).toEqual([[candidate, 'new']]);
    expect(linked.candidates[0].distanceM).toBeGreaterThan(5);
    expect(linked.candidates[0].distanceM).toBeLessThan(20);
    expect(detail.history.map((e: { action: string }) => e.action)).toEqual(['imported', 'placed']);
    expect((await json('POST', `/api/complaints/${id}/place`, squadB, { lon: 121.3951, lat: 31.2551 })).statusCode).toBe(403);
  });

  it('dispatches to the street squad: each squad sees its own', async () => {
    for (const n of ['H-001', 'H-003', 'H-004']) {
      const res = await json('POST', `/api/complaints/${await idOf(n)}/dispatch`, office, {});
      expect(res.statusCode, n).toBe(200);
    }
    const a = (await json('GET', '/api/complaints', squadA)).json();
    expect(a.rows.map((r: { number: string; deadline: string }) => [r.number, r.deadline])).toEqual([
      ['H-003', LAST_DAY], ['H-001', LAST_DAY],
    ]);
    const b = (await json('GET', '/api/complaints', squadB)).json();
    expect(b.rows.map((r: { number: string }) => r.number)).toEqual(['H-004']);
    expect((await json('GET', `/api/complaints/${await idOf('H-001')}`, squadB)).statusCode).toBe(404);
    // H-002 is placed but not dispatched: no squad sees it yet
    expect((await json('GET', `/api/complaints/${await idOf('H-002')}`, squadB)).statusCode).toBe(404);
  });

  it('closes one as 属实 with a new registry case, one as 属实 on an existing item, one as 不属实', async () => {
    const h1 = await idOf('H-001');
    const bad = await json('POST', `/api/complaints/${h1}/close`, squadA, { verdict: 'true', reply: '已核实' });
    expect(bad.json().error).toMatchObject({ code: 'complaint_close_field', params: { field: 'violation' } });
    const t = await json('POST', `/api/complaints/${h1}/close`, squadA, {
      verdict: 'true', violation: 'new', areaM2: 36, buildingType: 'rooftop_addition', reply: '经核查属实，已立案处置',
    });
    expect(t.statusCode).toBe(200);
    const { caseNo, registryItemId } = t.json();
    expect(caseNo).toMatch(/^PT-\d{4}-\d{6}$/);
    const item = (await h.db.query(
      `SELECT street_code, source, origin, status, floor_area_m2, address, round(footprint_m2) AS fp,
         ST_Contains(geom, (SELECT position FROM complaints WHERE id = $2)) AS covers
       FROM registry_items WHERE id = $1`, [registryItemId, h1],
    )).rows[0];
    expect(item).toMatchObject({ street_code: STREET_A, source: 'complaint_12345', origin: 'new', status: 'open', floor_area_m2: 36, address: '曹杨新村某弄', covers: true });
    expect(Number(item.fp)).toBe(36);
    const events = (await h.db.query(`SELECT action, data FROM registry_events WHERE item_id = $1`, [registryItemId])).rows;
    expect(events).toEqual([{ action: 'created', data: { complaintId: h1, complaintNumber: 'H-001' } }]);

    const h3 = await idOf('H-003');
    const existing = (await h.db.query<{ id: number }>(`SELECT id FROM registry_items WHERE case_no = 'T-A-1'`)).rows[0]!.id;
    const e = await json('POST', `/api/complaints/${h3}/close`, office, { verdict: 'true', violation: 'existing', registryItemId: existing, reply: '系库内存量违建，已纳入处置' });
    expect(e.json()).toMatchObject({ status: 'true', registryItemId: existing, caseNo: null });

    const h4 = await idOf('H-004');
    expect((await json('POST', `/api/complaints/${h4}/close`, squadA, { verdict: 'untrue', reason: 'no_violation', reply: 'x' })).statusCode).toBe(404);
    const u = await json('POST', `/api/complaints/${h4}/close`, squadB, { verdict: 'untrue', reason: 'already_handled', reply: '该处违建已于此前拆除' });
    expect(u.json()).toMatchObject({ status: 'untrue', registryItemId: null });
    expect((await json('POST', `/api/complaints/${h4}/close`, office, { verdict: 'untrue', reason: 'other', reply: 'again' })).json().error.code)
      .toBe('complaint_wrong_status');

    const detail = (await json('GET', `/api/complaints/${h1}`)).json();
    expect(detail.complaint).toMatchObject({ status: 'true', violation: 'new', caseNo, reply: '经核查属实，已立案处置' });
    expect(detail.history.map((ev: { action: string; toStatus: string }) => `${ev.action}:${ev.toStatus}`)).toEqual([
      'imported:placed', 'dispatched:dispatched', 'closed:true',
    ]);
    expect(detail.registryItems.map((r: { caseNo: string }) => r.caseNo)).toContain(caseNo);
  });

  it("puts the month's counts into the index and its CSV, XLSX and PDF export", async () => {
    const index = (await json('GET', `/api/monthly-index?month=${MONTH}`)).json();
    const district = index.rows[0];
    expect(district.complaints).toEqual({
      received: 4, closed: 3, true: 2, trueNew: 1, trueExisting: 1, untrue: 1, due: 4, onTime: 3, completionRate: 0.75,
    });
    expect(index.rows.find((r: { scope: string }) => r.scope === STREET_B).complaints).toMatchObject({ received: 2, untrue: 1, due: 2, onTime: 1 });
    // the new case counts as a new violation found by a 12345 complaint
    expect(district.newBySource.complaint_12345).toBe(1);

    const files = await renderExport(await loadExportData(h.db, MONTH, new Date()));
    const csv = files.find((f) => f.name === `monthly-index-${MONTH}.csv`)!.body.toString('utf8');
    const [header, districtLine] = csv.replace(/^\uFEFF/, '').split('\r\n').map((l) => l.split(','));
    const cell = (name: string) => districtLine![header!.indexOf(name)];
    expect([cell('12345受理(件)'), cell('12345属实(件)'), cell('其中新增违建(件)'), cell('其中存量违建(件)'), cell('12345不属实(件)'), cell('12345按期办结(件)'), cell('12345按期办结率(%)')])
      .toEqual(['4', '2', '1', '1', '1', '3', '75']);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(files.find((f) => f.format === 'xlsx')!.body as unknown as ArrayBuffer);
    const summary = new Map<string, unknown>();
    wb.getWorksheet('汇总')!.eachRow((r) => summary.set(String(r.getCell(1).value), r.getCell(2).value));
    expect(summary.get('12345受理(件)')).toBe(4);
    expect(summary.get('12345按期办结率(%)')).toBe(75);

    const dir = mkdtempSync(join(tmpdir(), 'tuban-complaints-pdf-'));
    try {
      const pdf = join(dir, 'index.pdf');
      writeFileSync(pdf, files.find((f) => f.format === 'pdf')!.body);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      expect(text).toContain('12345投诉');
      expect(text.replace(/\s+/g, '')).toContain('受理4件；办结3件：属实2（新增1，存量1），不属实1；按期办结3/4（75.0%）');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
