// Labels from decisions: the office corrects an outline and draws a missed building over the API, both audited,
// and listLabels turns the decisions that stand into change / no-change labels.
import { beforeAll, describe, expect, it } from 'vitest';
import { listLabels } from '@tuban/core/learning/labels';
import { boxPolygon, insertTestImagery, type Box } from '@tuban/core/testing/fixtures';
import { STREET_A, STREET_B, useHarness } from './harness.js';
import { insertCandidates, type TriageFixtures } from './triage-fixtures.js';

const h = useHarness('labels');
let f: TriageFixtures;
const cookies: Record<string, string> = {};

const call = (user: string, method: 'POST' | 'PUT' | 'GET', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: { cookie: cookies[user]! }, ...(payload ? { payload } : {}) });
const decide = (id: number, body: object) => call('office', 'POST', `/api/candidates/${id}/decision`, body);

beforeAll(async () => {
  f = await insertCandidates(h.db, h.users.office!.id);
  for (const user of ['office', 'admin', 'viewer', 'squad-a']) cookies[user] = await h.login(user);
});

describe('outline corrections', () => {
  it('stores the moved vertices and keeps the old outline in the audit event', async () => {
    const id = f.ids.a1!;
    const moved: Box = [121.383, 31.254, 121.3834, 31.2543];
    const res = await call('office', 'PUT', `/api/candidates/${id}/outline`, { geometry: boxPolygon(moved), note: 'roof edge' });
    expect(res.statusCode).toBe(200);
    const detail = (await call('office', 'GET', `/api/candidates/${id}`)).json();
    expect(detail.bbox).toEqual([...moved]);
    const event = detail.history.at(-1);
    expect(event).toMatchObject({ kind: 'outline', actorName: 'office', fromStatus: 'new', toStatus: 'new', note: 'roof edge' });
    expect(event.previousGeometry.coordinates[0][0]).toEqual([[121.383, 31.254], [121.3832, 31.254], [121.3832, 31.2542], [121.383, 31.2542], [121.383, 31.254]]);
    // an outline correction is not a decision: nothing to undo
    expect((await call('office', 'POST', `/api/candidates/${id}/undo`)).statusCode).toBe(409);
  });

  it('says what is wrong with an outline and who may not correct one', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[121.383, 31.254], [121.384, 31.255], [121.384, 31.254], [121.383, 31.255], [121.383, 31.254]]] };
    const invalid = await call('office', 'PUT', `/api/candidates/${f.ids.a2}/outline`, { geometry: bowtie });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toMatch(/corrected outline cannot be used: it is not a valid polygon \(Self-intersection/);
    const huge = await call('office', 'PUT', `/api/candidates/${f.ids.a2}/outline`, { geometry: boxPolygon([121.38, 31.25, 121.39, 31.26]) });
    expect(huge.json().error.message).toMatch(/encloses \d+ m², more than 50000 m²/);
    expect((await call('viewer', 'PUT', `/api/candidates/${f.ids.a2}/outline`, { geometry: boxPolygon([121.384, 31.254, 121.3843, 31.2543]) })).statusCode).toBe(403);
    expect((await call('office', 'PUT', '/api/candidates/999999/outline', { geometry: boxPolygon([121.384, 31.254, 121.3843, 31.2543]) })).statusCode).toBe(404);
  });
});

