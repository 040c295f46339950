// The optional second review of dismissals by junior office users, switched on for this file.
import { beforeAll, describe, expect, it } from 'vitest';
import { insertTestUser } from '@tuban/core/testing/fixtures';
import { PASSWORD, useHarness } from './harness.js';
import { insertCandidates, type TriageFixtures } from './triage-fixtures.js';

const h = useHarness('triage_review', { TRIAGE_DISMISS_REVIEW: true });
let fx: TriageFixtures;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  fx = await insertCandidates(h.db, h.users.admin!.id);
  await insertTestUser(h.db, { username: 'senior', role: 'office', password: PASSWORD });
  await h.db.query("UPDATE users SET junior = true WHERE username = 'office'");
  for (const u of ['office', 'senior', 'admin', 'viewer']) cookies[u] = await h.login(u);
});

const post = (url: string, payload: unknown, who: string) =>
  h.app.inject({ method: 'POST', url, payload: payload as object, headers: { cookie: cookies[who]! } });
const get = (url: string, who = 'senior') => h.app.inject({ url, headers: { cookie: cookies[who]! } });
const dismiss = (label: string, who: string) =>
  post(`/api/candidates/${fx.ids[label]}/decision`, { status: 'dismissed', reason: 'temporary' }, who);
const review = (label: string, approve: boolean, who: string, note?: string) =>
  post(`/api/candidates/${fx.ids[label]}/review`, { approve, ...(note ? { note } : {}) }, who);

describe('second review of junior dismissals', () => {
  it('holds a junior dismissal for review and lists it', async () => {
    expect((await dismiss('a1', 'office')).statusCode).toBe(200);
    expect((await dismiss('a2', 'senior')).statusCode).toBe(200);
    const pending = (await get('/api/candidates?reviewPending=true')).json();
    expect(pending.items.map((c: { id: number }) => c.id)).toEqual([fx.ids.a1]);
    expect(pending.items[0]).toMatchObject({ status: 'dismissed', dismissReason: 'temporary', reviewPending: true });
    expect((await get(`/api/candidates/${fx.ids.a2}`)).json().reviewPending).toBe(false);
  });

  it('needs a senior reviewer other than the one who dismissed', async () => {
    expect((await review('a1', true, 'office')).statusCode).toBe(403);
    expect((await review('a1', true, 'viewer')).statusCode).toBe(403);
    expect((await review('a2', true, 'admin')).statusCode).toBe(409);
    await h.db.query("UPDATE users SET junior = false WHERE username = 'office'");
    const self = await review('a1', true, 'office');
    expect(self.statusCode).toBe(403);
    expect(self.json().error.message).toMatch(/someone other/);
    await h.db.query("UPDATE users SET junior = true WHERE username = 'office'");
  });

  it('approves or sends back, each with an audit event', async () => {
    const ok = await review('a1', true, 'senior', '确认临时工棚');
    expect(ok.statusCode).toBe(200);
    const a1 = (await get(`/api/candidates/${fx.ids.a1}`)).json();
    expect(a1).toMatchObject({ status: 'dismissed', dismissReason: 'temporary', reviewPending: false });
    expect(a1.history.map((e: { fromStatus: string; toStatus: string; note: string }) => [e.fromStatus, e.toStatus, e.note])).toEqual([
      ['new', 'dismissed', ''],
      ['dismissed', 'dismissed', 'review approved: 确认临时工棚'],
    ]);
    expect((await review('a1', false, 'admin')).statusCode).toBe(409);

    expect((await dismiss('a3', 'office')).statusCode).toBe(200);
    expect((await review('a3', false, 'admin', '需现场核实')).statusCode).toBe(200);
    const a3 = (await get(`/api/candidates/${fx.ids.a3}`)).json();
    expect(a3).toMatchObject({ status: 'new', dismissReason: null, reviewPending: false });
    expect(a3.history.at(-1)).toMatchObject({ fromStatus: 'dismissed', toStatus: 'new', note: 'review rejected: 需现场核实' });
    // back in the queue, it can be decided again
    expect((await post(`/api/candidates/${fx.ids.a3}/decision`, { status: 'field_check' }, 'senior')).statusCode).toBe(200);
  });
});
