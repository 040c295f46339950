// Rows the tests need, made in one place with sensible defaults; each test names only what matters to it.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { Role } from '../domain.js';

export type Box = [west: number, south: number, east: number, north: number];

export async function insertTestUser(
  db: Queryable,
  u: { username: string; role?: Role; streetCode?: string | null; displayName?: string; passwordHash?: string },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO users (username, display_name, role, street_code, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [u.username, u.displayName ?? u.username, u.role ?? 'pilot', u.streetCode ?? null, u.passwordHash ?? 'x'],
  );
  return rows[0]!.id;
}

/** A street (sub-district) over a lon/lat box, marked as the demo partition. */
export async function insertTestStreet(db: Queryable, s: { code: string; name: string; box: Box }): Promise<void> {
  await db.query(
    `INSERT INTO streets (code, name, kind, boundary_source, geom)
     VALUES ($1, $2, 'subdistrict', 'demo-partition', ST_Multi(ST_MakeEnvelope($3, $4, $5, $6, 4326)))`,
    [s.code, s.name, ...s.box],
  );
}

export async function insertTestFlight(
  db: Queryable,
  f: { pilotId: number; droneModel?: string; flownAt?: string; streetCodes?: string[] },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO flights (pilot_id, drone_model, flown_at, purpose, street_codes, created_by)
     VALUES ($1, $2, coalesce($3::timestamptz, now()), 'routine', $4, $1) RETURNING id`,
    [f.pilotId, f.droneModel ?? 'M3E', f.flownAt ?? null, f.streetCodes ?? []],
  );
  return rows[0]!.id;
}

export interface TestImagery {
  uploadedBy: number;
  kind?: 'drone' | 'satellite' | 'tileset' | 'photo';
  status?: 'uploaded' | 'ingesting' | 'ready' | 'failed';
  fileName?: string;
  /** default: a random one, so that no two rows clash */
  sha256?: string;
  sizeBytes?: number;
  capturedAt?: string | null;
  flightId?: number | null;
  /** a lon/lat box, or EWKT of a (multi)polygon */
  footprint?: Box | string | null;
  tileFormat?: string | null;
  minZoom?: number | null;
  maxZoom?: number | null;
}

/** An imagery row as an upload (or, with status and footprint, a finished ingest) leaves it. */
export async function insertTestImagery(db: Queryable, i: TestImagery): Promise<number> {
  const footprint = Array.isArray(i.footprint)
    ? `SRID=4326;MULTIPOLYGON(((${i.footprint[0]} ${i.footprint[1]},${i.footprint[2]} ${i.footprint[1]},${i.footprint[2]} ${i.footprint[3]},${i.footprint[0]} ${i.footprint[3]},${i.footprint[0]} ${i.footprint[1]})))`
    : (i.footprint ?? null);
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO imagery (kind, status, file_name, sha256, size_bytes, captured_at, flight_id, uploaded_by, footprint, tile_format, min_zoom, max_zoom)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, ST_Multi(ST_GeomFromEWKT($9)), $10, $11, $12) RETURNING id`,
    [
      i.kind ?? 'drone',
      i.status ?? 'uploaded',
      i.fileName ?? 'ortho.tif',
      i.sha256 ?? randomBytes(32).toString('hex'),
      i.sizeBytes ?? 1000,
      i.capturedAt ?? null,
      i.flightId ?? null,
      i.uploadedBy,
      footprint,
      i.tileFormat ?? null,
      i.minZoom ?? null,
      i.maxZoom ?? null,
    ],
  );
  return rows[0]!.id;
}
