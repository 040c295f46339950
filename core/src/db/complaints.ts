// SQL of 12345 complaints: import, placement, dispatch, closing, the office's list and a complaint's links.
import type { ComplaintCrs, ComplaintStatus } from '../domain.js';
import type { Queryable } from './pool.js';

export async function existingComplaintNumbers(db: Queryable, numbers: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ number: string }>('SELECT number FROM complaints WHERE number = ANY($1::text[])', [numbers]);
  return new Set(rows.map((r) => r.number));
}

/** The street holding a point (WGS84), or null outside the district. */
export async function streetAt(db: Queryable, lon: number, lat: number): Promise<string | null> {
  const { rows } = await db.query<{ code: string }>(
    'SELECT code FROM streets WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) ORDER BY code LIMIT 1',
    [lon, lat],
  );
  return rows[0]?.code ?? null;
}

export async function streetNames(db: Queryable): Promise<{ code: string; name: string }[]> {
  const { rows } = await db.query<{ code: string; name: string }>('SELECT code, name FROM streets ORDER BY code');
  return rows;
}

export interface RegistryAddress {
  id: number;
  streetCode: string;
  address: string;
  /** a point on the item's polygon */
  lon: number;
  lat: number;
}

/** Every registry item that has an address, with a point on it: read once per import for matching. */
export async function registryAddresses(db: Queryable): Promise<RegistryAddress[]> {
  const { rows } = await db.query<RegistryAddress>(
    `SELECT id, street_code AS "streetCode", address, ST_X(p) AS lon, ST_Y(p) AS lat
     FROM registry_items, ST_PointOnSurface(geom) p WHERE address <> '' ORDER BY id`,
  );
  return rows;
}

export interface NewComplaint {
  number: string;
  receivedAt: Date;
  address: string;
  content: string;
  deadline: string | null;
  reported: { lon: number; lat: number; crs: ComplaintCrs } | null;
  position: { lon: number; lat: number; by: 'coordinates' | 'registry_address' } | null;
  streetCode: string | null;
  sourceFile: string;
}

/** Inserts one complaint with its 'imported' event; null when the number is there already. */
export async function insertComplaint(db: Queryable, c: NewComplaint, actorId: number): Promise<number | null> {
  const status: ComplaintStatus = c.position ? 'placed' : 'received';
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO complaints (number, received_at, address, content, deadline, reported_lon, reported_lat, reported_crs,
       position, placed_by, street_code, status, source_file, created_by)
     VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8,
       CASE WHEN $9::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($9, $10), 4326) END, $11, $12, $13, $14, $15)
     ON CONFLICT (number) DO NOTHING RETURNING id`,
    [c.number, c.receivedAt, c.address, c.content, c.deadline, c.reported?.lon ?? null, c.reported?.lat ?? null,
      c.reported?.crs ?? null, c.position?.lon ?? null, c.position?.lat ?? null, c.position?.by ?? null, c.streetCode, status,
      c.sourceFile, actorId],
  );
  const id = rows[0]?.id ?? null;
  if (id !== null) {
    await insertComplaintEvent(db, {
      complaintId: id, actorId, action: 'imported', fromStatus: null, toStatus: status, note: '',
      data: { file: c.sourceFile, placedBy: c.position?.by ?? null },
    });
  }
  return id;
}

export interface NewComplaintEvent {
  complaintId: number;
  actorId: number;
  action: 'imported' | 'placed' | 'dispatched' | 'closed';
  fromStatus: ComplaintStatus | null;
  toStatus: ComplaintStatus;
  note: string;
  data: Record<string, unknown>;
}

export async function insertComplaintEvent(db: Queryable, e: NewComplaintEvent): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO complaint_events (complaint_id, actor_id, action, from_status, to_status, note, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [e.complaintId, e.actorId, e.action, e.fromStatus, e.toStatus, e.note, JSON.stringify(e.data)],
  );
  return rows[0]!.id;
}

export interface ComplaintForUpdate {
  id: number;
  number: string;
  status: ComplaintStatus;
  streetCode: string | null;
  deadline: string | null;
  lon: number | null;
  lat: number | null;
}

export async function lockComplaint(db: Queryable, id: number): Promise<ComplaintForUpdate | undefined> {
  const { rows } = await db.query<ComplaintForUpdate>(
    `SELECT id, number, status, street_code AS "streetCode", to_char(deadline, 'YYYY-MM-DD') AS deadline,
       ST_X(position) AS lon, ST_Y(position) AS lat
     FROM complaints WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

