// Drills: decided candidates replayed to a trainee with no answer shown, each answer scored against the office's
// decision, a summary per trainee, and no real case touched.
import { beforeAll, describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';
import { insertCandidates, type TriageFixtures } from './triage-fixtures.js';

const h = useHarness('drills');
let f: TriageFixtures;
const cookies: Record<string, string> = {};
const call = (user: string, method: 'POST' | 'GET', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: { cookie: cookies[user]! }, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  f = await insertCandidates(h.db, h.users.office!.id);
  for (const user of ['office', 'admin', 'viewer']) cookies[user] = await h.login(user);
});

describe('drills', () => {
  it('refuses to start before anything is decided', async () => {
    const res = await call('admin', 'POST', '/api/drills', {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/no decided candidate/);
  });

  it('replays decided candidates without the answer, scores each answer once and changes no real case', async () => {
    const decide = (id: number, body: object) => call('office', 'POST', `/api/candidates/${id}/decision`, body);
    expect((await decide(f.ids.a1!, { status: 'confirmed' })).statusCode).toBe(200);
    expect((await decide(f.ids.a2!, { status: 'dismissed', reason: 'false_positive' })).statusCode).toBe(200);
    expect((await decide(f.ids.b1!, { status: 'dismissed', reason: 'imagery_problem' })).statusCode).toBe(200);
    const before = (await h.db.query('SELECT id, status, updated_at, (SELECT count(*) FROM candidate_events) AS events FROM candidates ORDER BY id')).rows;

    const started = await call('admin', 'POST', '/api/drills', { size: 5 });
    expect(started.statusCode).toBe(201);
    const drill = started.json();
    // only the two labelled decisions can be drilled; the imagery problem teaches nothing
    expect(drill.items.map((i: { candidateId: number }) => i.candidateId).sort()).toEqual([f.ids.a1, f.ids.a2].sort());
    for (const item of drill.items) expect(item).toMatchObject({ answer: null, expected: null, correct: null, officeStatus: null, hasBefore: true, hasAfter: true });

    const expectedOf = (id: number) => (id === f.ids.a1 ? 'change' : 'no_change');
    const [first, second] = drill.items as { position: number; candidateId: number }[];
    const right = await call('admin', 'POST', `/api/drills/${drill.id}/answers`, { position: first!.position, answer: expectedOf(first!.candidateId) });
    expect(right.json()).toMatchObject({ correct: true, expected: expectedOf(first!.candidateId) });
    const wrongAnswer = expectedOf(second!.candidateId) === 'change' ? 'no_change' : 'change';
    const wrong = await call('admin', 'POST', `/api/drills/${drill.id}/answers`, { position: second!.position, answer: wrongAnswer });
    expect(wrong.json()).toMatchObject({ correct: false, answer: wrongAnswer, officeStatus: second!.candidateId === f.ids.a1 ? 'confirmed' : 'dismissed' });
    expect((await call('admin', 'POST', `/api/drills/${drill.id}/answers`, { position: first!.position, answer: 'change' })).statusCode).toBe(409);
    expect((await call('admin', 'POST', `/api/drills/${drill.id}/answers`, { position: 9, answer: 'change' })).statusCode).toBe(404);
    expect((await call('admin', 'POST', `/api/drills/${drill.id}/answers`, { position: 1, answer: 'maybe' })).statusCode).toBe(400);
    // another trainee's drill is theirs alone; viewers take no drills
    expect((await call('office', 'GET', `/api/drills/${drill.id}`)).statusCode).toBe(403);
    expect((await call('viewer', 'POST', '/api/drills', {})).statusCode).toBe(403);
    expect((await call('admin', 'GET', `/api/drills/${drill.id}`)).json()).toMatchObject({ answered: 2, correct: 1 });

    const summary = (await call('office', 'GET', '/api/drills/summary')).json();
    expect(summary).toEqual([expect.objectContaining({ username: 'admin', sessions: 1, answered: 2, correct: 1 })]);
    expect(summary[0].missed + summary[0].falseAlarms).toBe(1);
    const after = (await h.db.query('SELECT id, status, updated_at, (SELECT count(*) FROM candidate_events) AS events FROM candidates ORDER BY id')).rows;
    expect(after).toEqual(before);
  });
});
