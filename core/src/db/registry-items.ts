// Writes to the registry made by triage: items created from confirmed candidates and their dispositions.
import type { BuildingType, FindingSource, RegistryStatus } from '../domain.js';
import type { Queryable } from './pool.js';

/** The next serial of a year's case numbers; the counter row stays locked until the transaction ends. */
export async function nextCaseSerial(db: Queryable, year: number): Promise<number> {
  const { rows } = await db.query<{ last: number }>(
    `INSERT INTO case_number_counters (year, last) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last = case_number_counters.last + 1 RETURNING last`,
    [year],
  );
  return rows[0]!.last;
}

export async function caseNumberTaken(db: Queryable, caseNo: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM registry_items WHERE case_no = $1', [caseNo]);
  return rows.length > 0;
}

export interface NewItemFromCandidate {
  candidateId: number;
  caseNo: string;
  buildingType: BuildingType;
  source: FindingSource;
  foundOn: string;
  deadline: string;
  notes: string;
  actorId: number;
}

/** A registry item with the candidate's polygon, street and villa compound; floor area starts as the footprint. */
export async function insertItemFromCandidate(db: Queryable, item: NewItemFromCandidate): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO registry_items (case_no, street_code, geom, floor_area_m2, building_type, origin, source, status,
       villa_compound_id, found_on, deadline, notes, created_by)
     SELECT $2, c.street_code, c.geom, c.area_m2, $3, 'new', $4, 'open', c.villa_compound_id, $5::date, $6::date, $7, $8
     FROM candidates c WHERE c.id = $1
     RETURNING id`,
    [item.candidateId, item.caseNo, item.buildingType, item.source, item.foundOn, item.deadline, item.notes, item.actorId],
  );
  return rows[0]!.id;
}

export async function registryItemExists(db: Queryable, id: number): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM registry_items WHERE id = $1', [id]);
  return rows.length > 0;
}

export interface RegistryItemForUpdate {
  id: number;
  caseNo: string;
  status: RegistryStatus;
  streetCode: string;
  floorAreaM2: number;
  /** registry events other than the creation */
  laterEvents: number;
}

export async function lockRegistryItem(db: Queryable, id: number): Promise<RegistryItemForUpdate | undefined> {
  const { rows } = await db.query<RegistryItemForUpdate>(
    `SELECT r.id, r.case_no AS "caseNo", r.status, r.street_code AS "streetCode", r.floor_area_m2 AS "floorAreaM2",
       (SELECT count(*)::int FROM registry_events e WHERE e.item_id = r.id AND e.action <> 'created') AS "laterEvents"
     FROM registry_items r WHERE r.id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

/** Removes an item a decision created, when that decision is undone before anything else happened to it. */
export async function deleteRegistryItem(db: Queryable, id: number): Promise<void> {
  await db.query('DELETE FROM registry_items WHERE id = $1', [id]);
}

export interface Disposition {
  status: RegistryStatus;
  /** set for the statuses that close an item out */
  closedOn: string | null;
  areaRemovedM2: number | null;
}

export async function updateRegistryDisposition(db: Queryable, id: number, d: Disposition): Promise<void> {
  await db.query(
    `UPDATE registry_items SET status = $2, closed_on = $3::date, area_removed_m2 = coalesce($4, area_removed_m2),
       updated_at = now() WHERE id = $1`,
    [id, d.status, d.closedOn, d.areaRemovedM2],
  );
}

export interface NewRegistryEvent {
  itemId: number;
  actorId: number;
  action: 'created' | 'disposition';
  fromStatus: RegistryStatus | null;
  toStatus: RegistryStatus;
  note: string;
  data: Record<string, unknown>;
}

export async function insertRegistryEvent(db: Queryable, e: NewRegistryEvent): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO registry_events (item_id, actor_id, action, from_status, to_status, note, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [e.itemId, e.actorId, e.action, e.fromStatus, e.toStatus, e.note, JSON.stringify(e.data)],
  );
  return rows[0]!.id;
}

export interface RegistryEventRow {
  id: number;
  at: string;
  actorName: string;
  action: string;
  fromStatus: RegistryStatus | null;
  toStatus: RegistryStatus | null;
  note: string;
  data: Record<string, unknown>;
}

export async function registryHistory(db: Queryable, itemId: number): Promise<RegistryEventRow[]> {
  const { rows } = await db.query<RegistryEventRow>(
    `SELECT e.id, e.at, u.display_name AS "actorName", e.action, e.from_status AS "fromStatus",
       e.to_status AS "toStatus", e.note, e.data
     FROM registry_events e JOIN users u ON u.id = e.actor_id WHERE e.item_id = $1 ORDER BY e.at, e.id`,
    [itemId],
  );
  return rows;
}

export interface SquadRegistryItem {
  id: number;
  caseNo: string;
  status: RegistryStatus;
  streetCode: string;
  origin: string;
  source: string;
  buildingType: string;
  floorAreaM2: number;
  footprintM2: number;
  foundOn: string;
  deadline: string | null;
  overdue: boolean;
  address: string;
  bbox: [number, number, number, number];
}

/**
 * A street's registry work list: items still open or annotated that carry a deadline, the most
 * urgent first. `today` is the Asia/Shanghai date that decides what is overdue.
 */
export async function registryWorklist(db: Queryable, street: string | null, today: string, limit: number): Promise<SquadRegistryItem[]> {
  const { rows } = await db.query<SquadRegistryItem>(
    `SELECT r.id, r.case_no AS "caseNo", r.status, r.street_code AS "streetCode", r.origin, r.source,
       r.building_type AS "buildingType", round(r.floor_area_m2::numeric, 1) AS "floorAreaM2",
       round(r.footprint_m2::numeric, 1) AS "footprintM2", to_char(r.found_on, 'YYYY-MM-DD') AS "foundOn",
       to_char(r.deadline, 'YYYY-MM-DD') AS deadline, (r.status = 'open' AND r.deadline < $2::date) AS overdue,
       r.address,
       json_build_array(ST_XMin(r.geom), ST_YMin(r.geom), ST_XMax(r.geom), ST_YMax(r.geom)) AS bbox
     FROM registry_items r
     WHERE ($1::text IS NULL OR r.street_code = $1) AND r.status IN ('open', 'annotated') AND r.deadline IS NOT NULL
     ORDER BY (r.status = 'open' AND r.deadline < $2::date) DESC, r.deadline, r.id LIMIT $3`,
    [street, today, limit],
  );
  return rows;
}

export async function registryItemStreet(db: Queryable, id: number): Promise<string | undefined> {
  const { rows } = await db.query<{ streetCode: string }>('SELECT street_code AS "streetCode" FROM registry_items WHERE id = $1', [id]);
  return rows[0]?.streetCode;
}
