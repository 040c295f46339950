// A real server on a random port (tus clients need real HTTP), its own schema, data folder and queue prefix.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { Upload } from 'tus-js-client';
import { newToken, tokenHash } from '@tuban/core/auth/secrets';
import { loadConfig, type Config } from '@tuban/core/config';
import type { Pool } from '@tuban/core/db/pool';
import { insertApiToken } from '@tuban/core/db/sessions';
import { upsertUser, type User } from '@tuban/core/db/users';
import type { Role } from '@tuban/core/domain';
import { QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase } from '@tuban/core/testing/database';
import { buildApp } from '../src/app.js';
import { insertTestStreet } from '@tuban/core/testing/fixtures';

export const STREET = '310107005';

export interface UploadHarness {
  app: FastifyInstance;
  db: Pool;
  redis: Redis;
  baseUrl: string;
  dataDir: string;
  uploadDir: string;
  queuePrefix: string;
  /** The ingest queue the server adds to. */
  queue: Queue;
  users: Record<string, User>;
  /** A Bearer API token per user. */
  tokens: Record<string, string>;
  close(): Promise<void>;
}

export async function startUploadServer(label: string, overrides: Partial<Config> = {}): Promise<UploadHarness> {
  const testDb = await createTestDatabase(label);
  const dataDir = await mkdtemp(join(tmpdir(), 'tuban-upload-test-'));
  const config = loadConfig(process.env, {
    LOG_LEVEL: 'silent',
    WEB_DIST: '/nonexistent',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `tuban-test-${randomBytes(4).toString('hex')}`,
    ...overrides,
  });
  const redis = createRedis(config.REDIS_URL);
  const db = testDb.pool;
  await insertTestStreet(db, { code: STREET, name: '曹杨新村街道', geom: [121.38, 31.25, 121.39, 31.26] });
  const accounts: [string, Role][] = [
    ['pilot-1', 'pilot'],
    ['pilot-2', 'pilot'],
    ['office', 'office'],
    ['admin', 'admin'],
    ['viewer', 'viewer'],
  ];
  const users: Record<string, User> = {};
  const tokens: Record<string, string> = {};
  for (const [username, role] of accounts) {
    users[username] = await upsertUser(db, { username, displayName: username, role, streetCode: null, passwordHash: 'x' });
    tokens[username] = newToken('tbn');
    await insertApiToken(db, users[username].id, 'test', tokenHash(tokens[username]));
  }
  const app = await buildApp({ config, db, redis });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  const queue = app.queues.byName[QueueName.Ingest];
  return {
    app,
    db,
    redis,
    baseUrl: address,
    dataDir,
    uploadDir: join(dataDir, 'uploads'),
    queuePrefix: config.QUEUE_PREFIX,
    queue,
    users,
    tokens,
    async close() {
      await queue.obliterate({ force: true });
      await app.close();
      redis.disconnect();
      await testDb.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TusOutcome {
  url: string;
  /** The JSON the server answered the final request with, when that request was not lost. */
  result: { uploadId: string; imageryId: number; duplicate: boolean; status: string } | null;
}

/** Uploads bytes with tus-js-client as the given user; `control` can reach the Upload (to abort it). */
export function tusUpload(
  h: UploadHarness,
  username: string,
  data: Buffer,
  metadata: Record<string, string>,
  options: { uploadUrl?: string; onProgress?: (sent: number, total: number, upload: Upload) => void } = {},
): Promise<TusOutcome> {
  return new Promise((resolve, reject) => {
    const upload: Upload = new Upload(data, {
      endpoint: `${h.baseUrl}/api/uploads`,
      uploadUrl: options.uploadUrl ?? null,
      headers: { authorization: `Bearer ${h.tokens[username]}` },
      metadata,
      retryDelays: null,
      onProgress: (sent, total) => options.onProgress?.(sent, total, upload),
      onSuccess: ({ lastResponse }) => {
        const body = lastResponse.getBody();
        resolve({ url: upload.url!, result: body ? JSON.parse(body) : null });
      },
      onError: reject,
    });
    upload.start();
  });
}

const encodeMetadata = (m: Record<string, string>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

/**
 * Creates an upload and sends only its first `sendBytes` in a PATCH that announced the whole file, then
 * drops the connection: what a closed laptop lid does. Returns the upload URL once the server has the bytes.
 */
export async function cutOffUpload(h: UploadHarness, username: string, data: Buffer, sendBytes: number, metadata: Record<string, string>): Promise<string> {
  const auth = { authorization: `Bearer ${h.tokens[username]}`, 'tus-resumable': '1.0.0' };
  const created = await fetch(`${h.baseUrl}/api/uploads`, {
    method: 'POST',
    headers: { ...auth, 'upload-length': String(data.length), 'upload-metadata': encodeMetadata(metadata) },
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`);
  const url = new URL(created.headers.get('location')!, h.baseUrl).href;
  const req = request(url, {
    method: 'PATCH',
    headers: { ...auth, 'upload-offset': '0', 'content-type': 'application/offset+octet-stream', 'content-length': data.length },
  });
  req.on('error', () => undefined);
  req.write(data.subarray(0, sendBytes));
  // Cut only once the server has written what was sent, so the test knows the offset to expect.
  for (let i = 0; i < 200; i++) {
    const head = await fetch(url, { method: 'HEAD', headers: auth });
    if (Number(head.headers.get('upload-offset')) >= sendBytes) {
      req.destroy();
      return url;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  req.destroy();
  throw new Error('the server never stored the bytes sent before the cut');
}
