// Synthetic orthophotos with planted changes → real ingest → a detection run → candidates, on real Redis and PostGIS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeRunCandidates } from '@tuban/core/db/detection-merge';
import type { RunRow } from '@tuban/core/db/detection-runs';
import { withTransaction } from '@tuban/core/db/pool';
import { enqueueDetectionRun } from '@tuban/core/jobs/detection-jobs';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { imageryTileReader } from '@tuban/core/tiles/imagery-tile-reader';
import { LocalTileStore } from '@tuban/core/tiles/tile-store';
import { join } from 'node:path';
import { renderDemoScene, type DemoScene } from '@tuban/data/demo-imagery';
import { detectBatch } from '../src/detect/batch.js';
import { TileCache } from '../src/detect/windows.js';
import { detectorModel, hasModel, MODEL_PATH, onnxModel } from '@tuban/workers/testing/change-models';
import { candidateShapes, detectEnv, hitsPerPlanted, type DetectEnv } from '@tuban/workers/testing/detect-scene';

describe('detection pipeline end to end (classical baseline, clean scene)', () => {
  let env: DetectEnv;
  let scene: DemoScene;
  let run: RunRow;

  beforeAll(async () => {
    env = await detectEnv('detect_e2e', detectorModel());
    scene = await renderDemoScene({ size: 512, seed: 1, nuisance: false });
    const { afterId } = await env.ingest(scene);
    run = await env.detect(afterId);
  }, 120_000);
  afterAll(async () => env?.close());

  it('plans the run from the imagery and finds every planted change', async () => {
    expect(run.zoom).toBe(18);
    expect(run.tilesTotal).toBeGreaterThanOrEqual(9);
    expect(run.tilesDone).toBe(run.tilesTotal);
    const hits = await hitsPerPlanted(env.db, run.id, scene);
    expect(hits.length).toBe(scene.truth.features.length);
    expect(hits.every((h) => h >= 1)).toBe(true);
  });

  it('gives one candidate for a building across a tile border', async () => {
    const straddling = scene.truth.features.map((f, i) => [f, i] as const).filter(([f]) => f.properties.straddlesTileBorder);
    expect(straddling.length).toBeGreaterThan(0);
    const hits = await hitsPerPlanted(env.db, run.id, scene);
    for (const [, i] of straddling) expect(hits[i]).toBe(1);
  });

  it('running the same run again adds nothing', async () => {
    const shapes = await candidateShapes(env.db, run.id);
    expect(shapes.length).toBeGreaterThan(0);
    const again = await planDetectionRun(env.db.pool, run.afterImageryId, env.model, env.userId);
    expect(again).toMatchObject({ created: false, run: { id: run.id } });
    await enqueueDetectionRun(env.queues, again.run);
    // Every batch and the merge run once more, as a retry after a crash would.
    const store = new LocalTileStore(join(env.dir, 'tiles'));
    const deps = { db: env.db.pool, tiles: new TileCache(imageryTileReader(env.db.pool, store)), model: env.model };
    for (let b = 0; b < run.batchesTotal; b++) await detectBatch(deps, run, b);
    await withTransaction(env.db.pool, (c) => mergeRunCandidates(c, run.id));
    await new Promise((r) => setTimeout(r, 500));
    expect(await candidateShapes(env.db, run.id)).toEqual(shapes);
    const { rows } = await env.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM detection_runs WHERE after_imagery_id = $1',
      [run.afterImageryId],
    );
    expect(rows[0]!.n).toBe(1);
  });
});

describe.skipIf(!hasModel())('detection with the committed model (realistic scene)', () => {
  if (!hasModel()) console.warn(`skipped: no trained model at ${MODEL_PATH} (it lands with the model work)`);
  let env: DetectEnv;
  let scene: DemoScene;
  let run: RunRow;

  beforeAll(async () => {
    env = await detectEnv('detect_model', await onnxModel());
    scene = await renderDemoScene({ size: 512, seed: 11, changes: 8 });
    const { afterId } = await env.ingest(scene);
    run = await env.detect(afterId);
  }, 120_000);
  afterAll(async () => env?.close());

  it('finds at least 90 % of the planted changes, each across a tile border as one candidate', async () => {
    const hits = await hitsPerPlanted(env.db, run.id, scene);
    const found = hits.filter((h) => h > 0).length;
    expect(found / hits.length).toBeGreaterThanOrEqual(0.9);
    scene.truth.features.forEach((f, i) => {
      if (f.properties.straddlesTileBorder && hits[i]! > 0) expect(hits[i]).toBe(1);
    });
  });
});
