import { beforeAll, describe, expect, it } from 'vitest';
import { listFlightEvents } from '@tuban/core/db/flights';
import { insertTestUser } from '@tuban/core/testing/fixtures';
import { PASSWORD, STREET_A, STREET_B, useHarness } from './harness.js';

const h = useHarness('flights');
const ids: Record<string, number> = {};
beforeAll(async () => {
  for (const username of ['pilot-1', 'pilot-2']) {
    ids[username] = await insertTestUser(h.db, { username, password: PASSWORD });
  }
});

const sortie = (over: Record<string, unknown> = {}) => ({
  droneModel: 'DJI Mavic 3E',
  flownAt: '2025-03-10T09:00:00+08:00',
  purpose: 'routine',
  streetCodes: [STREET_A],
  ...over,
});

// Logging in hashes a password (deliberately slow), so each user logs in once.
const cookies = new Map<string, Promise<string>>();
const login = (username: string) => {
  if (!cookies.has(username)) cookies.set(username, h.login(username));
  return cookies.get(username)!;
};

async function post(username: string, payload: Record<string, unknown>) {
  const cookie = await login(username);
  return h.app.inject({ method: 'POST', url: '/api/flights', headers: { cookie }, payload });
}

describe('recording sorties', () => {
  it('a pilot records their own sortie, attributed and audited', async () => {
    const res = await post('pilot-1', sortie({ notes: '桃浦 patrol' }));
    expect(res.statusCode).toBe(201);
    const f = res.json();
    expect(f).toMatchObject({ pilotId: ids['pilot-1'], pilotName: 'pilot-1', purpose: 'routine', streetCodes: [STREET_A], notes: '桃浦 patrol' });
    expect(Date.parse(f.flownAt)).toBe(Date.parse('2025-03-10T01:00:00Z'));
    expect(f.createdBy).toBe(ids['pilot-1']);
    const events = await listFlightEvents(h.db, f.id);
    expect(events).toEqual([expect.objectContaining({ actorId: ids['pilot-1'], action: 'created' })]);
  });

  it('refuses a pilot recording a sortie for another pilot', async () => {
    const res = await post('pilot-1', sortie({ pilotId: ids['pilot-2'] }));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/own sorties/);
  });

  it('lets the office record a sortie for a pilot, but only for a pilot', async () => {
    const ok = await post('office', sortie({ pilotId: ids['pilot-2'] }));
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ pilotId: ids['pilot-2'], createdBy: h.users.office!.id });
    const bad = await post('office', sortie({ pilotId: h.users.viewer!.id }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/viewer is not a pilot/);
  });

  it('names unknown streets, bad purposes and future times, and writes nothing', async () => {
    const before = (await h.db.query('SELECT count(*)::int AS n FROM flights')).rows[0].n;
    const street = await post('pilot-1', sortie({ streetCodes: [STREET_A, '310107999'] }));
    expect(street.statusCode).toBe(400);
    expect(street.json().error.message).toBe('unknown street code(s): 310107999');
    const purpose = await post('pilot-1', sortie({ purpose: 'joyride' }));
    expect(purpose.statusCode).toBe(400);
    expect(purpose.json().error.message).toMatch(/purpose/);
    const future = await post('pilot-1', sortie({ flownAt: new Date(Date.now() + 3 * 86400_000).toISOString() }));
    expect(future.statusCode).toBe(400);
    expect(future.json().error.message).toMatch(/future/);
    expect((await h.db.query('SELECT count(*)::int AS n FROM flights')).rows[0].n).toBe(before);
  });

  it('keeps viewers and squads out', async () => {
    expect((await post('viewer', sortie())).statusCode).toBe(403);
    expect((await post('squad-a', sortie())).statusCode).toBe(403);
  });
});

