// The demo's imagery leg: synthetic orthophotos over Putuo → tus upload → ingest → detection run → candidates,
// checked against the planted changes. Re-running reuses the cached files, the uploads and the run.
import { existsSync } from 'node:fs';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { booleanIntersects } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { writeDemoImagery, type PlantedChangeProps } from '../data/src/demo-imagery.js';
import { uploadFile } from '../data/src/cli/upload-file.js';
import { waitForImagery } from '../data/src/cli/wait.js';
import { loadConfig } from '@tuban/core/config';
import { configuredModelInfo } from '@tuban/core/detection/model-info';

const DIR = '.data/demo-imagery';
const RUN_TIMEOUT_MS = Number(process.env.TUBAN_DEMO_RUN_TIMEOUT_S || 900) * 1000;

interface Run { id: number; afterImageryId: number; modelName: string; modelVersion: string; status: string; error: string | null; tilesDone: number; tilesTotal: number; tilesWithoutBaseline: number; candidatesFound: number | null }
interface Summary { id: number; bbox: [number, number, number, number] }

export interface DemoDetection {
  runId: number;
  found: number;
  planted: number;
  /** found / planted per kind of planted change */
  byKind: Record<string, { found: number; planted: number }>;
  candidates: number;
  tiles: number;
}

const log = (line: string) => process.stderr.write(`  [demo imagery] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function demoDetection(base: string, cookie: string): Promise<DemoDetection> {
  const size = Number(process.env.TUBAN_DEMO_SIZE || 2048);
  const files = await writeDemoImagery(DIR, { seed: 1, size });
  log(`${files.planted} planted changes (${files.straddling} across a tile border) in ${files.before}, ${files.after}${files.cached ? ' (cached)' : ''}`);
  const token = await apiToken(base, cookie);
  const api = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
    return { status: res.status, body: (await res.json()) as T };
  };

  // Before first: the run for the after imagery is planned against what is ready when it becomes ready.
  const beforeId = await uploadOnce(base, token, files.before);
  const afterId = await uploadOnce(base, token, files.after);

  // A run of the model the server detects with now (the active model version): after a promotion the demo shows
  // the new version's run.
  const model = await detectingModel(api);
  let run = await runFor(api, afterId, model, 20_000);
  if (!run) {
    const res = await api<Run & { error?: { message: string } }>('/api/detection-runs', { method: 'POST', body: JSON.stringify({ afterImageryId: afterId }) });
    if (res.status === 503) throw new Error('the server has no change model configured (is models/change-detection/tuban-change.onnx there?)');
    if (res.status >= 300) throw new Error(`POST /api/detection-runs: ${res.status} ${JSON.stringify(res.body)}`);
    run = res.body;
  }
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let shown = -1;
  while (run.status !== 'done') {
    if (run.status === 'failed') throw new Error(`detection run ${run.id} failed: ${run.error}`);
    if (Date.now() > deadline) throw new Error(`detection run ${run.id} not done after ${RUN_TIMEOUT_MS / 1000}s (${run.tilesDone}/${run.tilesTotal} tiles)`);
    if (run.tilesDone !== shown) log(`run ${run.id}: ${(shown = run.tilesDone)}/${run.tilesTotal} tiles`);
    await sleep(1000);
    run = (await api<Run>(`/api/detection-runs/${run.id}`)).body;
  }
  if (run.tilesTotal === 0) throw new Error(`detection run ${run.id} compared no tiles: imagery ${beforeId} does not cover imagery ${afterId}`);

  const truth = JSON.parse(await readFile(files.truth, 'utf8')) as FeatureCollection<Polygon, PlantedChangeProps>;
  const summaries: Summary[] = [];
  for (let offset = 0; ; offset += 500) {
    const res = await api<{ items: Summary[]; total: number }>(`/api/candidates?run=${run.id}&limit=500&offset=${offset}`);
    if (res.status !== 200) throw new Error(`GET /api/candidates: ${res.status} ${JSON.stringify(res.body)}`);
    const page = res.body;
    summaries.push(...page.items);
    if (summaries.length >= page.total || page.items.length === 0) break;
  }
  const shapes = new Map<number, MultiPolygon>();
  let found = 0;
  const byKind: DemoDetection['byKind'] = {};
  for (const planted of truth.features) {
    const kind = (byKind[planted.properties.kind] ??= { found: 0, planted: 0 });
    kind.planted++;
    const [w, s, e, n] = bboxOf(planted.geometry);
    const near = summaries.filter((c) => c.bbox[0] <= e && c.bbox[2] >= w && c.bbox[1] <= n && c.bbox[3] >= s);
    for (const c of near) {
      if (!shapes.has(c.id)) shapes.set(c.id, (await api<{ geometry: MultiPolygon }>(`/api/candidates/${c.id}`)).body.geometry);
      if (booleanIntersects(planted.geometry, shapes.get(c.id)!)) {
        found++;
        kind.found++;
        break;
      }
    }
  }
  return { runId: run.id, found, planted: truth.features.length, byKind, candidates: summaries.length, tiles: run.tilesTotal };
}

/** A personal API token of the admin, kept beside the demo imagery so re-runs reuse it. */
async function apiToken(base: string, cookie: string): Promise<string> {
  const path = join(DIR, 'api-token');
  if (existsSync(path)) {
    const token = (await readFile(path, 'utf8')).trim();
    const res = await fetch(`${base}/api/detection-runs`, { headers: { authorization: `Bearer ${token}` } });
    if (res.ok) return token;
  }
  const res = await fetch(`${base}/api/tokens`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'demo imagery' }) });
  if (!res.ok) throw new Error(`POST /api/tokens: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  await writeFile(path, `${token}\n`);
  await chmod(path, 0o600);
  return token;
}

