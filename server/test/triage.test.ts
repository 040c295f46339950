import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestRegistryItem } from '@tuban/core/testing/fixtures';
import { addDays, todayInShanghai } from '@tuban/core/triage/rules';
import { STREET_A, STREET_B, useHarness } from './harness.js';
import { multipartBody } from './multipart.js';
import { insertCandidates, type TriageFixtures } from './triage-fixtures.js';

const h = useHarness('triage');
let fx: TriageFixtures;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  fx = await insertCandidates(h.db, h.users.admin!.id);
  for (const u of ['office', 'admin', 'viewer', 'squad-a', 'squad-b']) cookies[u] = await h.login(u);
});

const get = (url: string, who = 'office') => h.app.inject({ url, headers: { cookie: cookies[who]! } });
const post = (url: string, payload: unknown, who = 'office') =>
  h.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: cookies[who]! } });
const decide = (label: string, body: unknown, who = 'office') => post(`/api/candidates/${fx.ids[label]}/decision`, body, who);
const count = async (sql: string, params: unknown[] = []) => (await h.db.query<{ n: number }>(sql, params)).rows[0]!.n;
const eventsOf = (id: number) => count('SELECT count(*)::int AS n FROM candidate_events WHERE candidate_id = $1', [id]);
const today = todayInShanghai();
let jpeg: Buffer;
beforeAll(async () => {
  // A small photo with the EXIF a phone camera writes, which must survive re-encoding.
  jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 120, g: 90, b: 60 } } })
    .withExif({ IFD0: { Make: 'TubanTestCam' } })
    .jpeg()
    .toBuffer();
});

describe('the triage queue', () => {
  it('sorts rebuilt spots and villa compounds first, then score × area', async () => {
    const res = await get('/api/candidates?sort=priority');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(9);
    const order: number[] = body.items.map((c: { id: number }) => c.id);
    expect(new Set(order.slice(0, 2))).toEqual(new Set([fx.ids.v1, fx.ids.r1]));
    const rest = body.items.slice(2).map((c: { scoreMean: number; areaM2: number }) => c.scoreMean * c.areaM2);
    expect(rest).toEqual([...rest].sort((a: number, b: number) => b - a));
    expect(body.items[0]).toMatchObject({ status: 'new', runId: fx.runId, overdue: false });
    expect(body.items[0].bbox).toHaveLength(4);
  });

  it('filters by street, villa, score, area, bbox, run and status, and pages', async () => {
    const ids = async (q: string) => (await get(`/api/candidates?${q}`)).json().items.map((c: { id: number }) => c.id).sort();
    expect(await ids(`street=${STREET_B}`)).toEqual([fx.ids.b1, fx.ids.b2].sort());
    expect(await ids('villa=true')).toEqual([fx.ids.v1]);
    expect(await ids('minScore=0.85')).toEqual([fx.ids.a1]);
    expect(await ids('minArea=900')).toEqual([fx.ids.a2]);
    expect(await ids('bbox=121.395,31.254,121.3953,31.2543')).toEqual([fx.ids.b1]);
    expect((await ids(`run=${fx.runId}`)).length).toBe(9);
    expect((await ids(`run=${fx.runId + 1}`)).length).toBe(0);
    const page = (await get('/api/candidates?limit=2&offset=2')).json();
    expect(page).toMatchObject({ total: 9, limit: 2, offset: 2 });
    expect(page.items).toHaveLength(2);
    expect((await ids(`from=${today}&to=${today}`)).length).toBe(9);
    expect((await ids(`from=${addDays(today, 1)}`)).length).toBe(0);
    expect((await ids(`to=${addDays(today, -1)}`)).length).toBe(0);
    expect((await get('/api/candidates?from=2025-02-30')).statusCode).toBe(400);
    expect((await get('/api/candidates?minScore=2')).statusCode).toBe(400);
    expect((await get('/api/candidates?sort=random')).statusCode).toBe(400);
  });

  it('holds a squad to its own street', async () => {
    const mine = (await get('/api/candidates', 'squad-a')).json();
    expect(mine.items.every((c: { streetCode: string }) => c.streetCode === STREET_A)).toBe(true);
    expect(mine.total).toBe(6);
    expect((await get(`/api/candidates?street=${STREET_B}`, 'squad-a')).statusCode).toBe(403);
    expect((await get(`/api/candidates/${fx.ids.b1}`, 'squad-a')).statusCode).toBe(404);
    expect((await get(`/api/candidates/${fx.ids.a1}`, 'squad-a')).statusCode).toBe(200);
  });
});