export async function setComplaintPosition(db: Queryable, id: number, p: { lon: number; lat: number; streetCode: string | null }): Promise<void> {
  await db.query(
    `UPDATE complaints SET position = ST_SetSRID(ST_MakePoint($2, $3), 4326), placed_by = 'map', street_code = $4,
       status = CASE WHEN status = 'received' THEN 'placed' ELSE status END, updated_at = now() WHERE id = $1`,
    [id, p.lon, p.lat, p.streetCode],
  );
}

export async function setComplaintDispatched(db: Queryable, id: number, deadline: string): Promise<void> {
  await db.query(
    `UPDATE complaints SET status = 'dispatched', dispatched_at = now(), deadline = $2::date, updated_at = now() WHERE id = $1`,
    [id, deadline],
  );
}

export interface ComplaintClosing {
  status: 'true' | 'untrue';
  violation: 'new' | 'existing' | null;
  registryItemId: number | null;
  untrueReason: string | null;
  reply: string;
}

export async function setComplaintClosed(db: Queryable, id: number, c: ComplaintClosing): Promise<void> {
  await db.query(
    `UPDATE complaints SET status = $2, violation = $3, registry_item_id = $4, untrue_reason = $5, reply = $6,
       closed_at = now(), updated_at = now() WHERE id = $1`,
    [id, c.status, c.violation, c.registryItemId, c.untrueReason, c.reply],
  );
}

/** A registry item for a violation a complaint found: a square of `areaM2` around its point, with its address. */
export async function insertItemFromComplaint(
  db: Queryable,
  i: { complaintId: number; caseNo: string; streetCode: string; areaM2: number; buildingType: string; foundOn: string; deadline: string; notes: string; actorId: number },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO registry_items (case_no, street_code, geom, floor_area_m2, building_type, origin, source, status,
       found_on, deadline, address, notes, created_by)
     SELECT $2, $3, ST_Multi(ST_Transform(ST_Expand(ST_Transform(c.position, 32651), sqrt($4::float8) / 2), 4326)), $4,
       $5, 'new', 'complaint_12345', 'open', $6::date, $7::date, c.address, $8, $9
     FROM complaints c WHERE c.id = $1 RETURNING id`,
    [i.complaintId, i.caseNo, i.streetCode, i.areaM2, i.buildingType, i.foundOn, i.deadline, i.notes, i.actorId],
  );
  return rows[0]!.id;
}

export interface ComplaintRow {
  id: number;
  number: string;
  receivedAt: string;
  address: string;
  content: string;
  deadline: string | null;
  status: ComplaintStatus;
  streetCode: string | null;
  streetName: string | null;
  lon: number | null;
  lat: number | null;
  placedBy: string | null;
  reportedCrs: ComplaintCrs | null;
  dispatchedAt: string | null;
  violation: 'new' | 'existing' | null;
  registryItemId: number | null;
  caseNo: string | null;
  untrueReason: string | null;
  reply: string | null;
  closedAt: string | null;
  overdue: boolean;
}

const ROW_SQL = `SELECT c.id, c.number, c.received_at AS "receivedAt", c.address, c.content,
    to_char(c.deadline, 'YYYY-MM-DD') AS deadline, c.status, c.street_code AS "streetCode", s.name AS "streetName",
    ST_X(c.position) AS lon, ST_Y(c.position) AS lat, c.placed_by AS "placedBy", c.reported_crs AS "reportedCrs",
    c.dispatched_at AS "dispatchedAt", c.violation, c.registry_item_id AS "registryItemId", r.case_no AS "caseNo",
    c.untrue_reason AS "untrueReason", c.reply, c.closed_at AS "closedAt",
    (c.deadline IS NOT NULL AND c.deadline < $1::date AND c.status IN ('received', 'placed', 'dispatched')) AS overdue
  FROM complaints c LEFT JOIN streets s ON s.code = c.street_code LEFT JOIN registry_items r ON r.id = c.registry_item_id`;

export interface ComplaintFilter {
  statuses?: ComplaintStatus[];
  street?: string;
  limit: number;
  offset: number;
}

/** Open complaints first (the nearest deadline first), then closed ones, newest first. */
export async function listComplaints(db: Queryable, today: string, f: ComplaintFilter): Promise<{ total: number; rows: ComplaintRow[] }> {
  const where = (a: number, b: number) => `($${a}::text[] IS NULL OR c.status = ANY($${a}::text[])) AND ($${b}::text IS NULL OR c.street_code = $${b})`;
  const filter = [f.statuses ?? null, f.street ?? null];
  const [{ rows }, count] = await Promise.all([
    db.query<ComplaintRow>(
      `${ROW_SQL} WHERE ${where(2, 3)}
       ORDER BY (c.status IN ('true', 'untrue')), CASE WHEN c.status IN ('true', 'untrue') THEN NULL ELSE c.deadline END NULLS LAST,
         c.received_at DESC, c.id DESC LIMIT $4 OFFSET $5`,
      [today, ...filter, f.limit, f.offset],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaints c WHERE ${where(1, 2)}`, filter),
  ]);
  return { total: count.rows[0]!.n, rows };
}

