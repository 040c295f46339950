// What an evidence package holds, read from the database: the candidate or registry case, its imagery, the
// drone photos taken nearest to it, the field photos and every decision about it.
import type { Queryable } from './pool.js';

export type EvidenceSubjectKind = 'candidate' | 'registry';

export interface EvidenceSubject {
  kind: EvidenceSubjectKind;
  id: number;
  caseNo: string | null;
  status: string;
  dismissReason: string | null;
  streetCode: string | null;
  streetName: string | null;
  villaName: string | null;
  address: string;
  /** footprint from the polygon on the ellipsoid, m² */
  areaM2: number;
  /** the recorded floor area of a registry case */
  floorAreaM2: number | null;
  buildingType: string | null;
  /** a candidate's model scores and version; null for a registry case or a drawn candidate */
  scoreMax: number | null;
  scoreMean: number | null;
  modelVersion: string | null;
  runId: number | null;
  /** how it was found: a candidate's 'detection' | 'manual', a registry case's finding source */
  source: string;
  rebuilt: boolean;
  /** a candidate's detection time, a registry case's creation time */
  createdAt: string;
  foundOn: string | null;
  deadline: string | null;
  fieldCheckDue: string | null;
  closedOn: string | null;
  areaRemovedM2: number | null;
  geometry: GeoJSON.MultiPolygon;
  /** the candidates behind it: the candidate itself, or those linked to the registry case */
  candidateIds: number[];
  registryItemId: number | null;
  beforeImageryId: number | null;
  afterImageryId: number | null;
}

// Nine decimals of a degree are ~0.1 mm: the stored coordinates go out as they are.
const COMMON = `ST_AsGeoJSON(t.geom, 9)::json AS geometry, round(ST_Area(t.geom::geography)::numeric, 2)::float8 AS "areaM2",
  s.name AS "streetName", v.name AS "villaName"`;

async function candidateSubject(db: Queryable, id: number): Promise<EvidenceSubject | undefined> {
  const { rows } = await db.query<EvidenceSubject>(
    `SELECT 'candidate' AS kind, t.id, r.case_no AS "caseNo", t.status, t.dismiss_reason AS "dismissReason",
       t.street_code AS "streetCode", coalesce(r.address, '') AS address, NULL::float8 AS "floorAreaM2", r.building_type AS "buildingType",
       t.score_max AS "scoreMax", t.score_mean AS "scoreMean", t.model_version AS "modelVersion", t.run_id AS "runId",
       t.source, t.rebuilt, t.created_at AS "createdAt", to_char(r.found_on, 'YYYY-MM-DD') AS "foundOn",
       to_char(r.deadline, 'YYYY-MM-DD') AS deadline, to_char(t.field_check_due, 'YYYY-MM-DD') AS "fieldCheckDue",
       to_char(r.closed_on, 'YYYY-MM-DD') AS "closedOn", r.area_removed_m2 AS "areaRemovedM2",
       ARRAY[t.id]::int[] AS "candidateIds", t.registry_item_id::int AS "registryItemId",
       t.before_imagery_id::int AS "beforeImageryId", t.after_imagery_id::int AS "afterImageryId", ${COMMON}
     FROM candidates t LEFT JOIN streets s ON s.code = t.street_code LEFT JOIN villa_compounds v ON v.id = t.villa_compound_id
       LEFT JOIN registry_items r ON r.id = t.registry_item_id
     WHERE t.id = $1`,
    [id],
  );
  return rows[0];
}

// A case's imagery is that of the candidate it came from (the one whose decision created it, else the latest
// linked); a case with no candidate (an imported one) gets the newest imagery covering it and the newest before that.
async function registrySubject(db: Queryable, id: number): Promise<EvidenceSubject | undefined> {
  const { rows } = await db.query<EvidenceSubject>(
    `WITH linked AS (
       SELECT c.id, c.before_imagery_id, c.after_imagery_id,
         EXISTS (SELECT 1 FROM candidate_events e WHERE e.candidate_id = c.id AND e.registry_item_id = $1 AND e.created_item) AS created
       FROM candidates c WHERE c.registry_item_id = $1),
     origin AS (SELECT * FROM linked ORDER BY created DESC, id DESC LIMIT 1),
     covering_after AS (
       SELECT i.id, i.captured_at FROM imagery i, registry_items r
       WHERE r.id = $1 AND i.status = 'ready' AND i.kind <> 'photo' AND ST_Covers(i.footprint, r.geom)
       ORDER BY i.captured_at DESC NULLS LAST, i.id DESC LIMIT 1),
     covering_before AS (
       SELECT i.id FROM imagery i, registry_items r, covering_after a
       WHERE r.id = $1 AND i.status = 'ready' AND i.kind <> 'photo' AND i.id <> a.id AND i.captured_at < a.captured_at
         AND ST_Covers(i.footprint, r.geom)
       ORDER BY i.captured_at DESC, i.id DESC LIMIT 1)
     SELECT 'registry' AS kind, t.id, t.case_no AS "caseNo", t.status, NULL AS "dismissReason", t.street_code AS "streetCode",
       t.address, t.floor_area_m2 AS "floorAreaM2", t.building_type AS "buildingType", NULL::float8 AS "scoreMax",
       NULL::float8 AS "scoreMean", NULL AS "modelVersion", NULL::int AS "runId", t.source, false AS rebuilt,
       t.created_at AS "createdAt", to_char(t.found_on, 'YYYY-MM-DD') AS "foundOn", to_char(t.deadline, 'YYYY-MM-DD') AS deadline,
       NULL AS "fieldCheckDue", to_char(t.closed_on, 'YYYY-MM-DD') AS "closedOn", t.area_removed_m2 AS "areaRemovedM2",
       coalesce((SELECT array_agg(id::int ORDER BY id) FROM linked), '{}') AS "candidateIds", t.id::int AS "registryItemId",
       coalesce((SELECT before_imagery_id FROM origin), (SELECT id FROM covering_before))::int AS "beforeImageryId",
       coalesce((SELECT after_imagery_id FROM origin), (SELECT id FROM covering_after))::int AS "afterImageryId", ${COMMON}
     FROM registry_items t LEFT JOIN streets s ON s.code = t.street_code LEFT JOIN villa_compounds v ON v.id = t.villa_compound_id
     WHERE t.id = $1`,
    [id],
  );
  return rows[0];
}

