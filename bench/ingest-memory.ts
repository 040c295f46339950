// Peak memory of a worker process ingesting a ~2 GB GeoTIFF through the real ingest job (workers/src/main.ts
// on the ingest queue), against the 500 MB target. The GeoTIFF is made with GDAL in a temporary folder: a
// rendered demo scene (0.5 m, UTM 51N) enlarged by gdal_translate to 26,000² px at 4.7 cm (a drone ortho of
// 1.2 × 1.2 km, 2.03 GB of RGB), tiled 512² and uncompressed by default.
// Usage: npx tsx bench/ingest-memory.ts [--side PX] [--layout tiled|strips] [--compress none|deflate]
// Needs gdal_translate (Debian gdal-bin) and DATABASE_URL / REDIS_URL; the tiles go to the configured storage.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { loadConfig } from '@tuban/core/config';
import { JobName, QueueName } from '@tuban/core/jobs/queues';
import { createRedis } from '@tuban/core/redis';
import { insertTestImagery, insertTestUser } from '@tuban/core/testing/fixtures';
import { DEMO_EPSG, renderDemoScene } from '@tuban/data/demo-imagery';
import { benchDatabase, benchQueuePrefix, obliterateQueues, startWorkerProcess } from './worker-processes.js';

const { values } = parseArgs({
  options: {
    side: { type: 'string', default: '26000' },
    layout: { type: 'string', default: 'tiled' },
    compress: { type: 'string', default: 'none' },
  },
});
const side = Number(values.side);
const GSD_M = 0.047;
const TARGET_MB = 500;
const SAMPLE_MS = 100;

const work = await mkdtemp(join(tmpdir(), 'tuban-bench-ingest-memory-'));
const db = await benchDatabase('ingest_memory');
const prefix = benchQueuePrefix('ingest-memory');
const redis = createRedis(loadConfig().REDIS_URL);
const queue = new Queue(QueueName.Ingest, { connection: redis, prefix });
let worker: Awaited<ReturnType<typeof startWorkerProcess>> | null = null;
try {
  const path = await synthesise(work);
  const bytes = (await stat(path)).size;
  console.log(`input: ${(bytes / 1e9).toFixed(2)} GB GeoTIFF, ${side}² px RGB, ${GSD_M} m/px, EPSG:${DEMO_EPSG}, ${values.layout}, compression ${values.compress}`);

  worker = await startWorkerProcess({ DATABASE_URL: db.url, QUEUE_PREFIX: prefix, DATA_DIR: join(work, 'data') });
  const idle = worker.memory();
  const userId = await insertTestUser(db.pool, { username: 'pilot', role: 'pilot' });
  const imageryId = await insertTestImagery(db.pool, { uploadedBy: userId, fileName: 'ortho-2gb.tif', sizeBytes: bytes, capturedAt: '2026-04-01T10:00:00+08:00' });
  const t0 = performance.now();
  await queue.add(JobName.IngestImagery, { imageryId, sourcePath: path }, { jobId: `ingest-${imageryId}` });
  // Sampled while the item is ingesting: once it is ready the same worker plans detection, which loads the model.
  let peakSampled = 0;
  let status = 'uploaded';
  while (status === 'uploaded' || status === 'ingesting') {
    await new Promise((res) => setTimeout(res, SAMPLE_MS));
    peakSampled = Math.max(peakSampled, worker.memory().rssMiB);
    const { rows } = await db.pool.query<{ status: string; error: string | null }>('SELECT status, error FROM imagery WHERE id = $1', [imageryId]);
    status = rows[0]!.status;
    if (status === 'failed') throw new Error(`ingest failed: ${rows[0]!.error}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const { rows } = await db.pool.query<{ tile_count: number; min_zoom: number; max_zoom: number }>(
    'SELECT tile_count, min_zoom, max_zoom FROM imagery WHERE id = $1', [imageryId]);
  const done = worker.memory();
  const r = rows[0]!;
  console.log(`ingested in ${seconds.toFixed(1)} s: ${r.tile_count} tiles, z${r.min_zoom}–${r.max_zoom} (${(r.tile_count / seconds).toFixed(1)} tiles/s); ` +
    `storage ${process.env.STORAGE_URL ?? 'local folder (DATA_DIR)'}, TILE_FORMAT ${loadConfig().TILE_FORMAT}`);
  console.log(`worker process: idle ${idle.rssMiB.toFixed(0)} MiB; peak RSS while ingesting ${peakSampled.toFixed(0)} MiB (sampled every ${SAMPLE_MS} ms); ` +
    `VmHWM ${done.peakMiB.toFixed(0)} MiB (whole life so far, detection planning included)`);
  const peakMB = (done.peakMiB * 1048576) / 1e6;
  console.log(`peak ${peakMB.toFixed(0)} MB against the ${TARGET_MB} MB target: ${peakMB <= TARGET_MB ? 'met' : 'NOT met'}`);
} finally {
  await worker?.stop();
  await queue.close();
  await obliterateQueues(redis, prefix);
  redis.disconnect();
  await db.drop();
  await rm(work, { recursive: true, force: true });
}

/** The input GeoTIFF: a rendered scene enlarged by GDAL to side² px (bilinear), written with the layout asked for. */
async function synthesise(dir: string): Promise<string> {
  const scene = await renderDemoScene({ size: 2048, seed: 3, nuisance: false });
  const seed = join(dir, 'seed.tif');
  await writeFile(seed, scene.after);
  const out = join(dir, 'ortho-2gb.tif');
  const [west, north] = scene.origin;
  const layout = values.layout === 'tiled' ? ['-co', 'TILED=YES', '-co', 'BLOCKXSIZE=512', '-co', 'BLOCKYSIZE=512'] : ['-co', 'TILED=NO'];
  const t0 = performance.now();
  execFileSync('gdal_translate', [
    '-q', '-outsize', String(side), String(side), '-r', 'bilinear',
    '-a_ullr', String(west), String(north), String(west + side * GSD_M), String(north - side * GSD_M),
    ...layout, '-co', `COMPRESS=${values.compress === 'deflate' ? 'DEFLATE' : 'NONE'}`, '-co', 'BIGTIFF=IF_SAFER',
    seed, out,
  ], { stdio: 'inherit' });
  console.log(`gdal_translate wrote the input in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  await rm(seed);
  return out;
}
