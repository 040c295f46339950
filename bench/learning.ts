// Does learning from the office's decisions pay off on real imagery? Real labelled pairs (LEVIR-CD, 0.5 m) stand
// in for a district: the first half is laid out as one georeferenced before/after pair in Putuo, ingested and run
// through detection with the shipped model; an oracle triages the candidates from the labels (confirm with the
// labelled outline where a candidate touches a labelled change, dismiss as a false positive otherwise, draw the
// missed ones); the training set is exported and the Python trainer fine-tunes a candidate version. Both models are
// then scored on the unseen second half with the product's evaluation. The trained model is a measurement only: it
// lives in a temporary folder and is deleted at the end.
// Usage: npx tsx bench/learning.ts [--set levir-cd-more] [--steps 1500] [--threads 2] [--realdata DIR]; needs the
// services (npm run services -- start) and models/.venv (bash models/setup-venv.sh). Reads ../shared/realdata
// beside the repository unless --realdata names the folder.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import proj4 from 'proj4';
import sharp from 'sharp';
import { QueueName } from '@tuban/core/jobs/queues';
import { enqueueTraining, jobStatus, TRAIN_JOB, type TrainResult } from '@tuban/core/jobs/train-jobs';
import { maskComponents } from '@tuban/core/raster/mask';
import { DEFAULT_MODEL_PATH } from '@tuban/core/change/model-card';
import { DEMO_CENTRE, DEMO_EPSG, type DemoScene } from '@tuban/data/demo-imagery';
import { writeGeoTiff } from '@tuban/data/raster/geotiff-writer';
import { onnxModel } from '@tuban/workers/testing/change-models';
import { detectEnv } from '@tuban/workers/testing/detect-scene';
import { startTrainerProcess, trainerAvailable } from '@tuban/workers/testing/trainer-process';
import { testWorkerContext } from '@tuban/workers/testing/worker-context';
import { startWorker } from '@tuban/workers/worker';

const { values } = parseArgs({ options: { set: { type: 'string', default: 'levir-cd-more' }, realdata: { type: 'string' }, steps: { type: 'string', default: '1500' }, threads: { type: 'string', default: '2' } } });
const ROOT = resolve(import.meta.dirname, '..');
const REAL = resolve(values.realdata ?? resolve(ROOT, '../shared/realdata'), 'change', values.set);
if (!existsSync(join(REAL, 'A'))) {
  console.log(`bench/learning: skipped, no labelled pairs at ${REAL}/{A,B,label}`);
  process.exit(0);
}
if (!trainerAvailable()) {
  console.error('bench/learning: the trainer needs models/.venv: bash models/setup-venv.sh');
  process.exit(1);
}
const MPP = 0.5;
const CHIP = 256;
const PAD = 320; // the before image reaches 160 m further, as in the demo scene: the planner needs whole tiles covered
const UTM51N = '+proj=utm +zone=51 +datum=WGS84 +units=m +no_defs';

