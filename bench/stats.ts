// Small helpers the benchmarks share.
import type { Queryable } from '@tuban/core/db/pool';

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall time in ms of `runs` calls of `fn`, one after another. */
export async function medianTime(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** Ten streets, `3101070NN` named bench-N, as a 5 × 2 grid over Putuo's extent. */
export async function seedBenchStreets(db: Queryable): Promise<void> {
  await db.query(`INSERT INTO streets (code, name, kind, boundary_source, geom)
    SELECT '3101070' || lpad(i::text, 2, '0'), 'bench-' || i, 'subdistrict', 'bench',
      ST_Multi(ST_MakeEnvelope(121.33 + (i % 5) * 0.024, 31.22 + (i / 5) * 0.04, 121.354 + (i % 5) * 0.024, 31.26 + (i / 5) * 0.04, 4326))
    FROM generate_series(0, 9) i`);
}