export async function evidenceSubject(db: Queryable, kind: EvidenceSubjectKind, id: number): Promise<EvidenceSubject | undefined> {
  return kind === 'candidate' ? candidateSubject(db, id) : registrySubject(db, id);
}

export interface EvidenceImagery {
  id: number;
  kind: string;
  fileName: string;
  sha256: string;
  capturedAt: string | null;
  crs: string | null;
  gsdM: number | null;
  maxZoom: number | null;
  flightId: number | null;
  ready: boolean;
}

export async function evidenceImagery(db: Queryable, id: number): Promise<EvidenceImagery | undefined> {
  const { rows } = await db.query<EvidenceImagery>(
    `SELECT id::int, kind, file_name AS "fileName", sha256, captured_at AS "capturedAt", crs, gsd_m AS "gsdM",
       max_zoom AS "maxZoom", flight_id::int AS "flightId", status = 'ready' AS ready
     FROM imagery WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export interface EvidenceFieldPhoto {
  id: number;
  candidateId: number | null;
  registryItemId: number | null;
  fileName: string;
  storedPath: string;
  mimeType: string;
  sha256: string;
  takenAt: string | null;
  lon: number | null;
  lat: number | null;
  uploadedAt: string;
  uploadedBy: string;
}

/** Photos from field checks and dispositions of these candidates or this registry item, oldest first. */
export async function evidenceFieldPhotos(db: Queryable, candidateIds: number[], registryItemId: number | null): Promise<EvidenceFieldPhoto[]> {
  const { rows } = await db.query<EvidenceFieldPhoto>(
    `SELECT p.id::int, p.candidate_id::int AS "candidateId", p.registry_item_id::int AS "registryItemId", p.file_name AS "fileName",
       p.stored_path AS "storedPath", p.mime_type AS "mimeType", p.sha256, p.taken_at AS "takenAt",
       ST_X(p.position) AS lon, ST_Y(p.position) AS lat, p.uploaded_at AS "uploadedAt", u.display_name AS "uploadedBy"
     FROM photos p JOIN users u ON u.id = p.uploaded_by
     WHERE p.candidate_id = ANY($1::bigint[]) OR p.registry_item_id = $2
     ORDER BY p.uploaded_at, p.id`,
    [candidateIds, registryItemId],
  );
  return rows;
}

export interface EvidenceEvent {
  at: string;
  /** 'candidate' events are triage decisions (and outline corrections); 'registry' ones are the case's own */
  source: 'candidate' | 'registry';
  subjectId: number;
  actorName: string;
  actorRole: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  caseNo: string | null;
  note: string;
  undone: boolean;
  isUndo: boolean;
}

/** Every decision about these candidates and this registry item, oldest first. */
export async function evidenceHistory(db: Queryable, candidateIds: number[], registryItemId: number | null): Promise<EvidenceEvent[]> {
  const { rows } = await db.query<EvidenceEvent & { seq: number }>(
    `SELECT e.at, 'candidate' AS source, e.candidate_id::int AS "subjectId", u.display_name AS "actorName", u.role AS "actorRole",
       e.kind AS action, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.reason, r.case_no AS "caseNo", e.note,
       e.undone, e.is_undo AS "isUndo", e.id AS seq
     FROM candidate_events e JOIN users u ON u.id = e.actor_id LEFT JOIN registry_items r ON r.id = e.registry_item_id
     WHERE e.candidate_id = ANY($1::bigint[])
     UNION ALL
     SELECT e.at, 'registry', e.item_id::int, u.display_name, u.role, e.action, e.from_status, e.to_status, NULL, r.case_no, e.note,
       false, false, e.id
     FROM registry_events e JOIN users u ON u.id = e.actor_id JOIN registry_items r ON r.id = e.item_id
     WHERE e.item_id = $2
     ORDER BY at, source, seq`,
    [candidateIds, registryItemId],
  );
  return rows.map(({ seq: _s, ...e }) => e);
}