async function rgb(path: string): Promise<Buffer> {
  const { data, info } = await sharp(path).removeAlpha().resize(CHIP, CHIP, { fit: 'cover' }).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${path}: expected RGB`);
  return data;
}

/** The district half as one mosaic: before (padded with grey), after, and the labelled change mask. */
async function mosaic(names: string[]) {
  const cols = Math.ceil(Math.sqrt(names.length));
  const side = cols * CHIP;
  const full = side + 2 * PAD;
  const before = new Uint8Array(full * full * 3).fill(128);
  const after = new Uint8Array(side * side * 3).fill(128);
  const mask = new Uint8Array(side * side);
  for (const [i, name] of names.entries()) {
    const [x0, y0] = [(i % cols) * CHIP, Math.floor(i / cols) * CHIP];
    const [a, b] = [await rgb(join(REAL, 'A', name)), await rgb(join(REAL, 'B', name))];
    const { data: label } = await sharp(join(REAL, 'label', name)).resize(CHIP, CHIP, { fit: 'cover', kernel: 'nearest' }).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    for (let y = 0; y < CHIP; y++) {
      before.set(a.subarray(y * CHIP * 3, (y + 1) * CHIP * 3), ((y0 + y + PAD) * full + x0 + PAD) * 3);
      after.set(b.subarray(y * CHIP * 3, (y + 1) * CHIP * 3), ((y0 + y) * side + x0) * 3);
      for (let x = 0; x < CHIP; x++) mask[(y0 + y) * side + x0 + x] = label[y * CHIP + x]! > 127 ? 1 : 0;
    }
  }
  return { side, full, before, after, mask };
}

const started = Date.now();
const names = (await readdir(join(REAL, 'A'))).filter((n) => n.endsWith('.png')).sort();
const half = Math.floor(names.length / 2);
const [district, unseen] = [names.slice(0, half), names.slice(half)];
console.log(`bench/learning: ${values.set}, ${district.length} pairs as the district, ${unseen.length} unseen`);

const m = await mosaic(district);
const [cx, cy] = proj4('EPSG:4326', UTM51N).forward(DEMO_CENTRE);
const origin: [number, number] = [Math.round(cx! - (m.side * MPP) / 2), Math.round(cy! + (m.side * MPP) / 2)];
const tiff = (data: Uint8Array, side: number, topLeft: [number, number], dateTime: string) =>
  writeGeoTiff({ width: side, height: side, samples: 3, bits: 8, data, compression: 'deflate', tile: 256, epsg: DEMO_EPSG, origin: topLeft, pixelSize: [MPP, MPP], dateTime });
const scene = {
  before: await tiff(m.before, m.full, [origin[0] - PAD * MPP, origin[1] + PAD * MPP], '2025:04:16 10:20:00'),
  after: await tiff(m.after, m.side, origin, '2026:04:14 10:40:00'),
  truth: { type: 'FeatureCollection', features: [] },
  origin,
  capturedBefore: '2025:04:16 10:20:00',
  capturedAfter: '2026:04:14 10:40:00',
  misregistrationM: [0, 0],
} as DemoScene;

const env = await detectEnv('learning-bench', await onnxModel(Number(values.threads)));
const children: ReturnType<typeof startTrainerProcess>[] = [];
try {
  const { beforeId, afterId } = await env.ingest(scene);
  const run = await env.detect(afterId, 30 * 60_000);
  console.log(`bench/learning: detection run ${run.id} over ${run.tilesTotal} tiles found ${run.candidatesFound} candidates`);

  // The labelled changes as polygons, then the oracle's decisions.
  const toLonLat = proj4(UTM51N, 'EPSG:4326');
  const truth = maskComponents({ data: m.mask, width: m.side, height: m.side }, new Float32Array(m.side * m.side).fill(1), 8).map((c) => ({
    type: 'Polygon',
    coordinates: c.rings.map((ring) => ring.map(([px, py]) => toLonLat.forward([origin[0] + px * MPP, origin[1] - py * MPP]))),
  }));
  const db = env.db.pool;
  await db.query('CREATE TABLE bench_truth (id serial PRIMARY KEY, geom geometry(Polygon, 4326))');
  await db.query(`INSERT INTO bench_truth (geom) SELECT ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)) FROM unnest($1::text[]) g`, [truth.map((t) => JSON.stringify(t))]);
  await db.query(`DELETE FROM bench_truth WHERE GeometryType(geom) <> 'POLYGON'`);
  const confirmed = await db.query(
    `UPDATE candidates c SET status = 'confirmed',
       geom = (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(t.geom)), 3)) FROM bench_truth t WHERE ST_Intersects(t.geom, c.geom))
     WHERE run_id = $1 AND EXISTS (SELECT 1 FROM bench_truth t WHERE ST_Intersects(t.geom, c.geom))`,
    [run.id],
  );
  const dismissed = await db.query(`UPDATE candidates SET status = 'dismissed', dismiss_reason = 'false_positive' WHERE run_id = $1 AND status = 'new'`, [run.id]);
  const drawn = await db.query(
    `INSERT INTO candidates (run_id, geom, score_mean, score_max, model_version, status, before_imagery_id, after_imagery_id)
     SELECT $1, ST_Multi(t.geom), 0, 0, 'manual', 'confirmed', $2, $3 FROM bench_truth t
     WHERE NOT EXISTS (SELECT 1 FROM candidates c WHERE c.run_id = $1 AND ST_Intersects(c.geom, t.geom))`,
    [run.id, beforeId, afterId],
  );
  await db.query(`INSERT INTO candidate_events (candidate_id, actor_id, from_status, to_status, reason) SELECT id, $2, 'new', status, dismiss_reason FROM candidates WHERE run_id = $1`, [run.id, env.userId]);
  console.log(`bench/learning: oracle triage of ${truth.length} labelled changes: ${confirmed.rowCount} confirmed, ${dismissed.rowCount} dismissed as false positives, ${drawn.rowCount} missed ones drawn`);

  // Training: the export worker cuts the set, the trainer fine-tunes.
  const ctx = testWorkerContext({ db, redis: env.connection, prefix: env.prefix, dataDir: env.dir });
  env.workers.push(startWorker(QueueName.Export, ctx));
  children.push(startTrainerProcess({ schema: env.db.schema, prefix: env.prefix, dataDir: env.dir, env: { TRAIN_THREADS: values.threads } }));
  const { jobId } = await enqueueTraining(ctx.queues, {}, { steps: Number(values.steps), requestedBy: env.userId });
  const trainStarted = Date.now();
  let result: TrainResult | undefined;
  for (let last = -1; !result; await new Promise((r) => setTimeout(r, 2000))) {
    const s = await jobStatus(ctx.queues, QueueName.Train, jobId, TRAIN_JOB);
    if (s?.error) throw new Error(`training failed: ${s.error}`);
    if (s && s.progress !== last && s.progress % 10 < 2) console.log(`bench/learning: training ${s.state} ${s.progress} %`);
    last = s?.progress ?? last;
    if (s?.state === 'completed') result = s.result as TrainResult;
  }
  const trainSeconds = (Date.now() - trainStarted) / 1000;

  // Both models on the unseen half, through the product's evaluation.
  const held = join(env.dir, 'unseen');
  for (const sub of ['A', 'B', 'label']) {
    await mkdir(join(held, sub), { recursive: true });
    for (const n of unseen) await copyFile(join(REAL, sub, n), join(held, sub, n));
  }
  const score = (model: string) => {
    const out = spawnSync('npx', ['tsx', 'models/change-detection/evaluate.ts', held, '--model', model, '--json', '--threads', values.threads!], { cwd: ROOT, encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`eval failed: ${out.stderr}`);
    return JSON.parse(out.stdout.trim().split('\n').at(-1)!).model as Record<string, number>;
  };
  const shipped = score(DEFAULT_MODEL_PATH);
  const trained = score(join(env.dir, 'models', result.version, 'tuban-change.onnx'));
  const keys = ['f1', 'precision', 'recall', 'objectPrecision', 'objectRecall', 'falseAlarmsPerKm2'];
  console.log(`\nbench/learning: unseen half (${unseen.length} pairs of ${values.set}); trained ${result.version} in ${trainSeconds.toFixed(0)} s (${values.steps} steps)`);
  console.table(Object.fromEntries(keys.map((k) => [k, { shipped: shipped[k], trained: trained[k], change: Math.round((trained[k]! - shipped[k]!) * 1e4) / 1e4 }])));
  console.log('district validation split (trainer):', JSON.stringify(result.metrics['district-validation']));
  console.log('synthetic test set (regression guard):', JSON.stringify(result.metrics.synthetic));
  const gain = trained.f1! - shipped.f1!;
  console.log(`F1 gain ${gain.toFixed(4)} (goal ≥ 0.10): ${gain >= 0.1 ? 'met' : 'not met'}; false alarms/km² ${shipped.falseAlarmsPerKm2} → ${trained.falseAlarmsPerKm2}: ${trained.falseAlarmsPerKm2! < shipped.falseAlarmsPerKm2! ? 'lower' : 'not lower'}`);
  console.log(`bench/learning: ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await env.close();
}
