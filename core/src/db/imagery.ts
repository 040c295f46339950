// Imagery items: the ingest's status changes and results, and what the API reads back.
import type { ErrorParams, ErrorRef } from '../errors.js';
import type { Queryable } from './pool.js';

export type ImageryStatus = 'uploaded' | 'ingesting' | 'ready' | 'failed';
export const IMAGERY_STATUSES: ImageryStatus[] = ['uploaded', 'ingesting', 'ready', 'failed'];

export interface Imagery {
  id: number;
  flightId: number | null;
  kind: string;
  status: ImageryStatus;
  error: string | null;
  /** a failed ingest's stable code and values, for the web to word */
  errorCode: string | null;
  errorParams: ErrorParams | null;
  /** metres from the district to the footprint, when it lies outside */
  outsideDistrictM: number | null;
  /** when an admin accepted imagery from outside the district for detection */
  acceptedAt: string | null;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  capturedAt: string | null;
  crs: string | null;
  gsdM: number | null;
  widthPx: number | null;
  heightPx: number | null;
  bands: unknown;
  minZoom: number | null;
  maxZoom: number | null;
  tileFormat: string | null;
  tileCount: number | null;
  footprint: GeoJSON.MultiPolygon | null;
  extent: GeoJSON.Polygon | null;
  /** Photos only: where it was taken, and the pose from EXIF. */
  position: GeoJSON.Point | null;
  altitudeM: number | null;
  altitudeRef: string | null;
  camera: string | null;
  yawDeg: number | null;
  pitchDeg: number | null;
  uploadedBy: number;
  createdAt: string;
  updatedAt: string;
  ingestedAt: string | null;
}

const COLUMNS = `id, flight_id AS "flightId", kind, status, error, error_code AS "errorCode", error_params AS "errorParams",
  outside_district_m AS "outsideDistrictM", accepted_at AS "acceptedAt", file_name AS "fileName", sha256,
  size_bytes AS "sizeBytes", captured_at AS "capturedAt", crs, gsd_m AS "gsdM", width_px AS "widthPx",
  height_px AS "heightPx", bands, min_zoom AS "minZoom", max_zoom AS "maxZoom", tile_format AS "tileFormat",
  tile_count AS "tileCount", ST_AsGeoJSON(footprint, 8)::json AS footprint, ST_AsGeoJSON(extent, 8)::json AS extent,
  ST_AsGeoJSON(position, 8)::json AS position, altitude_m AS "altitudeM", altitude_ref AS "altitudeRef", camera,
  yaw_deg AS "yawDeg", pitch_deg AS "pitchDeg",
  uploaded_by AS "uploadedBy", created_at AS "createdAt", updated_at AS "updatedAt", ingested_at AS "ingestedAt"`;

interface Row extends Omit<Imagery, 'capturedAt' | 'createdAt' | 'updatedAt' | 'ingestedAt' | 'acceptedAt'> {
  capturedAt: Date | null;
  acceptedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  ingestedAt: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toImagery = (r: Row): Imagery => ({
  ...r,
  capturedAt: iso(r.capturedAt),
  acceptedAt: iso(r.acceptedAt),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  ingestedAt: iso(r.ingestedAt),
});

export async function getImagery(db: Queryable, id: number): Promise<Imagery | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM imagery WHERE id = $1`, [id]);
  return rows[0] ? toImagery(rows[0]) : null;
}

export interface ImageryFilter {
  /** [west, south, east, north] in WGS84; items whose footprint (or, before ingest, nothing) meets it. */
  bbox?: [number, number, number, number];
  status?: ImageryStatus;
  limit?: number;
}

export async function listImagery(db: Queryable, filter: ImageryFilter = {}): Promise<Imagery[]> {
  const b = filter.bbox;
  const { rows } = await db.query<Row>(
    `SELECT ${COLUMNS} FROM imagery
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::float8 IS NULL OR footprint && ST_MakeEnvelope($2, $3, $4, $5, 4326))
     ORDER BY coalesce(captured_at, created_at) DESC, id DESC LIMIT $6`,
    [filter.status ?? null, b?.[0] ?? null, b?.[1] ?? null, b?.[2] ?? null, b?.[3] ?? null, filter.limit ?? 500],
  );
  return rows.map(toImagery);
}

/** What the ingest needs to know about an item before it starts. */
export interface IngestContext {
  status: ImageryStatus;
  kind: string;
  capturedAt: Date | null;
  flightFlownAt: Date | null;
}

export async function getIngestContext(db: Queryable, id: number): Promise<IngestContext | null> {
  const { rows } = await db.query<IngestContext>(
    `SELECT i.status, i.kind, i.captured_at AS "capturedAt", f.flown_at AS "flightFlownAt"
     FROM imagery i LEFT JOIN flights f ON f.id = i.flight_id WHERE i.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

