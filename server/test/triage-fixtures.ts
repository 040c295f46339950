// Candidates for the triage tests, placed in the harness streets (A west, B east).
import type { Pool } from '@tuban/core/db/pool';
import { insertTestCandidate, insertTestDetectionRun, insertTestImagery, type Box } from '@tuban/core/testing/fixtures';

export interface TriageFixtures {
  runId: number;
  afterImageryId: number;
  /** by label: a1..a4 in street A, v1 in A's villa compound, r1 rebuilt in A, b1, b2 in street B, out outside both */
  ids: Record<string, number>;
}

export async function insertCandidates(db: Pool, actorId: number): Promise<TriageFixtures> {
  const beforeImageryId = await insertTestImagery(db, {
    status: 'ready', fileName: 'before.tif', capturedAt: '2025-05-01T10:00:00+08:00', uploadedBy: actorId,
  });
  const afterImageryId = await insertTestImagery(db, {
    kind: 'satellite', status: 'ready', fileName: 'after.tif', capturedAt: '2025-11-01T10:00:00+08:00', uploadedBy: actorId,
  });
  const runId = await insertTestDetectionRun(db, { afterImageryId, status: 'done', createdBy: actorId });
  const villa = await db.query<{ id: number }>('SELECT id FROM villa_compounds LIMIT 1');
  // label, bbox, score, street, villa, rebuilt
  const specs: [string, Box, number, string | null, boolean, boolean][] = [
    ['a1', [121.3830, 31.2540, 121.3832, 31.2542], 0.9, '310107005', false, false],
    ['a2', [121.3840, 31.2540, 121.3843, 31.2543], 0.6, '310107005', false, false],
    ['a3', [121.3850, 31.2570, 121.3851, 31.2571], 0.55, '310107005', false, false],
    ['a4', [121.3860, 31.2580, 121.3862, 31.2582], 0.7, '310107005', false, false],
    ['v1', [121.3818, 31.2518, 121.3819, 31.2519], 0.5, '310107005', true, false],
    ['r1', [121.3870, 31.2590, 121.3871, 31.2591], 0.52, '310107005', false, true],
    ['b1', [121.3950, 31.2540, 121.3952, 31.2542], 0.8, '310107014', false, false],
    ['b2', [121.3960, 31.2550, 121.3962, 31.2552], 0.65, '310107014', false, false],
    ['out', [121.4100, 31.2540, 121.4102, 31.2542], 0.75, null, false, false],
  ];
  const ids: Record<string, number> = {};
  for (const [label, geom, scoreMax, streetCode, inVilla, rebuilt] of specs) {
    ids[label] = await insertTestCandidate(db, {
      runId, geom, scoreMax, streetCode, villaCompoundId: inVilla ? villa.rows[0]!.id : null, rebuilt, beforeImageryId, afterImageryId,
    });
  }
  return { runId, afterImageryId, ids };
}
