import type { Queryable } from '@tuban/core/db/pool';
import type { SeedItem } from './items.js';
import { DEFAULT_SEED, generateDemoGeodata } from './registry.js';
import { buildDemoStreets, DEMO_BOUNDARY_SOURCE } from './streets.js';
import type { SeedVillaCompound } from './villas.js';

export interface SeedCounts {
  /** rows newly inserted by this run; a second run with the same seed reports zeros */
  streets: number;
  villaCompounds: number;
  registryItems: number;
}

/**
 * Writes the demo streets. A street whose boundary came from an official import keeps it: the
 * demo partition only fills in or refreshes streets that are still demo outlines.
 */
export async function seedStreets(db: Queryable): Promise<number> {
  const rows = buildDemoStreets().map((s) => ({
    code: s.code, name: s.name, kind: s.kind, boundary_source: s.boundarySource, geom: s.geometry,
  }));
  const { rows: written } = await db.query<{ inserted: boolean }>(
    `INSERT INTO streets (code, name, kind, boundary_source, geom)
     SELECT s.code, s.name, s.kind, s.boundary_source, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(s.geom::text), 4326))
     FROM jsonb_to_recordset($1::jsonb) AS s(code text, name text, kind text, boundary_source text, geom jsonb)
     ON CONFLICT (code) DO UPDATE
       SET name = EXCLUDED.name, kind = EXCLUDED.kind, geom = EXCLUDED.geom
       WHERE streets.boundary_source = $2 AND NOT ST_Equals(streets.geom, EXCLUDED.geom)
     RETURNING (xmax = 0) AS inserted`,
    [JSON.stringify(rows), DEMO_BOUNDARY_SOURCE],
  );
  return written.filter((r) => r.inserted).length;
}

async function insertVillaCompounds(db: Queryable, compounds: SeedVillaCompound[], actorId: number): Promise<number> {
  const rows = compounds.map((c) => ({ name: c.name, street_code: c.streetCode, geom: c.geometry }));
  const { rowCount } = await db.query(
    `INSERT INTO villa_compounds (name, street_code, geom, created_by)
     SELECT c.name, c.street_code, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(c.geom::text), 4326)), $2
     FROM jsonb_to_recordset($1::jsonb) AS c(name text, street_code text, geom jsonb)
     ON CONFLICT (name) DO NOTHING`,
    [JSON.stringify(rows), actorId],
  );
  return rowCount ?? 0;
}

async function insertRegistryItems(db: Queryable, items: SeedItem[], actorId: number): Promise<number> {
  const rows = items.map((i) => ({
    case_no: i.caseNo, street_code: i.streetCode, geom: i.geometry, floor_area_m2: i.floorAreaM2,
    building_type: i.buildingType, origin: i.origin, source: i.source, status: i.status,
    villa_compound: i.villaCompound, villa_category: i.villaCategory, address: i.address,
    found_on: i.foundOn, deadline: i.deadline, closed_on: i.closedOn, area_removed_m2: i.areaRemovedM2, notes: i.notes,
  }));
  const { rowCount } = await db.query(
    `INSERT INTO registry_items (case_no, street_code, geom, floor_area_m2, building_type, origin, source, status,
       villa_compound_id, villa_category, address, found_on, deadline, closed_on, area_removed_m2, notes, created_by)
     SELECT r.case_no, r.street_code, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(r.geom::text), 4326)), r.floor_area_m2,
       r.building_type, r.origin, r.source, r.status, c.id, r.villa_category, r.address, r.found_on, r.deadline,
       r.closed_on, r.area_removed_m2, r.notes, $2
     FROM jsonb_to_recordset($1::jsonb) AS r(case_no text, street_code text, geom jsonb, floor_area_m2 float8,
       building_type text, origin text, source text, status text, villa_compound text, villa_category text,
       address text, found_on date, deadline date, closed_on date, area_removed_m2 float8, notes text)
     LEFT JOIN villa_compounds c ON c.name = r.villa_compound
     ON CONFLICT (case_no) DO NOTHING`,
    [JSON.stringify(rows), actorId],
  );
  return rowCount ?? 0;
}

// Demo close-out targets (m² of floor area) sized to the generated registry, split evenly over the streets, so the dashboard has a pace to
// measure against; the office sets real ones per street in the app.
const DEMO_DISTRICT_TARGETS: Record<number, number> = { 2025: 12_000, 2026: 24_000 };

export async function seedAnnualTargets(db: Queryable, actorId: number): Promise<void> {
  await db.query(
    `WITH t AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(year int, m2 float8))
     INSERT INTO annual_targets (year, scope, target_m2, updated_by)
     SELECT year, 'district', m2, $2::bigint FROM t
     UNION ALL SELECT t.year, s.code, round(t.m2 / (SELECT count(*) FROM streets)), $2::bigint FROM t CROSS JOIN streets s
     ON CONFLICT (year, scope) DO NOTHING`,
    [JSON.stringify(Object.entries(DEMO_DISTRICT_TARGETS).map(([year, m2]) => ({ year: Number(year), m2 }))), actorId],
  );
}

/**
 * Seeds demo streets, villa compounds and the registry. Safe to run again: nothing is added twice,
 * and official street boundaries already imported are left as they are.
 */
export async function seedGeodata(db: Queryable, opts: { actorId: number; seed?: number }): Promise<SeedCounts> {
  const data = generateDemoGeodata(opts.seed ?? DEFAULT_SEED);
  const streets = await seedStreets(db);
  const villaCompounds = await insertVillaCompounds(db, data.compounds, opts.actorId);
  const registryItems = await insertRegistryItems(db, data.items, opts.actorId);
  await seedAnnualTargets(db, opts.actorId);
  return { streets, villaCompounds, registryItems };
}