describe('pilots see and edit only their own', () => {
  it('lists only the caller\'s sorties for a pilot and all for the office', async () => {
    const p2 = await login('pilot-2');
    const mine = (await h.app.inject({ url: '/api/flights', headers: { cookie: p2 } })).json();
    expect(mine.flights.length).toBeGreaterThan(0);
    expect(mine.flights.every((f: { pilotId: number }) => f.pilotId === ids['pilot-2'])).toBe(true);
    const other = await h.app.inject({ url: `/api/flights?pilotId=${ids['pilot-1']}`, headers: { cookie: p2 } });
    expect(other.statusCode).toBe(403);
    const office = (await h.app.inject({ url: '/api/flights', headers: { cookie: await login('office') } })).json();
    expect(new Set(office.flights.map((f: { pilotId: number }) => f.pilotId))).toEqual(new Set([ids['pilot-1'], ids['pilot-2']]));
    expect(office.total).toBe(office.flights.length);
  });

  it('lets a pilot edit their own sortie and records the change', async () => {
    const id = (await post('pilot-1', sortie())).json().id;
    const cookie = await login('pilot-1');
    const res = await h.app.inject({ method: 'PATCH', url: `/api/flights/${id}`, headers: { cookie }, payload: { purpose: 'hotspot', notes: 'villa' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ purpose: 'hotspot', notes: 'villa', droneModel: 'DJI Mavic 3E' });
    const events = await listFlightEvents(h.db, id);
    expect(events.map((e) => e.action)).toEqual(['created', 'updated']);
    expect(events[1]!.changes).toEqual({ purpose: ['routine', 'hotspot'], notes: ['', 'villa'] });
  });

  it("refuses a pilot reading or editing another pilot's sortie, and handing their own to another", async () => {
    const id = (await post('pilot-1', sortie())).json().id;
    const p2 = await login('pilot-2');
    expect((await h.app.inject({ url: `/api/flights/${id}`, headers: { cookie: p2 } })).statusCode).toBe(403);
    const edit = await h.app.inject({ method: 'PATCH', url: `/api/flights/${id}`, headers: { cookie: p2 }, payload: { notes: 'x' } });
    expect(edit.statusCode).toBe(403);
    const p1 = await login('pilot-1');
    const hand = await h.app.inject({ method: 'PATCH', url: `/api/flights/${id}`, headers: { cookie: p1 }, payload: { pilotId: ids['pilot-2'] } });
    expect(hand.statusCode).toBe(403);
    expect((await h.app.inject({ url: `/api/flights/${id}`, headers: { cookie: await login('admin') } })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/flights/999999', headers: { cookie: p1 } })).statusCode).toBe(404);
  });
});

describe('monthly statistics', () => {
  it('counts sorties and pilot-shifts per street with months cut in Asia/Shanghai', async () => {
    const office = 'office';
    // 2024-06-30T17:00Z is 1 July 01:00 in Shanghai: July, not June.
    await post(office, sortie({ pilotId: ids['pilot-1'], flownAt: '2024-06-30T17:00:00Z', streetCodes: [STREET_A, STREET_B] }));
    await post(office, sortie({ pilotId: ids['pilot-1'], flownAt: '2024-07-01T10:00:00+08:00', streetCodes: [STREET_A] }));
    await post(office, sortie({ pilotId: ids['pilot-1'], flownAt: '2024-07-02T10:00:00+08:00', streetCodes: [STREET_B] }));
    await post(office, sortie({ pilotId: ids['pilot-2'], flownAt: '2024-07-02T15:00:00+08:00', streetCodes: [STREET_A] }));
    // Last instant of July in Shanghai counts, the first of August does not.
    await post(office, sortie({ pilotId: ids['pilot-2'], flownAt: '2024-07-31T15:59:59Z', streetCodes: [STREET_B] }));
    await post(office, sortie({ pilotId: ids['pilot-2'], flownAt: '2024-07-31T16:00:00Z', streetCodes: [STREET_B] }));
    await post(office, sortie({ pilotId: ids['pilot-2'], flownAt: '2024-06-30T15:59:59Z', streetCodes: [STREET_B] }));

    const cookie = await login('viewer');
    const res = await h.app.inject({ url: '/api/flights/stats?month=2024-07', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      month: '2024-07',
      // pilot-1 on 1 and 2 July, pilot-2 on 2 and 31 July
      total: { sorties: 5, pilotShifts: 4 },
      streets: [
        { code: STREET_A, name: '曹杨新村街道', sorties: 3, pilotShifts: 2 },
        { code: STREET_B, name: '长风新村街道', sorties: 3, pilotShifts: 3 },
      ],
    });
  });

  it('holds a squad to its own street and rejects a malformed month', async () => {
    const cookie = await login('squad-a');
    const res = await h.app.inject({ url: '/api/flights/stats?month=2024-07', headers: { cookie } });
    expect(res.json().streets.map((s: { code: string }) => s.code)).toEqual([STREET_A]);
    expect(res.json().total).toEqual({ sorties: 3, pilotShifts: 2 });
    expect((await h.app.inject({ url: `/api/flights/stats?month=2024-07&street=${STREET_B}`, headers: { cookie } })).statusCode).toBe(403);
    const bad = await h.app.inject({ url: '/api/flights/stats?month=2024-13', headers: { cookie } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/month/);
  });
});
