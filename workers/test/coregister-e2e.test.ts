// Co-registration in the detection worker: a scene whose before flight is off by several metres goes through the
// real ingest and detection jobs; each tile's shift is recorded and the run's summary finds the offset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRow } from '@tuban/core/db/detection-runs';
import { metresPerPixel } from '@tuban/core/geo/tiles';
import { renderDemoScene, DEMO_CENTRE, DETECTION_ZOOM, type DemoScene } from '@tuban/data/demo-imagery';
import { detectorModel } from '@tuban/workers/testing/change-models';
import { detectEnv, type DetectEnv } from '@tuban/workers/testing/detect-scene';

describe('co-registration in a detection run (classical baseline, before imagery off by metres)', () => {
  let env: DetectEnv;
  let scene: DemoScene;
  let run: RunRow;

  beforeAll(async () => {
    env = await detectEnv('coregister_e2e', detectorModel());
    scene = await renderDemoScene({ size: 512, seed: 2, misregistrationPx: 10 });
    const { afterId } = await env.ingest(scene);
    run = await env.detect(afterId);
  }, 120_000);
  afterAll(async () => env?.close());

  it('estimates the before imagery offset in every tile and summarises it on the run', async () => {
    const mpp = metresPerPixel(DEMO_CENTRE[1], DETECTION_ZOOM);
    // The scene's offset in pixels of the detection zoom (east = +x, south = +y on both grids).
    const [ex, ey] = scene.misregistrationM.map((m) => m / mpp) as [number, number];
    expect(Math.hypot(ex, ey)).toBeGreaterThan(2);
    expect(run.coregister).toBe(true);
    const { rows } = await env.db.pool.query<{ shift: { dx: number; dy: number; trusted: boolean; applied: boolean; borrowed: boolean } | null }>(
      'SELECT shift FROM detection_tiles WHERE run_id = $1 AND before_imagery_id IS NOT NULL',
      [run.id],
    );
    expect(rows.length).toBe(run.tilesTotal);
    // Tiles at the new flight's edge may hold too little of it to estimate on; every other one is shifted.
    const estimated = rows.map((r) => r.shift).filter((s) => s !== null);
    const applied = estimated.filter((s) => s.applied);
    expect(applied.length).toBeGreaterThanOrEqual(Math.ceil(rows.length / 2));
    expect(applied.some((s) => s.trusted)).toBe(true);
    // The UTM grid is turned by under a degree against Web Mercator here, and the generator's shift is uniform;
    // a window whose own estimate went wrong with confidence may stand alone in its batch.
    const right = applied.filter((s) => Math.hypot(s.dx - ex, s.dy - ey) < 0.5);
    expect(right.length).toBeGreaterThanOrEqual(Math.ceil(0.75 * applied.length));
    const summary = run.coregistration!;
    expect(summary).toMatchObject({ windows: estimated.length, applied: applied.length });
    expect(Math.abs(summary.medianShiftPx - Math.hypot(ex, ey))).toBeLessThan(0.5);
    expect(summary.metresPerPixel).toBeCloseTo(mpp, 2);
    expect(summary.largest.length).toBeGreaterThan(0);
    expect(run.timings.coregister).toBeGreaterThan(0);
  });
});
