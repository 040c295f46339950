// Backup and restore round trip on the demo's geodata and a DATA_DIR with tiles and photos, on real PostGIS; and
// the same with the files as objects of an S3 store (a real SeaweedFS), with and without a key prefix.
import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@tuban/core/auth/secrets';
import { backup, restore, verifyBackup } from '@tuban/core/backup/backup';
import { loadConfig } from '@tuban/core/config';
import { S3ObjectStore } from '@tuban/core/storage/s3-object-store';
import { S3_MISSING, TEST_S3_ENDPOINT, testS3Running } from '@tuban/core/testing/s3';
import { upsertUser } from '@tuban/core/db/users';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { seedGeodata } from '@tuban/data/seed';

const s3Up = await testS3Running();
if (!s3Up) console.warn(`backup and restore with S3 skipped: ${S3_MISSING}`);

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

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** An S3 store in a bucket of its own (a store without prefix owns every upload in its bucket). */
async function s3Store(prefix: string): Promise<S3ObjectStore> {
  const store = new S3ObjectStore({ bucket: `tuban-backup-${randomBytes(4).toString('hex')}`, prefix, endpoint: TEST_S3_ENDPOINT, region: 'us-east-1' });
  await store.ensureBucket();
  return store;
}

async function dropStore(store: S3ObjectStore): Promise<void> {
  const whole = new S3ObjectStore({ ...store.location, prefix: '' });
  await whole.removePrefix('');
  await whole.client.send(new DeleteBucketCommand({ Bucket: store.location.bucket }));
}

/** Every object of a whole bucket and its SHA-256. */
async function contents(store: S3ObjectStore): Promise<Record<string, string>> {
  const whole = new S3ObjectStore({ ...store.location, prefix: '' });
  const out: Record<string, string> = {};
  for (const key of (await whole.list('')).sort()) out[key] = sha((await whole.get(key))!);
  return out;
}

describe.skipIf(!s3Up)('backup and restore with the files in S3', () => {
  it('copies every object, the uploads at the bucket root as uploads/, and puts them back; --replace removes the others last', async () => {
    const store = await s3Store('');
    try {
      const s3Target = { ...target, s3: store };
      await store.put('abc123', randomBytes(3000));
      await store.put('abc123.info', Buffer.from('{"size":3000}'));
      await store.put('tiles/imagery/7/mx1-aa/18/219600/107000.jpg', randomBytes(5000));
      await store.put('photos/2026-12/p.jpg', randomBytes(1200));
      // Larger than a part: restored through a multipart upload.
      await store.put('exports/3/big.bin', randomBytes(20 << 20));
      const before = await contents(store);
      const rows = await counts();

      const out = join(work, 'backup-s3');
      const manifest = await backup(s3Target, out);
      expect(manifest.store).toBe('s3');
      expect(manifest.files.map((f) => f.path)).toEqual([
        'exports/3/big.bin', 'photos/2026-12/p.jpg', 'tiles/imagery/7/mx1-aa/18/219600/107000.jpg', 'uploads/abc123', 'uploads/abc123.info',
      ]);
      expect(manifest.files.find((f) => f.path === 'uploads/abc123')!.sha256).toBe(before.abc123);

      // Another kind of store: refused before anything is touched, both ways.
      await expect(restore(target, out, { replace: true })).rejects.toThrow(/files of an S3 store.*kind of STORAGE_URL/);
      const fromFolder = join(work, 'backup-folder');
      await backup(target, fromFolder);
      await expect(restore(s3Target, fromFolder, { replace: true })).rejects.toThrow(/files of a folder store/);

      await testDb.pool.query(`DROP SCHEMA ${testDb.schema} CASCADE`);
      await expect(restore(s3Target, out)).rejects.toThrow(/holds objects already; restore with --replace/);
      await store.removePrefix('');
      await restore(s3Target, out);
      expect(await counts()).toEqual(rows);
      expect(await contents(store)).toEqual(before);

      // A restore that stops half-way (here: no such database) has removed nothing yet.
      await store.put('photos/2026-12/new.jpg', Buffer.from('taken after the backup'));
      await store.put('photos/2026-12/p.jpg', Buffer.from('changed after the backup'));
      const nowhere = { ...s3Target, databaseUrl: target.databaseUrl.replace(/\/[^/?]+(\?|$)/, '/no_such_database$1') };
      await expect(restore(nowhere, out, { replace: true })).rejects.toThrow(/no_such_database/);
      expect(await store.get('photos/2026-12/new.jpg')).not.toBeNull();

      const { removed } = await restore(s3Target, out, { replace: true });
      expect(removed).toBe(1);
      expect(await counts()).toEqual(rows);
      expect(await contents(store)).toEqual(before);
    } finally {
      await dropStore(store);
    }
  }, 120_000);

  it('a store under a key prefix keeps the uploads at its bucket root, which a restore never removes', async () => {
    const store = await s3Store('district/');
    try {
      const s3Target = { ...target, s3: store };
      const root = new S3ObjectStore({ ...store.location, prefix: '' });
      await root.put('up1', randomBytes(2000));
      await store.put('photos/2026-12/q.jpg', randomBytes(800));
      const before = await contents(store);
      const out = join(work, 'backup-s3-prefix');
      const manifest = await backup(s3Target, out);
      expect(manifest.files.map((f) => f.path)).toEqual(['photos/2026-12/q.jpg', 'uploads/up1']);

      await root.put('another-stores-upload', Buffer.from('x'));
      await store.put('photos/2026-12/extra.jpg', Buffer.from('x'));
      await root.remove('up1');
      const { removed } = await restore(s3Target, out, { replace: true });
      expect(removed).toBe(1);
      expect(await contents(store)).toEqual({ ...before, 'another-stores-upload': sha(Buffer.from('x')) });

      // Only the prefix counts as the store being in use.
      await store.removePrefix('');
      await testDb.pool.query(`DROP SCHEMA ${testDb.schema} CASCADE`);
      await restore(s3Target, out);
      expect(await store.list('')).toEqual(['photos/2026-12/q.jpg']);
    } finally {
      await dropStore(store);
    }
  }, 120_000);
});
