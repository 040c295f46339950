import { TIME_ZONE, type FlightPurpose } from '../domain.js';
import type { Queryable } from './pool.js';

export interface Flight {
  id: number;
  pilotId: number;
  pilotName: string;
  droneModel: string;
  /** ISO 8601 */
  flownAt: string;
  purpose: FlightPurpose;
  streetCodes: string[];
  notes: string;
  createdBy: number;
  createdAt: string;
  updatedAt: string;
}

export interface FlightFields {
  pilotId: number;
  droneModel: string;
  flownAt: string;
  purpose: FlightPurpose;
  streetCodes: string[];
  notes: string;
}

const FLIGHT_COLUMNS = `f.id, f.pilot_id AS "pilotId", u.display_name AS "pilotName", f.drone_model AS "droneModel",
  to_json(f.flown_at)#>>'{}' AS "flownAt", f.purpose, f.street_codes AS "streetCodes", f.notes,
  f.created_by AS "createdBy", to_json(f.created_at)#>>'{}' AS "createdAt", to_json(f.updated_at)#>>'{}' AS "updatedAt"`;

// The first instant of a month and of the next, both in Asia/Shanghai, from 'YYYY-MM' in $1.
const MONTH_START = `((($1::text || '-01')::date)::timestamp AT TIME ZONE '${TIME_ZONE}')`;
const MONTH_END = `((($1::text || '-01')::date + interval '1 month')::timestamp AT TIME ZONE '${TIME_ZONE}')`;

export async function insertFlight(db: Queryable, fields: FlightFields, createdBy: number): Promise<Flight> {
  const { rows } = await db.query<Flight>(
    `WITH f AS (
       INSERT INTO flights (pilot_id, drone_model, flown_at, purpose, street_codes, notes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *)
     SELECT ${FLIGHT_COLUMNS} FROM f JOIN users u ON u.id = f.pilot_id`,
    [fields.pilotId, fields.droneModel, fields.flownAt, fields.purpose, fields.streetCodes, fields.notes, createdBy],
  );
  return rows[0]!;
}

export async function findFlight(db: Queryable, id: number): Promise<Flight | undefined> {
  const { rows } = await db.query<Flight>(
    `SELECT ${FLIGHT_COLUMNS} FROM flights f JOIN users u ON u.id = f.pilot_id WHERE f.id = $1`,
    [id],
  );
  return rows[0];
}

export interface FlightQuery {
  /** Only this pilot's sorties. */
  pilotId?: number;
  /** 'YYYY-MM', cut in Asia/Shanghai. */
  month?: string;
  limit: number;
  offset: number;
}

/** Newest first. */
export async function listFlights(db: Queryable, q: FlightQuery): Promise<{ flights: Flight[]; total: number }> {
  const { rows } = await db.query<Flight & { total: number }>(
    `SELECT ${FLIGHT_COLUMNS}, count(*) OVER ()::int AS total FROM flights f JOIN users u ON u.id = f.pilot_id
     WHERE ($2::bigint IS NULL OR f.pilot_id = $2)
       AND ($1::text IS NULL OR (f.flown_at >= ${MONTH_START} AND f.flown_at < ${MONTH_END}))
     ORDER BY f.flown_at DESC, f.id DESC LIMIT $3 OFFSET $4`,
    [q.month ?? null, q.pilotId ?? null, q.limit, q.offset],
  );
  return { flights: rows.map(({ total: _total, ...f }) => f), total: rows[0]?.total ?? 0 };
}

export async function updateFlight(db: Queryable, id: number, fields: FlightFields): Promise<Flight> {
  const { rows } = await db.query<Flight>(
    `WITH f AS (
       UPDATE flights SET pilot_id = $2, drone_model = $3, flown_at = $4, purpose = $5, street_codes = $6, notes = $7,
         updated_at = now()
       WHERE id = $1 RETURNING *)
     SELECT ${FLIGHT_COLUMNS} FROM f JOIN users u ON u.id = f.pilot_id`,
    [id, fields.pilotId, fields.droneModel, fields.flownAt, fields.purpose, fields.streetCodes, fields.notes],
  );
  return rows[0]!;
}

export async function insertFlightEvent(
  db: Queryable,
  flightId: number,
  actorId: number,
  action: 'created' | 'updated',
  changes: Record<string, unknown>,
): Promise<void> {
  await db.query('INSERT INTO flight_events (flight_id, actor_id, action, changes) VALUES ($1, $2, $3, $4)', [
    flightId,
    actorId,
    action,
    JSON.stringify(changes),
  ]);
}

export interface FlightEvent {
  actorId: number;
  at: string;
  action: 'created' | 'updated';
  changes: Record<string, [unknown, unknown]>;
}

export async function listFlightEvents(db: Queryable, flightId: number): Promise<FlightEvent[]> {
  const { rows } = await db.query<FlightEvent>(
    `SELECT actor_id AS "actorId", to_json(at)#>>'{}' AS at, action, changes FROM flight_events
     WHERE flight_id = $1 ORDER BY at, id`,
    [flightId],
  );
  return rows;
}

/** The given street codes that name no street. */
export async function unknownStreetCodes(db: Queryable, codes: string[]): Promise<string[]> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT c AS code FROM unnest($1::text[]) AS c WHERE NOT EXISTS (SELECT 1 FROM streets s WHERE s.code = c) ORDER BY c`,
    [codes],
  );
  return rows.map((r) => r.code);
}

export interface StreetFlightStats {
  code: string;
  name: string;
  sorties: number;
  pilotShifts: number;
}

export interface FlightStats {
  month: string;
  /** The district: a sortie over two streets counts once here. */
  total: { sorties: number; pilotShifts: number };
  streets: StreetFlightStats[];
}

/**
 * Sorties and pilot-shifts (飞手人次: one pilot on one Shanghai calendar day) of one month, per street and
 * for the district; a sortie counts for every street it covered. `street` limits the list to one street.
 */
export async function flightStats(db: Queryable, month: string, street?: string): Promise<FlightStats> {
  const { rows } = await db.query<{ total: FlightStats['total']; streets: StreetFlightStats[] }>(
    `WITH f AS (
       SELECT id, street_codes, pilot_id::text || '/' || (flown_at AT TIME ZONE '${TIME_ZONE}')::date AS shift
       FROM flights WHERE flown_at >= ${MONTH_START} AND flown_at < ${MONTH_END}),
     per_street AS (
       SELECT s.code, s.name, count(DISTINCT f.id)::int AS sorties, count(DISTINCT f.shift)::int AS "pilotShifts"
       FROM streets s LEFT JOIN f ON s.code = ANY (f.street_codes)
       WHERE $2::text IS NULL OR s.code = $2
       GROUP BY s.code, s.name)
     SELECT
       (SELECT json_build_object('sorties', count(DISTINCT id), 'pilotShifts', count(DISTINCT shift))
        FROM f WHERE $2::text IS NULL OR $2 = ANY (street_codes)) AS total,
       coalesce((SELECT json_agg(p ORDER BY p.code) FROM per_street p), '[]'::json) AS streets`,
    [month, street ?? null],
  );
  return { month, total: rows[0]!.total, streets: rows[0]!.streets };
}
