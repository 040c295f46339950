// Upload throughput and server memory: `tuban upload` (tus, as a child process) into the real server running
// in this process, against a plain stream copy of the same file on the same disk (the reference).
// Usage: npx tsx bench/upload.ts [sizeMiB ...] (default 256 1024); needs DATABASE_URL / REDIS_URL.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { newToken, tokenHash } from '@tuban/core/auth/secrets';
import { loadConfig } from '@tuban/core/config';
import { insertApiToken } from '@tuban/core/db/sessions';
import { upsertUser } from '@tuban/core/db/users';
import { createRedis } from '@tuban/core/redis';
import { createTestDatabase } from '@tuban/core/testing/database';
import { buildApp } from '@tuban/server/app';
import { median } from './stats.js';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = 3;
const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ['256', '1024']).map(Number);
const MiB = 1024 * 1024;

const work = await mkdtemp(join(tmpdir(), 'tuban-bench-upload-'));
const db = await createTestDatabase('bench_upload');
const redis = createRedis(loadConfig().REDIS_URL);
const config = loadConfig(process.env, {
  LOG_LEVEL: 'silent',
  WEB_DIST: '/nonexistent',
  DATA_DIR: join(work, 'data'),
  QUEUE_PREFIX: `tuban-bench-${randomBytes(3).toString('hex')}`,
});
const app = await buildApp({ config, db: db.pool, redis });
const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
const user = await upsertUser(db.pool, { username: 'bench', displayName: 'bench', role: 'pilot', streetCode: null, passwordHash: 'x' });
const token = newToken('tbn');
await insertApiToken(db.pool, user.id, 'bench', tokenHash(token));

async function writeRandomFile(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  for (let left = bytes; left > 0; left -= 8 * MiB) {
    if (!out.write(randomBytes(Math.min(8 * MiB, left)))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
}

/** Runs `fn` while sampling this process's RSS; returns seconds taken and the peak RSS above the start. */
async function measure(fn: () => Promise<void>): Promise<{ seconds: number; peakMiB: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  return { seconds, peakMiB: (Math.max(peak, process.memoryUsage().rss) - base) / MiB };
}

function cli(args: string[]): Promise<void> {
  return new Promise((done, fail) =>
    execFile(
      join(ROOT, 'node_modules/.bin/tsx'),
      [join(ROOT, 'data/src/cli/tuban.ts'), ...args],
      { env: { ...process.env, TUBAN_URL: baseUrl, TUBAN_TOKEN: token, TUBAN_STATE_DIR: join(work, 'state') } },
      (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done(void stdout)),
    ),
  );
}

console.log(`upload bench: ${RUNS} runs per size, medians; server in this process, client a child process`);
try {
  // The CLI's own start-up (tsx compiling TypeScript) is not upload time; measure it to take it out.
  const startups: number[] = [];
  for (let i = 0; i < RUNS; i++) startups.push((await measure(() => cli(['--help']))).seconds);
  const startup = median(startups);
  console.log(`CLI start-up (tuban --help): ${startup.toFixed(2)} s, subtracted below`);
  console.log('size MiB | upload MB/s | copy MB/s | upload/copy | server peak RSS growth MiB');
  for (const size of sizes) {
    const file = join(work, `source-${size}.bin`);
    await writeRandomFile(file, size * MiB);
    const up: number[] = [];
    const copy: number[] = [];
    const mem: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Each run after the first is a duplicate: received, hashed in full, recognised and removed again.
      const u = await measure(() => cli(['upload', file]));
      up.push(size / (u.seconds - startup));
      mem.push(u.peakMiB);
      const target = join(work, 'copy.bin');
      const c = await measure(() => pipeline(createReadStream(file), createWriteStream(target)));
      copy.push(size / c.seconds);
      await unlink(target);
    }
    const [u, c] = [median(up), median(copy)];
    console.log(`${size} | ${u.toFixed(0)} | ${c.toFixed(0)} | ${(u / c).toFixed(2)} | ${median(mem).toFixed(0)}`);
    await unlink(file);
  }
} finally {
  await app.close();
  redis.disconnect();
  await db.drop();
  await rm(work, { recursive: true, force: true });
}