describe('decisions', () => {
  it('confirms: a registry item with a case number, deadline and source, and one audit event', async () => {
    const res = await decide('a1', { status: 'confirmed', note: '新建彩钢棚' });
    expect(res.statusCode).toBe(200);
    const result = res.json();
    expect(result.caseNo).toMatch(new RegExp(`^PT-${today.slice(0, 4)}-\\d{6}$`));
    const item = (await h.db.query(
      `SELECT origin, source, status, street_code, to_char(deadline, 'YYYY-MM-DD') AS deadline,
         to_char(found_on, 'YYYY-MM-DD') AS found_on, building_type, footprint_m2, created_by FROM registry_items WHERE id = $1`,
      [result.registryItemId],
    )).rows[0];
    expect(item).toMatchObject({
      origin: 'new', source: 'satellite', status: 'open', street_code: STREET_A,
      deadline: addDays(today, 30), found_on: today, building_type: 'standalone', created_by: h.users.office!.id,
    });
    const detail = (await get(`/api/candidates/${fx.ids.a1}`)).json();
    expect(detail).toMatchObject({ status: 'confirmed', registryItemId: result.registryItemId, caseNo: result.caseNo });
    expect(detail.history).toHaveLength(1);
    expect(detail.history[0]).toMatchObject({
      fromStatus: 'new', toStatus: 'confirmed', note: '新建彩钢棚', actorName: 'office', actorId: h.users.office!.id,
    });
    expect(await count('SELECT count(*)::int AS n FROM registry_events WHERE item_id = $1', [result.registryItemId])).toBe(1);
  });

  it('refuses what the rules forbid, writing nothing', async () => {
    const before = await eventsOf(fx.ids.a2!);
    const noReason = await decide('a2', { status: 'dismissed' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toMatch(/reason/);
    const badReason = await decide('a2', { status: 'dismissed', reason: 'ugly' });
    expect(badReason.statusCode).toBe(400);
    const knownWithout = await decide('a2', { status: 'known' });
    expect(knownWithout.statusCode).toBe(400);
    expect(knownWithout.json().error.message).toMatch(/registryItemId/);
    expect((await decide('a2', { status: 'known', registryItemId: 999999 })).statusCode).toBe(400);
    expect((await decide('a2', { status: 'confirmed', reason: 'temporary' })).statusCode).toBe(400);
    expect((await decide('a2', { status: 'new' })).statusCode).toBe(400);
    const final = await decide('a1', { status: 'dismissed', reason: 'temporary' });
    expect(final.statusCode).toBe(409);
    expect(final.json().error.message).toMatch(/confirmed/);
    expect((await decide('out', { status: 'confirmed' })).statusCode).toBe(400);
    expect(await eventsOf(fx.ids.a2!)).toBe(before);
    expect(await count('SELECT count(*)::int AS n FROM registry_items WHERE origin = $1', ['new'])).toBe(2);
  });

  it('enforces roles and streets on the server', async () => {
    expect((await decide('a2', { status: 'confirmed' }, 'viewer')).statusCode).toBe(403);
    const squadNew = await decide('a2', { status: 'confirmed' }, 'squad-a');
    expect(squadNew.statusCode).toBe(403);
    expect(squadNew.json().error.message).toMatch(/field check/);
    expect((await decide('b1', { status: 'dismissed', reason: 'temporary' }, 'squad-a')).statusCode).toBe(404);
    expect((await post('/api/candidates/decisions', { ids: [fx.ids.a2], status: 'field_check' }, 'squad-a')).statusCode).toBe(403);
    expect(await eventsOf(fx.ids.a2!)).toBe(0);
  });

  it('dismisses with a reason and links known items', async () => {
    const dismissed = await decide('a2', { status: 'dismissed', reason: 'legal_permit', note: '已有规划许可' });
    expect(dismissed.statusCode).toBe(200);
    const row = (await h.db.query('SELECT status, dismiss_reason FROM candidates WHERE id = $1', [fx.ids.a2])).rows[0];
    expect(row).toEqual({ status: 'dismissed', dismiss_reason: 'legal_permit' });
    const item = (await h.db.query<{ id: number }>("SELECT id FROM registry_items WHERE case_no = 'T-A-1'")).rows[0]!;
    const known = await decide('a3', { status: 'known', registryItemId: item.id });
    expect(known.statusCode).toBe(200);
    const detail = (await get(`/api/candidates/${fx.ids.a3}`)).json();
    expect(detail).toMatchObject({ status: 'known', caseNo: 'T-A-1' });
    expect(detail.history[0]).toMatchObject({ toStatus: 'known', caseNo: 'T-A-1' });
  });

  it('undoes the caller’s own last decision only', async () => {
    const nothing = await post(`/api/candidates/${fx.ids.a4}/undo`, {});
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json().error).toMatchObject({ code: 'undo_nothing', params: { id: fx.ids.a4 } });
    const confirmed = (await decide('a4', { status: 'confirmed' })).json();
    const notYours = await post(`/api/candidates/${fx.ids.a4}/undo`, {}, 'admin');
    expect(notYours.statusCode).toBe(409);
    expect(notYours.json().error.code).toBe('undo_not_yours');
    const undo = await post(`/api/candidates/${fx.ids.a4}/undo`, {});
    expect(undo.statusCode).toBe(200);
    expect(undo.json()).toMatchObject({ from: 'confirmed', to: 'new' });
    expect(await count('SELECT count(*)::int AS n FROM registry_items WHERE id = $1', [confirmed.registryItemId])).toBe(0);
    const detail = (await get(`/api/candidates/${fx.ids.a4}`)).json();
    expect(detail).toMatchObject({ status: 'new', registryItemId: null });
    expect(detail.history.map((e: { toStatus: string; isUndo: boolean; undone: boolean }) => [e.toStatus, e.isUndo, e.undone]))
      .toEqual([['confirmed', false, true], ['new', true, false]]);
    expect((await post(`/api/candidates/${fx.ids.a4}/undo`, {})).statusCode).toBe(409);
  });
});

describe('bulk decisions', () => {
  it('decides over ids or the current filter, all or nothing', async () => {
    // b1 is fine but a1 is already confirmed: nothing may change
    const mixed = await post('/api/candidates/decisions', { ids: [fx.ids.b1, fx.ids.a1], status: 'dismissed', reason: 'temporary' });
    expect(mixed.statusCode).toBe(409);
    expect(mixed.json().error.message).toContain(String(fx.ids.a1));
    expect(await eventsOf(fx.ids.b1!)).toBe(0);
    const both = { filter: { street: STREET_B, status: 'new' }, status: 'field_check' };
    expect((await post('/api/candidates/decisions', { ...both, expectedCount: 3 })).statusCode).toBe(409);
    expect((await post('/api/candidates/decisions', { ...both, ids: [fx.ids.b1] })).statusCode).toBe(400);
    const ok = await post('/api/candidates/decisions', { ...both, expectedCount: 2 });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().count).toBe(2);
    const due = (await h.db.query(
      "SELECT DISTINCT status, to_char(field_check_due, 'YYYY-MM-DD') AS due FROM candidates WHERE street_code = $1",
      [STREET_B],
    )).rows;
    expect(due).toEqual([{ status: 'field_check', due: addDays(today, 7) }]);
  });
});

