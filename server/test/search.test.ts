// What the header needs from the server: search (case numbers, candidate and registry numbers, streets, pasted
// coordinates in GCJ-02 or WGS84, each role seeing what it may), the field-check and overdue counts, where a
// confirmation went and by when, the imagery timeline, and schema errors as codes naming the field.
import { beforeAll, describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '@tuban/core/geo/gcj02';
import { insertTestImagery } from '@tuban/core/testing/fixtures';
import { addDays, todayInShanghai } from '@tuban/core/triage/rules';
import { STREET_A, STREET_B, useHarness } from './harness.js';
import { insertCandidates, type TriageFixtures } from './triage-fixtures.js';

const h = useHarness('search');
let fx: TriageFixtures;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  fx = await insertCandidates(h.db, h.users.admin!.id);
  for (const u of ['office', 'viewer', 'squad-a', 'squad-b']) cookies[u] = await h.login(u);
});

const get = (url: string, who = 'office') => h.app.inject({ url, headers: { cookie: cookies[who]! } });
const post = (url: string, payload: unknown, who = 'office') =>
  h.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: cookies[who]! } });
const search = async (q: string, who = 'office', datum?: string) => {
  const res = await get(`/api/search?${new URLSearchParams({ q, ...(datum ? { datum } : {}) })}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().results as { kind: string; id: string; label: string; streetName: string | null; datum: string | null; lon: number; lat: number }[];
};
const registryId = async (caseNo: string) =>
  (await h.db.query<{ id: string }>('SELECT id::text FROM registry_items WHERE case_no = $1', [caseNo])).rows[0]!.id;

describe('search', () => {
  it('finds a registry item by its case number, in part or whole, with its street and place', async () => {
    const [hit, ...rest] = await search('t-a-1');
    expect(hit).toMatchObject({ kind: 'case', id: await registryId('T-A-1'), label: 'T-A-1', streetName: '曹杨新村街道', datum: null });
    expect(hit!.lon).toBeCloseTo(121.3851, 3);
    expect(hit!.lat).toBeCloseTo(31.2551, 3);
    expect(rest).toEqual([]);
    expect((await search('T-A')).map((r) => r.label)).toEqual(['T-A-1', 'T-A-V', 'T-A-W']);
  });

  it('finds a candidate and a registry item by number, and a street by part of its name', async () => {
    const byNumber = await search(`#${fx.ids.b1}`);
    expect(byNumber[0]).toMatchObject({ kind: 'candidate', id: String(fx.ids.b1), label: `#${fx.ids.b1}`, streetName: '长风新村街道' });
    const item = await registryId('T-B-1');
    expect((await search(item)).some((r) => r.kind === 'registry' && r.id === item)).toBe(true);
    const streets = await search('长风');
    expect(streets).toEqual([expect.objectContaining({ kind: 'street', id: STREET_B, label: '长风新村街道' })]);
  });

  it('holds a squad to its own street’s items, but shows every street', async () => {
    expect(await search('T-B-1', 'squad-a')).toEqual([]);
    expect((await search('T-B-1', 'squad-b')).map((r) => r.label)).toEqual(['T-B-1']);
    expect((await search(String(fx.ids.b1), 'squad-a')).filter((r) => r.kind === 'candidate')).toEqual([]);
    expect((await search('长风', 'squad-a')).map((r) => r.kind)).toEqual(['street']);
  });

  it('reads a pasted coordinate in either order, as GCJ-02 first by default, and says which street it lands in', async () => {
    const wgs: [number, number] = [121.3855, 31.2555];
    const [gLon, gLat] = wgs84ToGcj02(wgs).map((v) => Number(v.toFixed(6))) as [number, number];
    for (const text of [`${gLat},${gLon}`, `${gLon}, ${gLat}`]) {
      const [first, second] = await search(text);
      expect(first).toMatchObject({ kind: 'coordinate', datum: 'gcj02', streetName: '曹杨新村街道' });
      expect(first!.lon).toBeCloseTo(wgs[0], 5);
      expect(first!.lat).toBeCloseTo(wgs[1], 5);
      // the same numbers read as WGS84 lie ~480 m further east, across the border in street B
      expect(second).toMatchObject({ kind: 'coordinate', datum: 'wgs84', lon: gLon, lat: gLat, streetName: '长风新村街道' });
    }
    const asWgs = await search(`${wgs[1]},${wgs[0]}`, 'office', 'wgs84');
    expect(asWgs.map((r) => r.datum)).toEqual(['wgs84', 'gcj02']);
    expect(asWgs[0]).toMatchObject({ lon: wgs[0], lat: wgs[1], streetName: '曹杨新村街道' });
  });

  it('treats % and _ as plain characters and refuses an empty or unknown datum', async () => {
    expect(await search('%')).toEqual([]);
    const empty = await get('/api/search?q=');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatchObject({ code: 'validation_min_length', params: { field: 'q', limit: 1 } });
    const datum = await get('/api/search?q=1,2&datum=bd09');
    expect(datum.json().error).toMatchObject({ code: 'validation_enum', params: { field: 'datum', values: 'gcj02, wgs84' } });
  });
});

