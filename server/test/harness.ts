// Starts the real app on a schema of its own in the real PostGIS, with the real Redis, and small known fixtures.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import { hashPassword } from '@tuban/core/auth/secrets';
import { loadConfig, type Config } from '@tuban/core/config';
import type { Pool } from '@tuban/core/db/pool';
import { upsertUser, type User } from '@tuban/core/db/users';
import type { Role } from '@tuban/core/domain';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { imageryItem, type TileStore } from '@tuban/core/tiles/tile-store';
import { markReady } from '@tuban/core/db/imagery';
import { insertTestImagery, insertTestRegistryItem, insertTestStreet, insertTestVillaCompound, type TestRegistryItem } from '@tuban/core/testing/fixtures';
import { buildApp, type AppDeps } from '../src/app.js';

export const PASSWORD = 'test-password-1';
export const STREET_A = '310107005';
export const STREET_B = '310107014';

// Two square streets side by side just north of Putuo's centre, 0.01° (~950 m) wide.
export const STREET_A_BOX = [121.38, 31.25, 121.39, 31.26] as const;
export const STREET_B_BOX = [121.39, 31.25, 121.4, 31.26] as const;

export interface Harness {
  app: FastifyInstance;
  db: Pool;
  redis: Redis;
  users: Record<string, User>;
  /** BullMQ key prefix of this harness's queues */
  queuePrefix: string;
  /** DATA_DIR of this harness's app (tiles, photos, exports); removed on close */
  dataDir: string;
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

async function insertFixtures(db: Pool): Promise<Record<string, User>> {
  await insertTestStreet(db, { code: STREET_A, name: '曹杨新村街道', geom: STREET_A_BOX });
  await insertTestStreet(db, { code: STREET_B, name: '长风新村街道', geom: STREET_B_BOX });
  const hash = await hashPassword(PASSWORD);
  const accounts: [string, Role, string | null][] = [
    ['admin', 'admin', null],
    ['office', 'office', null],
    ['viewer', 'viewer', null],
    ['squad-a', 'squad', STREET_A],
    ['squad-b', 'squad', STREET_B],
  ];
  const users: Record<string, User> = {};
  for (const [username, role, streetCode] of accounts) {
    users[username] = await upsertUser(db, { username, displayName: username, role, streetCode, passwordHash: hash });
  }
  // One open item in A, one demolished item in B, one villa compound with two villa items in A.
  const createdBy = users.admin!.id;
  const villaCompoundId = await insertTestVillaCompound(db, { name: '测试别墅区', streetCode: STREET_A, geom: [121.381, 31.251, 121.383, 31.253], createdBy });
  const items: TestRegistryItem[] = [
    { caseNo: 'T-A-1', streetCode: STREET_A, geom: [121.385, 31.255, 121.3852, 31.2552], floorAreaM2: 120, foundOn: '2025-03-01', createdBy },
    {
      caseNo: 'T-B-1', streetCode: STREET_B, geom: [121.395, 31.255, 121.3951, 31.2551], floorAreaM2: 80, buildingType: 'extension', origin: 'new',
      source: 'drone', status: 'demolished', foundOn: '2025-05-01', closedOn: '2025-06-01', createdBy,
    },
    {
      caseNo: 'T-A-V', streetCode: STREET_A, geom: [121.3815, 31.2515, 121.3817, 31.2517], floorAreaM2: 200, buildingType: 'villa_extension',
      status: 'annotated', foundOn: '2024-01-10', villaCompoundId, villaCategory: 'restrict_freeze', createdBy,
    },
    {
      caseNo: 'T-A-W', streetCode: STREET_A, geom: [121.3821, 31.2521, 121.3823, 31.2523], floorAreaM2: 90, buildingType: 'villa_extension',
      status: 'demolished', foundOn: '2024-02-10', closedOn: '2024-09-01', villaCompoundId, villaCategory: 'demolish_confiscate', createdBy,
    },
  ];
  for (const item of items) await insertTestRegistryItem(db, item);
  return users;
}

export async function startHarness(
  label: string,
  overrides: Partial<Config> = {},
  deps: Pick<AppDeps, 'changeModel'> = {},
): Promise<Harness> {
  const testDb: TestDatabase = await createTestDatabase(label);
  const dataDir = await mkdtemp(join(tmpdir(), `tuban-${label}-`));
  const config = loadConfig(process.env, {
    LOG_LEVEL: 'silent',
    WEB_DIST: '/nonexistent',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `tuban-test-${testDb.schema}`,
    ...overrides,
  });
  const redis = createRedis(config.REDIS_URL);
  const users = await insertFixtures(testDb.pool);
  const app = await buildApp({ config, db: testDb.pool, redis, ...deps });
  await app.ready();
  return {
    app,
    db: testDb.pool,
    redis,
    users,
    queuePrefix: config.QUEUE_PREFIX,
    dataDir,
    async login(username) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
      if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'tuban_session');
      return `tuban_session=${cookie!.value}`;
    },
    async close() {
      await app.close();
      redis.disconnect();
      await testDb.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The harness of a test file: started before its tests and closed after them. Its fields can be read once
 * the tests run (in hooks and tests, not at the top of the file).
 */
export function useHarness(label: string, overrides: Partial<Config> = {}, deps: Pick<AppDeps, 'changeModel'> = {}): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(label, overrides, deps);
  });
  afterAll(async () => started?.close());
  return new Proxy({} as Harness, {
    get(_, key) {
      if (!started) throw new Error(`the ${label} harness is read before it started`);
      return started[key as keyof Harness];
    },
  });
}

