// Evidence photos among the imagery items: recording what the ingest read from EXIF, and finding photos by place.
import type { Queryable } from './pool.js';

export interface EvidencePhotoResult {
  lon: number;
  lat: number;
  altitudeM: number | null;
  altitudeRef: 'takeoff' | 'gps' | null;
  capturedAt: Date | null;
  camera: string | null;
  yawDeg: number | null;
  pitchDeg: number | null;
  widthPx: number;
  heightPx: number;
}

/** Records a photo's position and pose and sets `ready`, in one statement. */
export async function markEvidencePhotoReady(db: Queryable, id: number, p: EvidencePhotoResult): Promise<void> {
  await db.query(
    `UPDATE imagery SET status = 'ready', kind = 'photo', error = NULL, position = ST_SetSRID(ST_MakePoint($2, $3), 4326),
       altitude_m = $4, altitude_ref = $5, captured_at = $6, camera = $7, yaw_deg = $8, pitch_deg = $9,
       width_px = $10, height_px = $11, crs = 'EPSG:4326', tile_count = 0, footprint = NULL, extent = NULL,
       ingested_at = now(), updated_at = now()
     WHERE id = $1`,
    [id, p.lon, p.lat, p.altitudeM, p.altitudeRef, p.capturedAt, p.camera, p.yawDeg, p.pitchDeg, p.widthPx, p.heightPx],
  );
}

/** Clears an earlier attempt's photo fields (a retry, or a failure). */
export async function clearEvidencePhotoFields(db: Queryable, id: number): Promise<void> {
  await db.query(
    `UPDATE imagery SET position = NULL, altitude_m = NULL, altitude_ref = NULL, camera = NULL, yaw_deg = NULL,
       pitch_deg = NULL WHERE id = $1`,
    [id],
  );
}

export interface EvidencePhotoPoint {
  id: number;
  fileName: string;
  capturedAt: string | null;
  lon: number;
  lat: number;
  altitudeM: number | null;
  altitudeRef: string | null;
  camera: string | null;
  yawDeg: number | null;
  pitchDeg: number | null;
  flightId: number | null;
}

/** Ready photos inside a WGS84 bbox grown by `marginM` metres, newest first. */
export async function listEvidencePhotosNear(
  db: Queryable,
  bbox: [number, number, number, number],
  marginM: number,
  limit: number,
): Promise<EvidencePhotoPoint[]> {
  const { rows } = await db.query<Omit<EvidencePhotoPoint, 'capturedAt'> & { capturedAt: Date | null }>(
    `SELECT id, file_name AS "fileName", captured_at AS "capturedAt", ST_X(position) AS lon, ST_Y(position) AS lat,
       altitude_m AS "altitudeM", altitude_ref AS "altitudeRef", camera, yaw_deg AS "yawDeg", pitch_deg AS "pitchDeg",
       flight_id AS "flightId"
     FROM imagery
     WHERE kind = 'photo' AND status = 'ready' AND position IS NOT NULL
       AND ST_DWithin(position::geography, ST_MakeEnvelope($1, $2, $3, $4, 4326)::geography, $5)
     ORDER BY coalesce(captured_at, created_at) DESC, id DESC LIMIT $6`,
    [bbox[0], bbox[1], bbox[2], bbox[3], marginM, limit],
  );
  return rows.map((r) => ({ ...r, capturedAt: r.capturedAt ? r.capturedAt.toISOString() : null }));
}

export interface NearbyDronePhoto extends EvidencePhotoPoint {
  sha256: string;
  /** from the photo's camera position to the polygon, metres */
  distanceM: number;
}

/** Ready drone evidence photos taken within `maxM` metres of a geometry, nearest first. */
export async function dronePhotosNear(db: Queryable, geometry: GeoJSON.MultiPolygon, maxM: number, limit: number): Promise<NearbyDronePhoto[]> {
  const { rows } = await db.query<NearbyDronePhoto>(
    `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)::geography AS geog)
     SELECT i.id::int, i.file_name AS "fileName", i.sha256, i.captured_at AS "capturedAt", ST_X(i.position) AS lon, ST_Y(i.position) AS lat,
       round(ST_Distance(i.position::geography, g.geog)::numeric, 1)::float8 AS "distanceM", i.altitude_m AS "altitudeM",
       i.altitude_ref AS "altitudeRef", i.camera, i.yaw_deg AS "yawDeg", i.pitch_deg AS "pitchDeg", i.flight_id::int AS "flightId"
     FROM imagery i, g
     WHERE i.kind = 'photo' AND i.status = 'ready' AND i.position IS NOT NULL AND ST_DWithin(i.position::geography, g.geog, $2)
     ORDER BY ST_Distance(i.position::geography, g.geog), i.id LIMIT $3`,
    [JSON.stringify(geometry), maxM, limit],
  );
  return rows;
}