/** Moves an item to `ingesting`, clearing any result of an earlier attempt. */
export async function markIngesting(db: Queryable, id: number): Promise<void> {
  await db.query(
    `UPDATE imagery SET status = 'ingesting', error = NULL, error_code = NULL, error_params = NULL, footprint = NULL, extent = NULL, tile_count = NULL,
       ingested_at = NULL, updated_at = now() WHERE id = $1`,
    [id],
  );
}

/** Fails an item with the English message and, for the web to word it, a stable code and its values. */
export async function markFailed(db: Queryable, id: number, error: string, ref: ErrorRef = { code: 'ingest_failed', params: { message: error } }): Promise<void> {
  await db.query(
    `UPDATE imagery SET status = 'failed', error = $2, error_code = $3, error_params = $4, footprint = NULL, extent = NULL,
       tile_count = NULL, min_zoom = NULL, max_zoom = NULL, ingested_at = NULL, updated_at = now() WHERE id = $1`,
    [id, error, ref.code, JSON.stringify(ref.params ?? {})],
  );
}

export interface IngestResult {
  capturedAt: Date | null;
  crs: string;
  gsdM: number;
  widthPx: number;
  heightPx: number;
  bands: unknown;
  minZoom: number;
  maxZoom: number;
  tileFormat: string;
  tileCount: number;
  /** Valid-data cells as WGS84 rings ([lon, lat] pairs, closed), unioned and simplified here. */
  footprintRings: number[][][];
  /** Tolerance in degrees for simplifying the footprint. */
  simplifyDeg: number;
  extentRing: number[][];
}

/**
 * Metres from the district (its streets) to a footprint, or NULL when the footprint touches it or no streets
 * are loaded: imagery from far away is kept but flagged (and not detected until an admin accepts it).
 */
const DISTRICT_DISTANCE = (g: string) => `(SELECT CASE WHEN count(*) = 0 OR bool_or(ST_Intersects(s.geom, ${g})) THEN NULL
  ELSE greatest(min(ST_Distance(s.geom::geography, ${g}::geography)), 0.001) END FROM streets s)`;

/** Records the ingest's results and sets `ready`, in one statement. */
export async function markReady(db: Queryable, id: number, r: IngestResult): Promise<void> {
  const polygons = { type: 'MultiPolygon', coordinates: r.footprintRings.map((ring) => [ring]) };
  // Imagery that touches no street of the district records how far away it lies (see DISTRICT_DISTANCE).
  await db.query(
    `WITH f AS (SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(
         ST_UnaryUnion(ST_SetSRID(ST_GeomFromGeoJSON($12), 4326)), $13)), 3)) AS g)
     UPDATE imagery SET status = 'ready', error = NULL, error_code = NULL, error_params = NULL, captured_at = $2, crs = $3,
       gsd_m = $4, width_px = $5, height_px = $6, bands = $7, min_zoom = $8, max_zoom = $9, tile_format = $10,
       tile_count = $11, footprint = f.g, outside_district_m = ${DISTRICT_DISTANCE('f.g')},
       extent = ST_SetSRID(ST_GeomFromGeoJSON($14), 4326), ingested_at = now(), updated_at = now()
     FROM f WHERE id = $1`,
    [
      id,
      r.capturedAt,
      r.crs,
      r.gsdM,
      r.widthPx,
      r.heightPx,
      JSON.stringify(r.bands),
      r.minZoom,
      r.maxZoom,
      r.tileFormat,
      r.tileCount,
      JSON.stringify(polygons),
      r.simplifyDeg,
      JSON.stringify({ type: 'Polygon', coordinates: [r.extentRing] }),
    ],
  );
}

/** Fails an item only if it is still `ingesting` (the job died without recording an outcome). */
export async function failIfStillIngesting(db: Queryable, id: number, error: string, ref: ErrorRef): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE imagery SET status = 'failed', error = $2, error_code = $3, error_params = $4, footprint = NULL, extent = NULL,
       tile_count = NULL, ingested_at = NULL, updated_at = now() WHERE id = $1 AND status = 'ingesting'`,
    [id, error, ref.code, ref.params ?? null],
  );
  return (rowCount ?? 0) > 0;
}

/** Records why automatic detection did not run for an item (null clears it, once a run is planned). */
export async function setDetectionProblem(db: Queryable, id: number, problem: { message: string; code: string; params?: ErrorParams } | null): Promise<void> {
  await db.query(
    'UPDATE imagery SET detection_error = $2, detection_error_code = $3, detection_error_params = $4 WHERE id = $1',
    [id, problem?.message ?? null, problem?.code ?? null, problem ? JSON.stringify(problem.params ?? {}) : null],
  );
}

/** An admin accepts imagery from outside the district for detection; false if there is no such item. */
export async function acceptImagery(db: Queryable, id: number, adminId: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE imagery SET accepted_by = $2, accepted_at = now(), updated_at = now() WHERE id = $1 AND accepted_at IS NULL AND outside_district_m IS NOT NULL',
    [id, adminId],
  );
  return (rowCount ?? 0) > 0;
}