describe('missed buildings drawn by the office', () => {
  it('become manual candidates placed in their street, with a case opened and both steps audited', async () => {
    const footprint: Box = [121.38, 31.25, 121.39, 31.26];
    const before = await insertTestImagery(h.db, { status: 'ready', capturedAt: '2025-01-01T00:00:00Z', footprint, uploadedBy: h.users.admin!.id });
    const after = await insertTestImagery(h.db, { status: 'ready', capturedAt: '2025-09-01T00:00:00Z', footprint, uploadedBy: h.users.admin!.id });
    const res = await call('office', 'POST', '/api/candidates/manual', { geometry: boxPolygon([121.3875, 31.2575, 121.3877, 31.2577]), status: 'confirmed', note: 'shed behind the school' });
    expect(res.statusCode).toBe(201);
    const { candidateId, caseNo } = res.json();
    expect(caseNo).toMatch(/^PT-\d{4}-\d{6}$/);
    const detail = (await call('office', 'GET', `/api/candidates/${candidateId}`)).json();
    expect(detail).toMatchObject({ source: 'manual', runId: null, modelVersion: null, status: 'confirmed', streetCode: STREET_A, beforeImageryId: before, afterImageryId: after });
    expect(detail.history.map((e: { kind: string; fromStatus: string | null; toStatus: string }) => [e.kind, e.fromStatus, e.toStatus]))
      .toEqual([['drawn', null, 'new'], ['decision', 'new', 'confirmed']]);
  });

  it('as known, links the registry item under the outline; outside every street a case cannot open', async () => {
    const known = await call('office', 'POST', '/api/candidates/manual', { geometry: boxPolygon([121.385, 31.255, 121.3852, 31.2552]), status: 'known' });
    expect(known.statusCode).toBe(201);
    const item = (await h.db.query(`SELECT id FROM registry_items WHERE case_no = 'T-A-1'`)).rows[0].id;
    expect(known.json()).toMatchObject({ to: 'known', registryItemId: item });
    const outside = await call('office', 'POST', '/api/candidates/manual', { geometry: boxPolygon([121.41, 31.254, 121.4102, 31.2542]), status: 'confirmed' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.message).toMatch(/outside every street/);
    expect((await h.db.query(`SELECT count(*)::int AS n FROM candidates WHERE source = 'manual'`)).rows[0].n).toBe(2);
    expect((await call('squad-a', 'POST', '/api/candidates/manual', { geometry: boxPolygon([121.3875, 31.2585, 121.3877, 31.2587]), status: 'confirmed' })).statusCode).toBe(403);
  });
});

describe('labels from decisions', () => {
  it('gives change for confirmed, known, legal and temporary, no change for false positives, and nothing else', async () => {
    expect((await decide(f.ids.a2!, { status: 'dismissed', reason: 'false_positive' })).statusCode).toBe(200);
    expect((await decide(f.ids.a3!, { status: 'dismissed', reason: 'imagery_problem' })).statusCode).toBe(200);
    expect((await decide(f.ids.a4!, { status: 'field_check' })).statusCode).toBe(200);
    expect((await decide(f.ids.b1!, { status: 'dismissed', reason: 'legal_permit' })).statusCode).toBe(200);
    expect((await decide(f.ids.b2!, { status: 'confirmed' })).statusCode).toBe(200);
    expect((await decide(f.ids.r1!, { status: 'confirmed' })).statusCode).toBe(200);
    expect((await call('office', 'POST', `/api/candidates/${f.ids.r1}/undo`)).statusCode).toBe(200);

    const labels = await listLabels(h.db);
    const byId = new Map(labels.map((l) => [l.candidateId, l]));
    expect(byId.get(f.ids.a2!)).toMatchObject({ label: 'no_change', status: 'dismissed', dismissReason: 'false_positive', decidedBy: { username: 'office' } });
    expect(byId.get(f.ids.b1!)).toMatchObject({ label: 'change', dismissReason: 'legal_permit' });
    expect(byId.get(f.ids.b2!)).toMatchObject({ label: 'change', status: 'confirmed', afterImageryId: f.afterImageryId, beforeImageryId: expect.any(Number) });
    for (const untaught of [f.ids.a3, f.ids.a4, f.ids.r1, f.ids.a1]) expect(byId.has(untaught!)).toBe(false);
    const manual = labels.filter((l) => l.source === 'manual');
    expect(manual.map((l) => l.label)).toEqual(['change', 'change']);
    expect(manual[0]!.geometry.type).toBe('MultiPolygon');
    expect(Date.parse(byId.get(f.ids.a2!)!.decidedAt)).toBeGreaterThan(Date.now() - 60_000);

    expect((await listLabels(h.db, { streets: [STREET_B] })).map((l) => l.candidateId).sort()).toEqual([f.ids.b1, f.ids.b2].sort());
    expect(await listLabels(h.db, { since: '2999-01-01' })).toEqual([]);
    await expect(listLabels(h.db, { since: 'last week' })).rejects.toThrow(/since must be a date/);
  });
});
