// Upload throughput and server memory: `tuban upload` (tus, as a child process) into the real server running
// in this process, against a plain stream copy of the same file on the same disk (the reference).
// Usage: npx tsx bench/upload.ts [sizeMiB ...] (default 256 1024); needs DATABASE_URL / REDIS_URL.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, unlink } from 'node:fs/promises';
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

/**
 * Runs `fn` while sampling this process's RSS; returns seconds taken, the peak RSS above the start, and this
 * process's CPU seconds meanwhile (the server's, or the copy's).
 */
async function measure(fn: () => Promise<void>): Promise<{ seconds: number; peakMiB: number; cpu: number }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  const { user, system } = process.cpuUsage(cpu0);
  clearInterval(timer);
  return { seconds, peakMiB: (Math.max(peak, process.memoryUsage().rss) - base) / MiB, cpu: (user + system) / 1e6 };
}

/** Runs the CLI under /usr/bin/time and returns its CPU seconds (user + system). */
async function cli(args: string[]): Promise<number> {
  const times = join(work, 'cli-time.txt');
  await new Promise((done, fail) =>
    execFile(
      '/usr/bin/time',
      ['-o', times, '-f', '%U %S', join(ROOT, 'node_modules/.bin/tsx'), join(ROOT, 'data/src/cli/tuban.ts'), ...args],
      { env: { ...process.env, TUBAN_URL: baseUrl, TUBAN_TOKEN: token, TUBAN_STATE_DIR: join(work, 'state') } },
      (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done(stdout)),
    ),
  );
  const [user, system] = (await readFile(times, 'utf8')).trim().split(/\s+/).slice(-2).map(Number);
  return user! + system!;
}

console.log(`upload bench: ${RUNS} runs per size, medians; server in this process, client a child process`);
try {
  // The CLI's own start-up (tsx compiling TypeScript) is not upload time; measure it to take it out.
  const startups: number[] = [];
  const startupCpus: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let cpu = 0;
    startups.push((await measure(async () => void (cpu = await cli(['--help'])))).seconds);
    startupCpus.push(cpu);
  }
  const startup = median(startups);
  const startupCpu = median(startupCpus);
  console.log(`CLI start-up (tuban --help): ${startup.toFixed(2)} s and ${startupCpu.toFixed(2)} CPU s, subtracted below`);
  // CPU seconds per GiB moved are steadier than the rates: the copy's rate moves with the page cache's state.
  console.log('size MiB | upload MB/s | copy MB/s | upload/copy | server peak RSS growth MiB | CPU s per GiB: client, server, copy');
  for (const size of sizes) {
    const file = join(work, `source-${size}.bin`);
    await writeRandomFile(file, size * MiB);
    const up: number[] = [];
    const copy: number[] = [];
    const mem: number[] = [];
    const cpu = { client: [] as number[], server: [] as number[], copy: [] as number[] };
    const perGiB = (seconds: number) => (seconds * 1024) / size;
    for (let i = 0; i < RUNS; i++) {
      // Each run after the first is a duplicate: received, hashed in full, recognised and removed again.
      let clientCpu = 0;
      const u = await measure(async () => void (clientCpu = await cli(['upload', file])));
      up.push(size / (u.seconds - startup));
      mem.push(u.peakMiB);
      cpu.client.push(perGiB(clientCpu - startupCpu));
      cpu.server.push(perGiB(u.cpu));
      const target = join(work, 'copy.bin');
      const c = await measure(() => pipeline(createReadStream(file), createWriteStream(target)));
      copy.push(size / c.seconds);
      cpu.copy.push(perGiB(c.cpu));
      await unlink(target);
    }
    const [u, c] = [median(up), median(copy)];
    const cpus = [cpu.client, cpu.server, cpu.copy].map((xs) => median(xs).toFixed(2)).join(', ');
    console.log(`${size} | ${u.toFixed(0)} | ${c.toFixed(0)} | ${(u / c).toFixed(2)} | ${median(mem).toFixed(0)} | ${cpus}`);
    await unlink(file);
  }
} finally {
  await app.close();
  redis.disconnect();
  await db.drop();
  await rm(work, { recursive: true, force: true });
}
