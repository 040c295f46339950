import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { migrate, readMigrations } from '../src/db/migrate.js';
import { createPool, type Pool } from '../src/db/pool.js';
import type { Role } from '../src/domain.js';
import { insertTestStreet, insertTestUser } from '../src/testing/fixtures.js';

// A brand-new database, not just a schema: migrations must work on an empty one.
const baseUrl = loadConfig().DATABASE_URL;
const dbName = `tuban_migrate_${randomBytes(4).toString('hex')}`;
const admin = createPool(baseUrl, { max: 1 });
let url: string;
let pool: Pool;

beforeAll(async () => {
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(baseUrl);
  u.pathname = `/${dbName}`;
  url = u.toString();
  pool = createPool(url, { max: 3 });
});
afterAll(async () => {
  await pool?.end();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.end();
});

describe('migrations', () => {
  it('apply on an empty database, then do nothing the second time', async () => {
    const all = await readMigrations();
    expect(await migrate(pool)).toEqual(all.map((m) => m.name));
    expect(await migrate(pool)).toEqual([]);
    const { rows } = await pool.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    const tables = rows.map((r) => r.t);
    for (const t of ['streets', 'users', 'api_tokens', 'flights', 'imagery', 'detection_runs', 'candidates',
      'candidate_events', 'registry_items', 'registry_events', 'villa_compounds', 'exports']) {
      expect(tables).toContain(t);
    }
  });

  it('two processes migrating at once apply each file once', async () => {
    const other = createPool(url, { max: 1 });
    const results = await Promise.all([migrate(pool), migrate(other)]);
    await other.end();
    expect(results.flat()).toEqual([]);
  });

  it('keep status columns to the contract values and geometry valid', async () => {
    const polygon = (ring: number[][]): GeoJSON.Polygon => ({ type: 'Polygon', coordinates: [ring] });
    await insertTestStreet(pool, { code: '310107005', name: 'x', geom: polygon([[0, 0], [1, 0], [1, 1], [0, 0]]) });
    await expect(insertTestUser(pool, { username: 'u1', role: 'boss' as string as Role })).rejects.toThrow(/check constraint/);
    await expect(insertTestUser(pool, { username: 'u2', role: 'squad' })).rejects.toThrow(/check constraint/);
    await expect(
      insertTestStreet(pool, { code: '310107014', name: 'y', geom: polygon([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]) }),
    ).rejects.toThrow(/check constraint/);
  });

  it('reject a badly named migration file', async () => {
    const dir = await mkdtemp(`${tmpdir()}/mig-`);
    await writeFile(`${dir}/1_Init.sql`, 'SELECT 1');
    await expect(readMigrations(dir)).rejects.toThrow(/1_Init.sql does not match/);
  });
});