/** The first bytes of a JPEG and of a PNG: enough for the tile routes, which pass tiles through as stored. */
export const JPEG_BYTES = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
export const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/** An imagery item marked ready over a small square in Putuo, z12–z21, its tiles to be written in `tileFormat`. */
export async function readyTestImagery(db: Pool, uploadedBy: number, fileName: string, tileFormat: string, tileCount: number): Promise<number> {
  const id = await insertTestImagery(db, { fileName, uploadedBy, capturedAt: '2026-05-01T00:00:00Z' });
  const ring = [[121.381, 31.251], [121.381, 31.252], [121.382, 31.252], [121.382, 31.251], [121.381, 31.251]];
  await markReady(db, id, {
    capturedAt: new Date('2026-05-01T00:00:00Z'), crs: 'EPSG:4549', gsdM: 0.05, widthPx: 2000, heightPx: 2200,
    bands: [{ index: 1, role: 'red' }], minZoom: 12, maxZoom: 21, tileFormat, tileCount,
    footprintRings: [ring], simplifyDeg: 1e-7, extentRing: ring,
  });
  return id;
}

/** A mixed pyramid of two z21 tiles in the store: JPEG inside (x 1756105), PNG at the imagery's edge (x 1756106). */
export async function writeMixedTestPyramid(tiles: TileStore, imageryId: number): Promise<void> {
  const writer = await tiles.begin(imageryItem(imageryId), 'jpg');
  await writer.put({ z: 21, x: 1756105, y: 857013 }, JPEG_BYTES);
  await writer.put({ z: 21, x: 1756106, y: 857013 }, PNG_BYTES, 'png');
  await writer.publish();
}

/** Through the tile route, the .jpg URLs of writeMixedTestPyramid's tiles answer JPEG inside and PNG at the edge. */
export async function expectMixedTestTiles(get: (url: string) => Promise<{ headers: Record<string, unknown>; rawPayload: Buffer }>, imageryId: number) {
  const inner = await get(`/tiles/imagery/${imageryId}/21/1756105/857013.jpg`);
  expect(inner.headers['content-type']).toBe('image/jpeg');
  expect(inner.rawPayload.equals(JPEG_BYTES)).toBe(true);
  const edge = await get(`/tiles/imagery/${imageryId}/21/1756106/857013.jpg`);
  expect(edge.headers['content-type']).toBe('image/png');
  expect(edge.rawPayload.equals(PNG_BYTES)).toBe(true);
}
