// Backup and restore round trip on the demo's geodata and a DATA_DIR with tiles and photos, on real PostGIS.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@tuban/core/auth/secrets';
import { backup, restore, verifyBackup } from '@tuban/core/backup/backup';
import { loadConfig } from '@tuban/core/config';
import { upsertUser } from '@tuban/core/db/users';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { seedGeodata } from '@tuban/data/seed';

const TABLES = ['streets', 'villa_compounds', 'registry_items', 'annual_targets', 'users', 'schema_migrations'];
let testDb: TestDatabase;
let work: string;
let target: { databaseUrl: string; schema: string; dataDir: string };

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = (await testDb.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
  return out;
}

beforeAll(async () => {
  testDb = await createTestDatabase('backup');
  const admin = await upsertUser(testDb.pool, {
    username: 'admin',
    displayName: 'admin',
    role: 'admin',
    streetCode: null,
    passwordHash: await hashPassword('a long enough password'),
  });
  await seedGeodata(testDb.pool, { actorId: admin.id });
  work = await mkdtemp(join(tmpdir(), 'tuban-backup-'));
  const dataDir = join(work, 'files');
  await mkdir(join(dataDir, 'tiles', '7', '18', '219600'), { recursive: true });
  await writeFile(join(dataDir, 'tiles', '7', '18', '219600', '107000.jpg'), randomBytes(5000));
  await mkdir(join(dataDir, 'photos'));
  await writeFile(join(dataDir, 'photos', 'a.jpg'), randomBytes(1200));
  target = { databaseUrl: loadConfig().DATABASE_URL, schema: testDb.schema, dataDir };
});

afterAll(async () => {
  await testDb.drop();
  await rm(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('restores the database and the files exactly, and refuses a damaged backup or a target in use', async () => {
    const before = await counts();
    expect(before.registry_items).toBeGreaterThan(500);
    const out = join(work, 'backup-1');
    const manifest = await backup(target, out);
    expect(manifest.files.map((f) => f.path)).toEqual(['photos/a.jpg', 'tiles/7/18/219600/107000.jpg']);
    expect(manifest.database.migrations.length).toBeGreaterThan(5);
    await expect(backup(target, out)).rejects.toThrow(/exists already/);

    await expect(restore(target, out)).rejects.toThrow(/already holds tables/);

    const photo = await readFile(join(target.dataDir, 'photos', 'a.jpg'));
    await testDb.pool.query(`DROP SCHEMA ${testDb.schema} CASCADE`);
    await rm(target.dataDir, { recursive: true });
    await restore(target, out);
    expect(await counts()).toEqual(before);
    expect(await readFile(join(target.dataDir, 'photos', 'a.jpg'))).toEqual(photo);

    // --replace over a target in use keeps the old files aside.
    await writeFile(join(target.dataDir, 'photos', 'new.jpg'), 'x');
    await restore(target, out, { replace: true });
    expect(await counts()).toEqual(before);
    expect(await readdir(join(target.dataDir, 'photos'))).toEqual(['a.jpg']);
    expect((await readdir(work)).some((n) => n.startsWith('files.before-restore-'))).toBe(true);

    await writeFile(join(out, 'files', 'photos', 'a.jpg'), 'tampered');
    await expect(verifyBackup(out)).rejects.toThrow(/photos\/a\.jpg does not match/);
    await expect(restore(target, out, { replace: true })).rejects.toThrow(/damaged/);
    await writeFile(join(out, 'files', 'photos', 'extra.jpg'), 'x');
    await rm(join(out, 'files', 'photos', 'a.jpg'));
    await expect(verifyBackup(out)).rejects.toThrow(/a\.jpg is missing/);
  });
});
