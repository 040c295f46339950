// Generated candidates for tests that need a full queue without running detection: one detection run and
// candidate polygons placed where real ones would turn up (beside registry items, in villa compounds, on
// demolished spots that were rebuilt, and scattered in the streets), over placeholder imagery without tiles.
// The same seed over the same registry gives the same rows. The demo does not use them (its candidates come
// from a real detection run over its rendered imagery); `removeStandInCandidates` clears those an earlier
// demo seeded.
import { createHash } from 'node:crypto';
import type { Queryable } from '@tuban/core/db/pool';
import { asMulti, footprintShape, placeShape, toXy, type Xy } from './placement.js';
import { createRng } from './prng.js';

export const DEMO_MODEL_NAME = 'demo-generator';
export const DEFAULT_CANDIDATE_COUNT = 120;

type Kind = 'near_item' | 'villa' | 'rebuilt' | 'scattered';
const KIND_SHARE: Readonly<Record<Kind, number>> = { near_item: 40, villa: 15, rebuilt: 10, scattered: 35 };

interface Anchor {
  lon: number;
  lat: number;
}

export interface CandidateSeedResult {
  runId: number | null;
  candidates: number;
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

// One statement per read, as elsewhere; the generator only needs centres.
async function anchors(db: Queryable, sql: string): Promise<Anchor[]> {
  const { rows } = await db.query<Anchor>(sql);
  return rows;
}

/**
 * Adds a demo detection run with up to `count` candidates in status new (the few that land outside
 * every street are dropped), unless a run from this generator
 * with the same seed is there already (then nothing is added). Needs the registry seeded first.
 */
export async function seedDemoCandidates(
  db: Queryable,
  opts: { actorId: number; seed: number; count?: number },
): Promise<CandidateSeedResult> {
  const version = `seed-${opts.seed}`;
  const existing = await db.query('SELECT 1 FROM detection_runs WHERE model_name = $1 AND model_version = $2', [
    DEMO_MODEL_NAME,
    version,
  ]);
  if (existing.rows.length > 0) return { runId: null, candidates: 0 };

  const items = await anchors(
    db,
    `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM registry_items
     WHERE status IN ('open', 'annotated') AND villa_compound_id IS NULL ORDER BY id`,
  );
  const demolished = await anchors(
    db,
    `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM registry_items
     WHERE status = 'demolished' ORDER BY id`,
  );
  const villas = await anchors(
    db,
    'SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM villa_compounds ORDER BY id',
  );
  const streets = await anchors(
    db,
    'SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM streets ORDER BY code',
  );
  if (streets.length === 0) throw new Error('seed the streets and registry before the demo candidates');

  // Placeholder imagery records: no pixels behind them until real imagery is ingested.
  const { rows: imagery } = await db.query<{ id: number; kind: string }>(
    `INSERT INTO imagery (kind, status, file_name, sha256, size_bytes, captured_at, uploaded_by) VALUES
       ('satellite', 'uploaded', 'demo-before-placeholder.tif', $1, 0, '2026-04-15T10:30:00+08:00', $3),
       ('drone', 'uploaded', 'demo-after-placeholder.tif', $2, 0, '2026-10-20T10:30:00+08:00', $3)
     ON CONFLICT (sha256) DO UPDATE SET file_name = EXCLUDED.file_name
     RETURNING id, kind`,
    [sha(`tuban-demo-before-${opts.seed}`), sha(`tuban-demo-after-${opts.seed}`), opts.actorId],
  );
  const before = imagery.find((i) => i.kind === 'satellite')!.id;
  const after = imagery.find((i) => i.kind === 'drone')!.id;
  const { rows: runRows } = await db.query<{ id: number }>(
    `INSERT INTO detection_runs (after_imagery_id, model_name, model_version, threshold, min_area_m2, zoom, status,
       created_by, started_at, finished_at)
     VALUES ($1, $2, $3, 0.5, 15, 18, 'done', $4, now(), now()) RETURNING id`,
    [after, DEMO_MODEL_NAME, version, opts.actorId],
  );
  const runId = runRows[0]!.id;

  const rng = createRng(opts.seed ^ 0x5eed);
  const count = opts.count ?? DEFAULT_CANDIDATE_COUNT;
  const rows: { n: number; geom: unknown; score_mean: number; score_max: number; rebuilt: boolean }[] = [];
  for (let n = 0; n < count; n++) {
    let kind = rng.weighted(KIND_SHARE);
    if (kind === 'near_item' && items.length === 0) kind = 'scattered';
    if (kind === 'rebuilt' && demolished.length === 0) kind = 'scattered';
    if (kind === 'villa' && villas.length === 0) kind = 'scattered';
    const pool = { near_item: items, rebuilt: demolished, villa: villas, scattered: streets }[kind];
    const anchor = rng.pick(pool);
    // near an item: beside it; rebuilt: on the spot; villa/scattered: somewhere around the centre
    const spread = { near_item: 25, rebuilt: 3, villa: 60, scattered: 400 }[kind];
    const centre: Xy = toXy([anchor.lon, anchor.lat]);
    centre[0] += rng.float(-spread, spread);
    centre[1] += rng.float(-spread, spread);
    const side = kind === 'villa' ? rng.float(6, 16) : rng.float(5, 30);
    const shape = footprintShape(side * rng.float(1, 2), side);
    const scoreMax = Math.min(0.99, rng.float(0.5, 1));
    rows.push({
      n,
      geom: asMulti(placeShape(shape, centre, rng.float(0, Math.PI))),
      score_max: Number(scoreMax.toFixed(3)),
      score_mean: Number((scoreMax * rng.float(0.6, 0.95)).toFixed(3)),
      rebuilt: kind === 'rebuilt',
    });
  }
  const { rowCount } = await db.query(
    `INSERT INTO candidates (run_id, geom, score_mean, score_max, model_version, street_code, villa_compound_id, rebuilt,
       before_imagery_id, after_imagery_id)
     SELECT $2, g.geom, c.score_mean, c.score_max, $3,
       (SELECT s.code FROM streets s WHERE ST_Contains(s.geom, ST_PointOnSurface(g.geom)) ORDER BY s.code LIMIT 1),
       (SELECT v.id FROM villa_compounds v WHERE ST_Intersects(v.geom, g.geom) ORDER BY v.id LIMIT 1),
       c.rebuilt, $4, $5
     FROM jsonb_to_recordset($1::jsonb) AS c(n int, geom jsonb, score_mean float8, score_max float8, rebuilt boolean),
       LATERAL (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(c.geom::text), 4326)) AS geom) g
     -- a spot that fell outside the district is left out: no squad could be sent there
     WHERE EXISTS (SELECT 1 FROM streets s WHERE ST_Contains(s.geom, ST_PointOnSurface(g.geom)))
     ORDER BY c.n`,
    [JSON.stringify(rows), runId, version, before, after],
  );
  return { runId, candidates: rowCount ?? 0 };
}

/**
 * Removes the generated stand-in runs an earlier demo seed added, with their candidates and placeholder
 * imagery, as long as nobody has worked on them (every candidate still new, no audit event). Returns how
 * many candidates went.
 */
export async function removeStandInCandidates(db: Queryable): Promise<number> {
  const { rows: runs } = await db.query<{ id: number }>(
    `SELECT r.id FROM detection_runs r WHERE r.model_name = $1 AND NOT EXISTS (
       SELECT 1 FROM candidates c WHERE c.run_id = r.id
         AND (c.status <> 'new' OR EXISTS (SELECT 1 FROM candidate_events e WHERE e.candidate_id = c.id)))`,
    [DEMO_MODEL_NAME],
  );
  const ids = runs.map((r) => r.id);
  if (ids.length === 0) return 0;
  const { rows: imagery } = await db.query<{ id: number }>(
    `SELECT DISTINCT unnest(ARRAY[before_imagery_id, after_imagery_id]) AS id FROM candidates WHERE run_id = ANY($1)
     UNION SELECT after_imagery_id FROM detection_runs WHERE id = ANY($1)`,
    [ids],
  );
  const { rowCount } = await db.query('DELETE FROM candidates WHERE run_id = ANY($1)', [ids]);
  await db.query('DELETE FROM detection_runs WHERE id = ANY($1)', [ids]);
  // placeholders only: never ingested, and nothing else points at them
  await db.query(
    `DELETE FROM imagery i WHERE i.id = ANY($1) AND i.status = 'uploaded' AND i.size_bytes = 0
       AND NOT EXISTS (SELECT 1 FROM candidates c WHERE i.id IN (c.before_imagery_id, c.after_imagery_id))
       AND NOT EXISTS (SELECT 1 FROM detection_runs r WHERE r.after_imagery_id = i.id)
       AND NOT EXISTS (SELECT 1 FROM detection_tiles t WHERE t.before_imagery_id = i.id)`,
    [imagery.map((r) => r.id).filter((id) => id !== null)],
  );
  return rowCount ?? 0;
}