describe('field checks by the street squad', () => {

  it('lists only its own street’s work, with deadlines', async () => {
    const a = (await get('/api/squad/tasks', 'squad-a')).json();
    expect(a.street).toBe(STREET_A);
    expect(a.fieldChecks).toEqual([]);
    expect(a.registryItems.map((i: { streetCode: string }) => i.streetCode)).toEqual(
      a.registryItems.map(() => STREET_A),
    );
    const b = (await get('/api/squad/tasks', 'squad-b')).json();
    expect(b.fieldChecks.map((c: { id: number }) => c.id).sort()).toEqual([fx.ids.b1, fx.ids.b2].sort());
    expect(b.fieldChecks[0]).toMatchObject({ fieldCheckDue: addDays(today, 7), overdue: false });
    expect((await get(`/api/squad/tasks?street=${STREET_A}`, 'squad-b')).statusCode).toBe(403);
  });

  it('records a result with photos, taken time and position', async () => {
    const form = multipartBody(
      { result: 'confirmed', note: '现场确认新建', takenAt: '2025-11-20T09:30:00+08:00', lon: '121.3951', lat: '31.2541' },
      [{ field: 'photos', fileName: 'site.jpg', contentType: 'image/jpeg', data: jpeg }],
    );
    const other = await h.app.inject({
      method: 'POST', url: `/api/candidates/${fx.ids.b1}/field-check`, ...form,
      headers: { ...form.headers, cookie: cookies['squad-a']! },
    });
    expect(other.statusCode).toBe(404);
    // Worded as for an id that does not exist: other streets' ids cannot be told apart from missing ones.
    expect(other.json().error.message).toBe(`no candidate ${fx.ids.b1}`);
    const res = await h.app.inject({
      method: 'POST', url: `/api/candidates/${fx.ids.b1}/field-check`, ...form,
      headers: { ...form.headers, cookie: cookies['squad-b']! },
    });
    expect(res.statusCode).toBe(200);
    const result = res.json();
    expect(result).toMatchObject({ from: 'field_check', to: 'confirmed' });
    expect(result.caseNo).toMatch(/^PT-/);
    expect(result.photoIds).toHaveLength(1);
    const photo = (await h.db.query(
      'SELECT stored_path, taken_at, ST_X(position) AS lon, ST_Y(position) AS lat, size_bytes FROM photos WHERE id = $1',
      [result.photoIds[0]],
    )).rows[0];
    expect(photo).toMatchObject({ lon: 121.3951, lat: 31.2541 });
    expect(new Date(photo.taken_at).toISOString()).toBe('2025-11-20T01:30:00.000Z');
    expect(existsSync(join(h.dataDir, photo.stored_path))).toBe(true);
    const file = await get(`/api/photos/${result.photoIds[0]}`, 'squad-b');
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="photo-\d+\.jpg"$/);
    expect(file.rawPayload.length).toBe(photo.size_bytes);
    expect((await sharp(file.rawPayload).metadata()).exif?.includes('TubanTestCam')).toBe(true);
    expect((await get(`/api/photos/${result.photoIds[0]}`, 'squad-a')).statusCode).toBe(404);
    const detail = (await get(`/api/candidates/${fx.ids.b1}`, 'squad-b')).json();
    expect(detail.history.map((e: { toStatus: string }) => e.toStatus)).toEqual(['field_check', 'confirmed']);
    expect(detail.photos[0]).toMatchObject({ fileName: 'site.jpg', lon: 121.3951 });
  });

  it('refuses bad field checks and leaves no file behind', async () => {
    const filesBefore = readdirSync(join(h.dataDir, 'photos'), { recursive: true }).length;
    const send = (fields: Record<string, string>, data = jpeg) => {
      const form = multipartBody(fields, [{ field: 'photos', fileName: 'x.jpg', contentType: 'image/jpeg', data }]);
      return h.app.inject({
        method: 'POST', url: `/api/candidates/${fx.ids.b2}/field-check`, ...form,
        headers: { ...form.headers, cookie: cookies['squad-b']! },
      });
    };
    const noReason = await send({ result: 'dismissed' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toMatch(/reason/);
    expect((await send({ result: 'maybe' })).statusCode).toBe(400);
    expect((await send({ result: 'dismissed', reason: 'temporary', lon: 'east' })).statusCode).toBe(400);
    // A page sent as a JPEG is refused by its content, and so is a JPEG cut off after its header.
    const html = await send({ result: 'dismissed', reason: 'temporary' }, Buffer.from('<html><script>alert(1)</script></html>'));
    expect(html.statusCode).toBe(400);
    expect(html.json().error.message).toMatch(/x\.jpg is not a JPEG, PNG or WebP image/);
    expect((await send({ result: 'dismissed', reason: 'temporary' }, jpeg.subarray(0, 40))).statusCode).toBe(400);
    expect(readdirSync(join(h.dataDir, 'photos'), { recursive: true }).length).toBe(filesBefore);
    expect(await count("SELECT count(*)::int AS n FROM candidates WHERE id = $1 AND status = 'field_check'", [fx.ids.b2])).toBe(1);
    const ok = await send({ result: 'dismissed', reason: 'temporary', note: '临时工棚，已拆' });
    expect(ok.statusCode).toBe(200);
  });
});

describe('registry dispositions', () => {
  let itemId: number;
  beforeAll(async () => {
    itemId = (await h.db.query<{ id: number }>("SELECT id FROM registry_items WHERE case_no = 'T-A-1'")).rows[0]!.id;
  });

  it('checks the input and the street', async () => {
    const url = `/api/registry/${itemId}/disposition`;
    expect((await post(url, { status: 'demolished', date: today }, 'squad-a')).statusCode).toBe(400);
    const future = await post(url, { status: 'demolished', date: addDays(today, 2), areaRemovedM2: 10 }, 'squad-a');
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toMatch(/future/);
    expect((await post(url, { status: 'demolished', date: '2025-02-30', areaRemovedM2: 10 }, 'squad-a')).statusCode).toBe(400);
    expect((await post(url, { status: 'demolished', date: today, areaRemovedM2: 5000 }, 'squad-a')).statusCode).toBe(400);
    expect((await post(url, { status: 'annotated', date: today, areaRemovedM2: 5 }, 'squad-a')).statusCode).toBe(400);
    expect((await post(url, { status: 'demolished', date: today, areaRemovedM2: 10 }, 'squad-b')).statusCode).toBe(404);
    expect((await post(url, { status: 'demolished', date: today, areaRemovedM2: 10 }, 'viewer')).statusCode).toBe(403);
    expect(await count("SELECT count(*)::int AS n FROM registry_items WHERE id = $1 AND status = 'open'", [itemId])).toBe(1);
  });

  it('records a demolition once, with a registry event', async () => {
    const url = `/api/registry/${itemId}/disposition`;
    const res = await post(url, { status: 'demolished', date: today, areaRemovedM2: 100, note: '已拆除' }, 'squad-a');
    expect(res.statusCode).toBe(200);
    const row = (await h.db.query(
      "SELECT status, to_char(closed_on, 'YYYY-MM-DD') AS closed_on, area_removed_m2 FROM registry_items WHERE id = $1",
      [itemId],
    )).rows[0];
    expect(row).toEqual({ status: 'demolished', closed_on: today, area_removed_m2: 100 });
    const history = (await get(`/api/registry/${itemId}/history`, 'squad-a')).json();
    expect(history.at(-1)).toMatchObject({ action: 'disposition', fromStatus: 'open', toStatus: 'demolished', note: '已拆除' });
    expect(history.at(-1).data).toEqual({ date: today, areaRemovedM2: 100 });
    expect((await get(`/api/registry/${itemId}/history`, 'squad-b')).statusCode).toBe(404);
    expect((await post(url, { status: 'legalized', date: today }, 'squad-a')).statusCode).toBe(409);
  });

  it('keeps photos of a disposition with the item, for its own street only', async () => {
    const url = `/api/registry/${itemId}/photos`;
    const send = (who: string, files: Parameters<typeof multipartBody>[1]) => {
      const form = multipartBody({ takenAt: '2025-11-21T10:00:00+08:00', lon: '121.3951', lat: '31.2541' }, files);
      return h.app.inject({ method: 'POST', url, ...form, headers: { ...form.headers, cookie: cookies[who]! } });
    };
    const photo = [{ field: 'photos', fileName: 'gone.jpg', contentType: 'image/jpeg', data: jpeg }];
    expect((await send('squad-b', photo)).statusCode).toBe(404);
    const none = await send('squad-a', []);
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toMatch(/no photo/);
    const res = await send('squad-a', photo);
    expect(res.statusCode).toBe(200);
    const [id] = res.json().photoIds;
    const row = (await h.db.query('SELECT registry_item_id, candidate_id, ST_X(position) AS lon FROM photos WHERE id = $1', [id])).rows[0];
    expect(row).toEqual({ registry_item_id: itemId, candidate_id: null, lon: 121.3951 });
    expect(await count('SELECT count(*)::int AS n FROM photos WHERE registry_item_id = $1', [itemId])).toBe(1);
  });

  it('flags overdue work', async () => {
    await h.db.query("UPDATE registry_items SET deadline = '2020-01-01' WHERE street_code = $1 AND origin = 'new'", [STREET_A]);
    const tasks = (await get('/api/squad/tasks', 'squad-a')).json();
    expect(tasks.registryItems[0]).toMatchObject({ overdue: true, deadline: '2020-01-01' });
    await h.db.query("UPDATE candidates SET status = 'field_check', field_check_due = '2020-01-01' WHERE id = $1", [fx.ids.a4]);
    const list = (await get(`/api/candidates?status=field_check&street=${STREET_A}`)).json();
    expect(list.items.find((c: { id: number }) => c.id === fx.ids.a4)).toMatchObject({ overdue: true });
  });
});

describe('edge rules', () => {
  it('skips case numbers already taken and keeps confirmed items once a disposition exists', async () => {
    const year = today.slice(0, 4);
    const { rows } = await h.db.query<{ last: number }>('SELECT last FROM case_number_counters WHERE year = $1', [Number(year)]);
    const next = `PT-${year}-${String(rows[0]!.last + 1).padStart(6, '0')}`;
    // an imported item already carries the next number
    await insertTestRegistryItem(h.db, {
      caseNo: next, streetCode: STREET_A, geom: [121.388, 31.25, 121.3881, 31.2501], floorAreaM2: 10, buildingType: 'extension', foundOn: today,
      createdBy: h.users.admin!.id,
    });
    await h.db.query("UPDATE candidates SET status = 'new', field_check_due = NULL WHERE id = $1", [fx.ids.r1]);
    const res = await decide('r1', { status: 'confirmed' }, 'admin');
    expect(res.statusCode).toBe(200);
    expect(res.json().caseNo).not.toBe(next);
    expect(res.json().caseNo).toMatch(new RegExp(`^PT-${year}-\\d{6}$`));
    const item = res.json().registryItemId;
    const disposed = await post(`/api/registry/${item}/disposition`, { status: 'annotated', date: today }, 'squad-a');
    expect(disposed.statusCode).toBe(200);
    const undo = await post(`/api/candidates/${fx.ids.r1}/undo`, {}, 'admin');
    expect(undo.statusCode).toBe(409);
    expect(undo.json().error).toMatchObject({ code: 'undo_disposed', params: { caseNo: res.json().caseNo } });
    expect(await count('SELECT count(*)::int AS n FROM registry_items WHERE id = $1', [item])).toBe(1);
  });

  it('lets viewers read but not undo, and squads not undo in other streets', async () => {
    expect((await get('/api/candidates', 'viewer')).statusCode).toBe(200);
    expect((await get(`/api/candidates/${fx.ids.v1}`, 'viewer')).statusCode).toBe(200);
    expect((await post(`/api/candidates/${fx.ids.v1}/undo`, {}, 'viewer')).statusCode).toBe(403);
    expect((await post(`/api/candidates/${fx.ids.b2}/undo`, {}, 'squad-a')).statusCode).toBe(404);
    expect((await get('/api/candidates/999999')).statusCode).toBe(404);
  });

  it('documents the triage routes in OpenAPI', async () => {
    const paths = Object.keys((await get('/docs/json')).json().paths);
    for (const p of ['/api/candidates', '/api/candidates/{id}', '/api/candidates/{id}/decision', '/api/candidates/decisions',
      '/api/candidates/{id}/undo', '/api/candidates/{id}/field-check', '/api/registry/{id}/disposition', '/api/squad/tasks']) {
      expect(paths).toContain(p);
    }
  });
});