/** Uploads a file unless this server already has it from an earlier demo run; waits until it is ingested. */
async function uploadOnce(base: string, token: string, file: string): Promise<number> {
  const statePath = join(DIR, 'uploaded.json');
  const uploaded = existsSync(statePath) ? (JSON.parse(await readFile(statePath, 'utf8')) as Record<string, number>) : {};
  let id = uploaded[basename(file)];
  if (id !== undefined) {
    const res = await fetch(`${base}/api/imagery/${id}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) id = undefined;
  }
  if (id === undefined) {
    log(`uploading ${file}`);
    const out = await uploadFile(file, { baseUrl: base, token, stateFile: join(DIR, 'tus-state.json') });
    if (out.duplicate) log(`${basename(file)} was already uploaded as imagery ${out.imageryId}`);
    id = out.imageryId;
    await writeFile(statePath, JSON.stringify({ ...uploaded, [basename(file)]: id }) + '\n');
  }
  const final = await waitForImagery(id, { baseUrl: base, token });
  if (final.status === 'failed') throw new Error(`ingest of ${file} (imagery ${id}) failed: ${final.error}`);
  log(`imagery ${id} ready (${basename(file)})`);
  return id;
}

async function detectingModel(api: <T>(path: string) => Promise<{ status: number; body: T }>): Promise<{ name: string; version: string }> {
  const config = loadConfig();
  if (config.CHANGE_DETECTOR === 'baseline') return configuredModelInfo(config);
  const res = await api<{ versions: { name: string; version: string; status: string }[] }>('/api/model-versions');
  return (res.status === 200 ? res.body.versions.find((v) => v.status === 'active') : undefined) ?? configuredModelInfo(config);
}

async function runFor(
  api: <T>(path: string) => Promise<{ status: number; body: T }>,
  afterId: number,
  model: { name: string; version: string },
  waitMs: number,
): Promise<Run | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const runs = (await api<Run[]>('/api/detection-runs')).body;
    const run = runs.find((r) => r.afterImageryId === afterId && r.modelName === model.name && r.modelVersion === model.version);
    if (run || Date.now() > deadline) return run ?? null;
    await sleep(1000);
  }
}

function bboxOf(g: Polygon): [number, number, number, number] {
  const pts = g.coordinates[0]!;
  const xs = pts.map((p) => p[0]!);
  const ys = pts.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