export async function getComplaint(db: Queryable, today: string, id: number): Promise<ComplaintRow | undefined> {
  const { rows } = await db.query<ComplaintRow>(`${ROW_SQL} WHERE c.id = $2`, [today, id]);
  return rows[0];
}

export interface ComplaintEventRow {
  id: number;
  at: string;
  actorName: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  note: string;
  data: Record<string, unknown>;
}

export async function complaintHistory(db: Queryable, id: number): Promise<ComplaintEventRow[]> {
  const { rows } = await db.query<ComplaintEventRow>(
    `SELECT e.id, e.at, u.display_name AS "actorName", e.action, e.from_status AS "fromStatus", e.to_status AS "toStatus",
       e.note, e.data
     FROM complaint_events e JOIN users u ON u.id = e.actor_id WHERE e.complaint_id = $1 ORDER BY e.at, e.id`,
    [id],
  );
  return rows;
}

export interface NearbyRegistryItem {
  id: number;
  caseNo: string;
  status: string;
  address: string;
  floorAreaM2: number;
  distanceM: number;
}

export interface NearbyCandidate {
  id: number;
  status: string;
  areaM2: number;
  distanceM: number;
  createdAt: string;
}

export interface SpotImagery {
  id: number;
  kind: string;
  capturedAt: string | null;
  maxZoom: number | null;
  tileFormat: string | null;
}

const POINT = 'ST_SetSRID(ST_MakePoint($1, $2), 4326)';

export async function registryItemsNear(db: Queryable, lon: number, lat: number, radiusM: number): Promise<NearbyRegistryItem[]> {
  const { rows } = await db.query<NearbyRegistryItem>(
    `SELECT id, case_no AS "caseNo", status, address, floor_area_m2 AS "floorAreaM2",
       round(ST_Distance(geom::geography, ${POINT}::geography)::numeric, 1)::float8 AS "distanceM"
     FROM registry_items WHERE ST_DWithin(geom::geography, ${POINT}::geography, $3)
     ORDER BY "distanceM", id LIMIT 20`,
    [lon, lat, radiusM],
  );
  return rows;
}

export async function candidatesNear(db: Queryable, lon: number, lat: number, radiusM: number): Promise<NearbyCandidate[]> {
  const { rows } = await db.query<NearbyCandidate>(
    `SELECT id, status, area_m2 AS "areaM2", created_at AS "createdAt",
       round(ST_Distance(geom::geography, ${POINT}::geography)::numeric, 1)::float8 AS "distanceM"
     FROM candidates WHERE ST_DWithin(geom::geography, ${POINT}::geography, $3)
     ORDER BY "distanceM", id LIMIT 20`,
    [lon, lat, radiusM],
  );
  return rows;
}

/** Ready imagery covering the point, newest first: the first is "after", the second "before". */
export async function imageryOfSpot(db: Queryable, lon: number, lat: number): Promise<SpotImagery[]> {
  const { rows } = await db.query<SpotImagery>(
    `SELECT id, kind, captured_at AS "capturedAt", max_zoom AS "maxZoom", tile_format AS "tileFormat"
     FROM imagery WHERE status = 'ready' AND kind <> 'photo' AND ST_Intersects(footprint, ${POINT})
     ORDER BY captured_at DESC NULLS LAST, id DESC LIMIT 2`,
    [lon, lat],
  );
  return rows;
}

/** A month's complaints as the index counts them: received in it, closed in it, or due in it. */
export interface IndexComplaint {
  id: number;
  streetCode: string | null;
  status: ComplaintStatus;
  violation: 'new' | 'existing' | null;
  /** Shanghai days */
  receivedOn: string;
  closedOn: string | null;
  deadline: string | null;
}

export async function monthIndexComplaints(db: Queryable, firstDay: string, nextFirstDay: string, start: Date, end: Date): Promise<IndexComplaint[]> {
  const { rows } = await db.query<IndexComplaint>(
    `SELECT id, street_code AS "streetCode", status, violation,
       to_char(received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "receivedOn",
       to_char(closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "closedOn",
       to_char(deadline, 'YYYY-MM-DD') AS deadline
     FROM complaints
     WHERE (received_at >= $3 AND received_at < $4) OR (closed_at >= $3 AND closed_at < $4)
       OR (deadline >= $1::date AND deadline < $2::date)
     ORDER BY id`,
    [firstDay, nextFirstDay, start, end],
  );
  return rows;
}