describe('header counts and where decisions went', () => {
  it('counts field checks and overdue work for the district, and a squad its own street', async () => {
    const today = todayInShanghai();
    const sent = await post(`/api/candidates/${fx.ids.a1}/decision`, { status: 'field_check' });
    expect(sent.json()).toMatchObject({ to: 'field_check', deadline: addDays(today, 7), streetCode: STREET_A, streetName: '曹杨新村街道', caseNo: null });
    await post(`/api/candidates/${fx.ids.b1}/decision`, { status: 'field_check' });
    await h.db.query('UPDATE candidates SET field_check_due = $2 WHERE id = $1', [fx.ids.b1, addDays(today, -1)]);
    await h.db.query("UPDATE registry_items SET deadline = $1 WHERE case_no = 'T-A-1'", [addDays(today, -3)]);

    const office = (await get('/api/squad/counts')).json();
    expect(office).toMatchObject({ street: null, today, fieldChecks: 2, fieldChecksOverdue: 1, itemsOverdue: 1 });
    expect((await get('/api/squad/counts', 'squad-a')).json()).toMatchObject({ street: STREET_A, fieldChecks: 1, fieldChecksOverdue: 0, itemsOverdue: 1 });
    expect((await get('/api/squad/counts', 'squad-b')).json()).toMatchObject({ street: STREET_B, fieldChecks: 1, fieldChecksOverdue: 1, itemsOverdue: 0 });
    expect((await get('/api/squad/counts', 'viewer')).statusCode).toBe(403);
  });

  it('says which squad a confirmed case went to and by when', async () => {
    const res = await post(`/api/candidates/${fx.ids.b2}/decision`, { status: 'confirmed' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      to: 'confirmed', caseNo: expect.stringMatching(/^PT-\d{4}-\d{6}$/), deadline: addDays(todayInShanghai(), 30),
      streetCode: STREET_B, streetName: '长风新村街道',
    });
    const dismissed = await post(`/api/candidates/${fx.ids.a2}/decision`, { status: 'dismissed', reason: 'temporary' });
    expect(dismissed.json()).toMatchObject({ deadline: null, streetName: '曹杨新村街道' });
  });
});

describe('the imagery timeline', () => {
  it('groups ready imagery by its Shanghai date with the share of each street covered, leaving out unaccepted imagery from elsewhere', async () => {
    const uploadedBy = h.users.admin!.id;
    // street A is [121.38, 31.25, 121.39, 31.26]: the west half of it, then all of it and a quarter of B
    const west = await insertTestImagery(h.db, { status: 'ready', fileName: 'west.tif', capturedAt: '2026-03-01T23:30:00+08:00', uploadedBy, footprint: [121.38, 31.25, 121.385, 31.26], tileFormat: 'webp' });
    const wide = await insertTestImagery(h.db, { status: 'ready', fileName: 'wide.tif', capturedAt: '2026-04-02T01:00:00+08:00', uploadedBy, footprint: [121.38, 31.25, 121.3925, 31.26], tileFormat: 'webp' });
    const far = await insertTestImagery(h.db, { status: 'ready', fileName: 'far.tif', capturedAt: '2026-04-02T02:00:00+08:00', uploadedBy, footprint: [100, 10, 100.01, 10.01] });
    await h.db.query('UPDATE imagery SET outside_district_m = 3000000 WHERE id = $1', [far]);
    await insertTestImagery(h.db, { status: 'failed', fileName: 'bad.tif', capturedAt: '2026-05-01T10:00:00+08:00', uploadedBy, footprint: [121.38, 31.25, 121.39, 31.26] });

    const res = await get('/api/imagery/timeline', 'viewer');
    expect(res.statusCode, res.body).toBe(200);
    const days = (res.json().days as { date: string; imagery: { id: number }[]; streets: { code: string; percent: number }[]; districtPercent: number }[])
      .filter((d) => d.date >= '2026-01-01');
    expect(days.map((d) => [d.date, d.imagery.map((i) => i.id)])).toEqual([['2026-03-01', [west]], ['2026-04-02', [wide]]]);
    expect(days[0]!.streets).toEqual([{ code: STREET_A, name: '曹杨新村街道', percent: expect.closeTo(50, 0) }]);
    expect(days[1]!.streets.map((s) => [s.code, Math.round(s.percent)])).toEqual([[STREET_A, 100], [STREET_B, 25]]);
    expect(days[1]!.districtPercent).toBeCloseTo(62.5, 0);
  });
});
