import { summariseShifts, type ShiftSummary, type WindowShift } from '../change/coregister.js';
import { metresPerPixel, tileBounds } from '../geo/tiles.js';
import type { ErrorParams, ErrorRef } from '../errors.js';
import type { Queryable } from './pool.js';

export interface NewRun {
  afterImageryId: number;
  modelName: string;
  modelVersion: string;
  threshold: number;
  minAreaM2: number;
  villaMinAreaM2: number;
  zoom: number;
  batchSize: number;
  marginPx: number;
  /** co-register each before window onto its after window before inference */
  coregister: boolean;
  createdBy: number;
}

/** A run's co-registration summary: the windows' shifts, their ground size, and where the largest were. */
export interface RunCoregistration extends ShiftSummary {
  /** metres per pixel at the run's zoom, where its tiles lie */
  metresPerPixel: number;
  /** the tiles with the largest trusted shifts, largest first (at most 5) */
  largest: { x: number; y: number; dx: number; dy: number }[];
}

export interface RunRow extends NewRun {
  id: number;
  status: 'planned' | 'running' | 'done' | 'failed';
  error: string | null;
  errorCode: string | null;
  errorParams: ErrorParams | null;
  tilesTotal: number;
  tilesDone: number;
  tilesWithoutBaseline: number;
  batchesTotal: number;
  candidatesFound: number | null;
  timings: Record<string, number>;
  coregistration: RunCoregistration | null;
  createdAt: string;
  finishedAt: string | null;
}

const RUN_COLUMNS = `id, after_imagery_id AS "afterImageryId", model_name AS "modelName", model_version AS "modelVersion",
  threshold, min_area_m2 AS "minAreaM2", villa_min_area_m2 AS "villaMinAreaM2", zoom, batch_size AS "batchSize",
  margin_px AS "marginPx", status, error, error_code AS "errorCode", error_params AS "errorParams", tiles_total AS "tilesTotal", tiles_done AS "tilesDone",
  tiles_without_baseline AS "tilesWithoutBaseline", batches_total AS "batchesTotal", candidates_found AS "candidatesFound",
  timings, coregister, coregistration, created_by AS "createdBy", to_json(created_at)#>>'{}' AS "createdAt", to_json(finished_at)#>>'{}' AS "finishedAt"`;

export async function insertRun(db: Queryable, run: NewRun): Promise<RunRow> {
  const { rows } = await db.query<RunRow>(
    `INSERT INTO detection_runs (after_imagery_id, model_name, model_version, threshold, min_area_m2, villa_min_area_m2,
       zoom, batch_size, margin_px, coregister, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${RUN_COLUMNS}`,
    [run.afterImageryId, run.modelName, run.modelVersion, run.threshold, run.minAreaM2, run.villaMinAreaM2, run.zoom,
      run.batchSize, run.marginPx, run.coregister, run.createdBy],
  );
  return rows[0]!;
}

