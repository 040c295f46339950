import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '@tuban/core/db/pool';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { removeStandInCandidates, seedDemoCandidates } from '../src/candidates.js';
import { seedGeodata } from '../src/seed.js';
import { insertTestUser } from '@tuban/core/testing/fixtures';

let db: TestDatabase;
let actorId: number;

beforeAll(async () => {
  db = await createTestDatabase('candidates');
  actorId = await insertTestUser(db.pool, { username: 'seed-admin', displayName: 'Seed admin', role: 'admin' });
  await withTransaction(db.pool, (c) => seedGeodata(c, { actorId }));
}, 60_000);
afterAll(async () => db?.drop());

const fingerprint = async (q: { query: typeof db.pool.query }) =>
  (await q.query<{ f: string }>('SELECT md5(string_agg(ST_AsText(geom) || score_max, \',\' ORDER BY id)) AS f FROM candidates'))
    .rows[0]!.f;

describe('demo candidate generator', () => {
  it('gives the same candidates for the same seed and different ones for another', async () => {
    const run = async (seed: number) => {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        await seedDemoCandidates(client, { actorId, seed, count: 40 });
        return await fingerprint(client);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    };
    const a = await run(7);
    expect(await run(7)).toBe(a);
    expect(await run(8)).not.toBe(a);
  });

  it('places valid candidates in streets, villa compounds and on rebuilt spots, once', async () => {
    const first = await seedDemoCandidates(db.pool, { actorId, seed: 1 });
    expect(first.candidates).toBeGreaterThan(110);
    expect(first.candidates).toBeLessThanOrEqual(120);
    expect(await seedDemoCandidates(db.pool, { actorId, seed: 1 })).toEqual({ runId: null, candidates: 0 });
    const { rows } = await db.pool.query<Record<string, number>>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE rebuilt)::int AS rebuilt,
         count(*) FILTER (WHERE villa_compound_id IS NOT NULL)::int AS villa,
         count(*) FILTER (WHERE street_code IS NULL)::int AS no_street,
         count(*) FILTER (WHERE NOT ST_IsValid(geom) OR area_m2 < 10)::int AS bad,
         count(*) FILTER (WHERE status <> 'new')::int AS decided
       FROM candidates WHERE run_id = $1`,
      [first.runId],
    );
    expect(rows[0]).toMatchObject({ total: first.candidates, no_street: 0, bad: 0, decided: 0 });
    expect(rows[0]!.rebuilt).toBeGreaterThan(3);
    expect(rows[0]!.villa).toBeGreaterThan(3);
  });

  it('removes stand-ins nobody worked on, with their placeholder imagery, and keeps worked-on ones', async () => {
    const kept = await seedDemoCandidates(db.pool, { actorId, seed: 2, count: 5 });
    const [one] = (await db.pool.query<{ id: number }>('SELECT id FROM candidates WHERE run_id = $1 LIMIT 1', [kept.runId])).rows;
    await db.pool.query("UPDATE candidates SET status = 'dismissed', dismiss_reason = 'false_positive' WHERE id = $1", [one!.id]);
    const removed = await removeStandInCandidates(db.pool);
    expect(removed).toBeGreaterThan(110); // seed 1's run
    const { rows } = await db.pool.query<{ runs: number; placeholders: number }>(
      `SELECT (SELECT count(*)::int FROM detection_runs) AS runs,
         (SELECT count(*)::int FROM imagery WHERE file_name LIKE 'demo-%-placeholder.tif') AS placeholders`,
    );
    expect(rows[0]).toEqual({ runs: 1, placeholders: 2 });
    expect(await removeStandInCandidates(db.pool)).toBe(0);
  });
});
