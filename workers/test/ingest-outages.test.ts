// Ingest when the machine misbehaves: the tile disk fills up, or Redis restarts in the middle of a job.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import proj4 from 'proj4';
import { afterAll, describe, expect, it } from 'vitest';
import { getImagery } from '@tuban/core/db/imagery';
import { proj4ForEpsg } from '@tuban/core/geo/crs';
import { JobName } from '@tuban/core/jobs/queues';
import { writeGeoTiff } from '@tuban/data/raster/geotiff-writer';
import { startIngestEnv, type IngestEnv } from '@tuban/workers/testing/ingest-env';

/** A noisy (incompressible) RGB GeoTIFF in UTM 51N in Putuo: many tiles of several KB each. */
async function noisyTiff(size: number): Promise<Buffer> {
  let seed = 7;
  const data = new Uint8Array(size * size * 3).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
  const origin = proj4('+proj=longlat +datum=WGS84', proj4ForEpsg(32651)!.proj4).forward([121.4, 31.25]) as [number, number];
  return writeGeoTiff({ width: size, height: size, samples: 3, bits: 8, data, epsg: 32651, origin, pixelSize: [0.3, 0.3], compression: 'deflate', tile: 256 });
}

const filesUnder = (dir: string) => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0);

/** A small tmpfs for the tiles (needs root); null where this machine cannot mount one. */
async function smallDisk(kb: number): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'tuban-full-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir]);
  if (mounted.status === 0) return dir;
  await rm(dir, { recursive: true, force: true });
  return null;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
}, 180_000);

// Opt-in (TUBAN_OUTAGE_TESTS=1): they start and kill services of their own and take minutes on a loaded machine.
const OUTAGE_TESTS = process.env.TUBAN_OUTAGE_TESTS === '1';
if (!OUTAGE_TESTS) console.warn('outage tests skipped: set TUBAN_OUTAGE_TESTS=1 to run them');

describe.skipIf(!OUTAGE_TESTS)('a full disk while writing tiles', async () => {
  const disk = OUTAGE_TESTS ? await smallDisk(512) : null;
  if (OUTAGE_TESTS && !disk) console.warn('full-disk test skipped: mounting a tmpfs needs root');

  it.skipIf(!disk)('ends the ingest failed with a message saying so, and leaves no partial pyramid', async () => {
    const env = await startIngestEnv('ingest_full_disk', { tileDir: join(disk!, 'tiles') });
    cleanups.push(async () => {
      await env.close();
      spawnSync('umount', [disk!]);
      await rm(disk!, { recursive: true, force: true });
    });
    const { id, path } = await env.upload('big.tif', await noisyTiff(2048));
    await env.ingest(id, path);
    const item = (await getImagery(env.db.pool, id))!;
    expect(item.status).toBe('failed');
    expect(item.error).toMatch(/disk is full/);
    expect(filesUnder(join(disk!, 'tiles'))).toBe(0);
  }, 60_000);
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A Redis of this test's own (persisting every write, as deployments should), so restarting it disturbs no other test. */
class OwnRedis {
  private child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    // Never outlive the test process, whatever ends it.
    process.once('exit', () => child.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('Ready to accept connections') && resolve());
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
  }

  /** SIGKILL: the hardest stop, with nothing written at the last moment. */
  async kill(): Promise<void> {
    const child = this.child!;
    child.kill('SIGKILL');
    if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  }
}

describe.skipIf(!OUTAGE_TESTS)('Redis restarting during an ingest', () => {
  let env: IngestEnv;

  it('finishes the ingest once Redis is back, with the same tiles as an undisturbed one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tuban-own-redis-'));
    const redis = new OwnRedis(await freePort(), dir);
    await redis.start();
    env = await startIngestEnv('ingest_redis_restart', { redisUrl: redis.url });
    cleanups.push(async () => {
      await env.close().catch(() => undefined);
      await redis.kill();
      await rm(dir, { recursive: true, force: true });
    });
    const tiff = await noisyTiff(1536);
    const reference = await env.upload('reference.tif', tiff);
    await env.ingest(reference.id, reference.path);
    const expected = (await getImagery(env.db.pool, reference.id))!;
    expect(expected.status).toBe('ready');

    const disturbed = await env.upload('disturbed.tif', tiff);
    await env.queue.add(JobName.IngestImagery, { imageryId: disturbed.id, sourcePath: disturbed.path }, { jobId: `ingest-${disturbed.id}`, attempts: 3, backoff: { type: 'fixed', delay: 500 } });
    // Redis goes away while the tiles are being written and comes back three seconds later.
    for (let i = 0; (await getImagery(env.db.pool, disturbed.id))!.status !== 'ingesting'; i++) {
      if (i > 400) throw new Error('the ingest never started');
      await new Promise((r) => setTimeout(r, 25));
    }
    await redis.kill();
    await new Promise((r) => setTimeout(r, 3000));
    await redis.start();
    const deadline = Date.now() + 90_000;
    let item = (await getImagery(env.db.pool, disturbed.id))!;
    while (item.status !== 'ready' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      item = (await getImagery(env.db.pool, disturbed.id))!;
    }
    expect(item.status, item.error ?? '').toBe('ready');
    expect(item.tileCount).toBe(expected.tileCount);
    expect(filesUnder(join(env.dir, 'tiles', 'imagery', String(disturbed.id)))).toBe(filesUnder(join(env.dir, 'tiles', 'imagery', String(reference.id))));
    expect(filesUnder(join(env.dir, 'tiles', '.staging'))).toBe(0);
  }, 150_000);
});