export async function findRun(db: Queryable, id: number): Promise<RunRow | undefined> {
  const { rows } = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM detection_runs WHERE id = $1`, [id]);
  return rows[0];
}

// About a centimetre: a tile that only touches the footprint's edge is not part of the imagery, and a
// baseline whose edge misses a tile's edge by rounding still covers it.
const EDGE_TOLERANCE_DEG = 1e-7;
// Batches are cut from square blocks of tiles rather than rows: a window needs its neighbours' tiles, and
// a 4 × 4 block decodes 36 tiles per imagery for 16 windows where a row of 16 decodes 54.
const BATCH_BLOCK = 4;

/**
 * Records the tiles of a run that touch the after imagery's footprint and, for each, the newest ready imagery captured before the after
 * imagery whose footprint covers the whole tile (the baseline). Tiles with a baseline are numbered
 * into batches in a fixed order, so re-planning gives the same batches.
 */
export async function planRunTiles(db: Queryable, runId: number, tiles: { x: number; y: number }[]): Promise<void> {
  await db.query(
    `WITH run AS (SELECT r.id, r.zoom, r.batch_size, i.id AS after_id, i.captured_at, i.footprint
                  FROM detection_runs r JOIN imagery i ON i.id = r.after_imagery_id WHERE r.id = $1),
     t AS (SELECT u.x, u.y FROM unnest($2::int[], $3::int[]) AS u(x, y), run
           WHERE ST_Intersects(run.footprint, ST_Expand(ST_Transform(ST_TileEnvelope(run.zoom, u.x, u.y), 4326), -$4::float8))),
     picked AS (
       SELECT t.x, t.y, (SELECT b.id FROM imagery b
                         WHERE b.status = 'ready' AND b.id <> run.after_id AND b.captured_at < run.captured_at
                           AND ST_Covers(b.footprint, ST_Expand(ST_Transform(ST_TileEnvelope(run.zoom, t.x, t.y), 4326), -$4::float8))
                         ORDER BY b.captured_at DESC, b.id DESC LIMIT 1) AS before_id
       FROM t, run),
     numbered AS (
       SELECT x, y, before_id,
         CASE WHEN before_id IS NULL THEN NULL
              ELSE ((row_number() OVER (PARTITION BY before_id IS NULL
                                        ORDER BY y / $5::int, x / $5::int, y, x)) - 1) / (SELECT batch_size FROM run)
         END AS batch_no
       FROM picked)
     INSERT INTO detection_tiles (run_id, x, y, before_imagery_id, batch_no)
     SELECT $1, x, y, before_id, batch_no FROM numbered
     ON CONFLICT (run_id, x, y) DO NOTHING`,
    [runId, tiles.map((t) => t.x), tiles.map((t) => t.y), EDGE_TOLERANCE_DEG, BATCH_BLOCK],
  );
  await db.query(
    `UPDATE detection_runs r SET tiles_total = c.with_baseline, tiles_without_baseline = c.without_baseline,
       batches_total = c.batches
     FROM (SELECT count(*) FILTER (WHERE before_imagery_id IS NOT NULL)::int AS with_baseline,
                  count(*) FILTER (WHERE before_imagery_id IS NULL)::int AS without_baseline,
                  coalesce(max(batch_no) + 1, 0)::int AS batches
           FROM detection_tiles WHERE run_id = $1) c
     WHERE r.id = $1`,
    [runId],
  );
}

export interface BatchTile {
  x: number;
  y: number;
  beforeImageryId: number;
}

export async function batchTiles(db: Queryable, runId: number, batchNo: number): Promise<BatchTile[]> {
  const { rows } = await db.query<BatchTile>(
    `SELECT x, y, before_imagery_id AS "beforeImageryId" FROM detection_tiles
     WHERE run_id = $1 AND batch_no = $2 ORDER BY y / ${BATCH_BLOCK}, x / ${BATCH_BLOCK}, y, x`,
    [runId, batchNo],
  );
  return rows;
}

export interface Part {
  /** Outline then holes, as lon/lat rings. */
  rings: [number, number][][];
  pixels: number;
  scoreSum: number;
  scoreMax: number;
  beforeImageryId: number;
}

/** The imagery items a run reads: its after imagery and every before imagery of its tiles. */
export async function runImageryIds(db: Queryable, run: Pick<RunRow, 'id' | 'afterImageryId'>): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    'SELECT DISTINCT before_imagery_id AS id FROM detection_tiles WHERE run_id = $1 AND before_imagery_id IS NOT NULL',
    [run.id],
  );
  return [run.afterImageryId, ...rows.map((r) => r.id)];
}

/**
 * Replaces what a batch found and marks its tiles done, in the caller's transaction: a batch that is
 * retried after a crash overwrites its earlier partial result instead of adding to it. `seconds` per stage are
 * added to the run's timings. The run's row, which every batch of the run updates, is written last, in one
 * statement, so that its lock is held only until the caller commits.
 */
export async function replaceBatchParts(db: Queryable, runId: number, batchNo: number, parts: Part[], seconds: Record<string, number> = {}): Promise<void> {
  await db.query('DELETE FROM candidate_parts WHERE run_id = $1 AND batch_no = $2', [runId, batchNo]);
  // Traced outlines are nearly always valid, so they go in as they are and only the others are repaired, in a
  // statement of their own: any statement that holds ST_MakeValid ran ten times slower here, valid rows or not.
  const invalid = await insertValidParts(db, runId, batchNo, parts);
  if (invalid.length > 0) await insertRepairedParts(db, runId, batchNo, invalid.map((k) => parts[k]!));
  await db.query(
    `WITH marked AS (UPDATE detection_tiles SET done = true WHERE run_id = $1 AND batch_no = $2 AND NOT done RETURNING 1)
     UPDATE detection_runs r SET tiles_done = tiles_done + (SELECT count(*) FROM marked),
       status = CASE WHEN status = 'planned' THEN 'running' ELSE status END,
       started_at = coalesce(started_at, now()),
       timings = r.timings || (
         SELECT coalesce(jsonb_object_agg(k, coalesce((r.timings->>k)::float8, 0) + v::float8), '{}'::jsonb)
         FROM jsonb_each_text($3::jsonb) AS e(k, v))
     WHERE id = $1`,
    [runId, batchNo, JSON.stringify(seconds)],
  );
}

/** Parts as the JSON rows the inserts read, each with its index `k`. */
const PARTS_INPUT = `jsonb_to_recordset($3::jsonb) AS p(k int, geom text, pixels int, score_sum float8, score_max float8, before_id bigint)`;
const partsJson = (parts: Part[]): string =>
  JSON.stringify(parts.map((p, k) => ({
    k,
    geom: JSON.stringify({ type: 'Polygon', coordinates: p.rings }),
    pixels: p.pixels,
    score_sum: p.scoreSum,
    score_max: p.scoreMax,
    before_id: p.beforeImageryId,
  })));

/** Inserts the parts whose outline is valid; returns the indexes of the others, which are left out. */
async function insertValidParts(db: Queryable, runId: number, batchNo: number, parts: Part[]): Promise<number[]> {
  if (parts.length === 0) return [];
  const { rows } = await db.query<{ k: number }>(
    `WITH parsed AS MATERIALIZED (
       SELECT ST_SetSRID(ST_GeomFromGeoJSON(p.geom), 4326) AS geom, p.pixels, p.score_sum, p.score_max, p.before_id, p.k
       FROM ${PARTS_INPUT}),
     checked AS MATERIALIZED (SELECT parsed.*, ST_IsValid(parsed.geom) AS ok FROM parsed),
     inserted AS (
       INSERT INTO candidate_parts (run_id, batch_no, geom, pixels, score_sum, score_max, before_imagery_id)
       SELECT $1, $2, geom, pixels, score_sum, score_max, before_id FROM checked WHERE ok)
     SELECT k FROM checked WHERE NOT ok`,
    [runId, batchNo, partsJson(parts)],
  );
  return rows.map((r) => r.k);
}

/** Inserts parts with invalid outlines, repaired into the polygons ST_MakeValid makes of them. */
async function insertRepairedParts(db: Queryable, runId: number, batchNo: number, parts: Part[]): Promise<void> {
  await db.query(
    `INSERT INTO candidate_parts (run_id, batch_no, geom, pixels, score_sum, score_max, before_imagery_id)
     SELECT $1, $2, (ST_Dump(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(p.geom), 4326)), 3))).geom,
       p.pixels, p.score_sum, p.score_max, p.before_id
     FROM ${PARTS_INPUT}`,
    [runId, batchNo, partsJson(parts)],
  );
}

/** A tile's window shift, as its batch estimated it. */
export interface TileShift extends Omit<WindowShift, 'dx' | 'dy' | 'confidence'> {
  x: number;
  y: number;
  dx: number;
  dy: number;
  confidence: number;
}

/** Records the shifts a batch estimated for its tiles, in the caller's transaction (a retried batch overwrites them). */
export async function recordTileShifts(db: Queryable, runId: number, shifts: TileShift[]): Promise<void> {
  if (shifts.length === 0) return;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  await db.query(
    `UPDATE detection_tiles t SET shift = s.shift
     FROM jsonb_to_recordset($2::jsonb) AS s(x int, y int, shift jsonb)
     WHERE t.run_id = $1 AND t.x = s.x AND t.y = s.y`,
    [runId, JSON.stringify(shifts.map(({ x, y, dx, dy, confidence, trusted, clamped, applied, borrowed, skipped }) => ({
      x, y, shift: { dx: round(dx), dy: round(dy), confidence: round(confidence), trusted, clamped, applied, borrowed: borrowed ?? false,
        skipped: skipped ?? false },
    })))],
  );
}

/** Summarises the tiles' shifts onto the run (when it co-registers); called once its batches are done. */
export async function summariseRunShifts(db: Queryable, runId: number): Promise<RunCoregistration | null> {
  const run = await findRun(db, runId);
  if (!run) throw new Error(`no detection run ${runId}`);
  if (!run.coregister) return null;
  const { rows } = await db.query<TileShift>(
    `SELECT x, y, (shift->>'dx')::float8 AS dx, (shift->>'dy')::float8 AS dy, (shift->>'confidence')::float8 AS confidence,
       (shift->>'trusted')::boolean AS trusted, (shift->>'clamped')::boolean AS clamped, (shift->>'applied')::boolean AS applied,
       coalesce((shift->>'borrowed')::boolean, false) AS borrowed, coalesce((shift->>'skipped')::boolean, false) AS skipped
     FROM detection_tiles WHERE run_id = $1 AND shift IS NOT NULL ORDER BY y, x`,
    [runId],
  );
  const largest = rows
    .filter((r) => r.trusted)
    .sort((a, b) => Math.hypot(b.dx, b.dy) - Math.hypot(a.dx, a.dy))
    .slice(0, 5)
    .map(({ x, y, dx, dy }) => ({ x, y, dx, dy }));
  const [, south, , north] = rows.length ? tileBounds({ z: run.zoom, x: rows[0]!.x, y: rows[0]!.y }) : [0, 0, 0, 0];
  const lat = (south + north) / 2;
  const summary: RunCoregistration = {
    ...summariseShifts(rows),
    metresPerPixel: Math.round(metresPerPixel(lat, run.zoom) * 1000) / 1000,
    largest,
  };
  await db.query('UPDATE detection_runs SET coregistration = $2 WHERE id = $1', [runId, JSON.stringify(summary)]);
  return summary;
}

/** A run with nothing to compare (no tile has a baseline) is finished as soon as it is planned. */
export async function finishRunWithoutBatches(db: Queryable, runId: number): Promise<void> {
  await db.query(
    `UPDATE detection_runs SET status = 'done', candidates_found = 0, started_at = now(), finished_at = now()
     WHERE id = $1 AND batches_total = 0 AND status = 'planned'`,
    [runId],
  );
}

/** Fails a run with the English message and, for the web to word it, a stable code and its values. */
export async function failRun(db: Queryable, runId: number, error: string, ref: ErrorRef): Promise<void> {
  await db.query(
    `UPDATE detection_runs SET status = 'failed', error = $2, error_code = $3, error_params = $4, finished_at = now() WHERE id = $1`,
    [runId, error, ref.code, ref.params ?? null],
  );
}

export interface PlanningImagery {
  id: number;
  status: string;
  capturedAt: string | null;
  bbox: [number, number, number, number] | null;
  gsdM: number | null;
  /** metres outside the district, while no admin has accepted it (else null) */
  outsideDistrictM: number | null;
}

export async function imageryForPlanning(db: Queryable, id: number): Promise<PlanningImagery | undefined> {
  const { rows } = await db.query<PlanningImagery>(
    `SELECT id, status, to_json(captured_at)#>>'{}' AS "capturedAt", gsd_m AS "gsdM",
       CASE WHEN accepted_at IS NULL THEN outside_district_m END AS "outsideDistrictM",
       CASE WHEN footprint IS NULL THEN NULL
            ELSE json_build_array(ST_XMin(footprint), ST_YMin(footprint), ST_XMax(footprint), ST_YMax(footprint)) END AS bbox
     FROM imagery WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/** The run already planned for this imagery with this model, if any: planning twice makes one run. */
export async function findRunFor(db: Queryable, afterImageryId: number, modelVersion: string): Promise<RunRow | undefined> {
  const { rows } = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM detection_runs WHERE after_imagery_id = $1 AND model_version = $2 AND status <> 'failed'
     ORDER BY id DESC LIMIT 1`,
    [afterImageryId, modelVersion],
  );
  return rows[0];
}

export async function listRuns(db: Queryable, limit: number): Promise<RunRow[]> {
  const { rows } = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM detection_runs ORDER BY id DESC LIMIT $1`, [limit]);
  return rows;
}

export interface ChipSource {
  id: number;
  zoom: number;
  bbox: [number, number, number, number];
  beforeImageryId: number | null;
  afterImageryId: number | null;
}

// A drawn candidate has no run: its crops are cut at the zoom the shipped model detects at over Shanghai (0.5 m/px).
const DRAWN_CHIP_ZOOM = 18;

/** What a candidate's before/after crops are cut from: its outline's bounds and the run's zoom. */
export async function candidateChipSource(db: Queryable, candidateId: number): Promise<ChipSource | undefined> {
  const { rows } = await db.query<ChipSource>(
    `SELECT c.id, coalesce(r.zoom, $2) AS zoom, json_build_array(ST_XMin(c.geom), ST_YMin(c.geom), ST_XMax(c.geom), ST_YMax(c.geom)) AS bbox,
       c.before_imagery_id AS "beforeImageryId", c.after_imagery_id AS "afterImageryId"
     FROM candidates c LEFT JOIN detection_runs r ON r.id = c.run_id WHERE c.id = $1`,
    [candidateId, DRAWN_CHIP_ZOOM],
  );
  return rows[0];
}
