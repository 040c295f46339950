// Rows the tests need, made in one place: each function fills what the schema requires with plain defaults,
// takes what the test cares about as overrides, and returns the new row's id.
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/secrets.js';
import { insertFlight as insertFlightRow } from '../db/flights.js';
import type { Queryable } from '../db/pool.js';
import { upsertUser } from '../db/users.js';
import type {
  BuildingType,
  CandidateStatus,
  DismissReason,
  FindingSource,
  FlightPurpose,
  RegistryOrigin,
  RegistryStatus,
  Role,
} from '../domain.js';
import type { ImageryStatus } from '../db/imagery.js';

/** [west, south, east, north] in degrees. */
export type Box = readonly [number, number, number, number];
/** A rectangle, or any GeoJSON polygon; stored as the MultiPolygon every geometry column holds. */
export type Area = Box | GeoJSON.Polygon | GeoJSON.MultiPolygon;

export const boxPolygon = ([w, s, e, n]: Box): GeoJSON.Polygon => ({
  type: 'Polygon',
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
});

class Geometry {
  readonly json: string;
  constructor(area: Area) {
    this.json = JSON.stringify('type' in area ? area : boxPolygon(area as Box));
  }
}

type Row = Record<string, unknown>;

// Columns left undefined are left out, so the schema's own defaults apply.
async function insertRow(db: Queryable, table: string, row: Row, key = 'id'): Promise<number> {
  const entries = Object.entries(row).filter(([, v]) => v !== undefined);
  const params = entries.map(([, v]) => (v instanceof Geometry ? v.json : v));
  const values = entries.map(([, v], i) =>
    v instanceof Geometry ? `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($${i + 1}), 4326))` : `$${i + 1}`,
  );
  const { rows } = await db.query<{ key: number }>(
    `INSERT INTO ${table} (${entries.map(([k]) => k).join(', ')}) VALUES (${values.join(', ')}) RETURNING ${key} AS key`,
    params,
  );
  return rows[0]!.key;
}

const geometry = (area: Area | undefined) => (area ? new Geometry(area) : undefined);
let serial = 0;
const nextSerial = () => ++serial;

export interface TestUser {
  username: string;
  /** default: pilot */
  role?: Role;
  displayName?: string;
  streetCode?: string | null;
  /** Plain text; without one the user cannot log in. */
  password?: string;
}

/** A user; an existing one of that name is updated. */
export async function insertTestUser(db: Queryable, u: TestUser): Promise<number> {
  const user = await upsertUser(db, {
    username: u.username,
    displayName: u.displayName ?? u.username,
    role: u.role ?? 'pilot',
    streetCode: u.streetCode ?? null,
    passwordHash: u.password === undefined ? 'x' : await hashPassword(u.password),
  });
  return user.id;
}

export interface TestStreet {
  code: string;
  name?: string;
  kind?: 'subdistrict' | 'town';
  boundarySource?: string;
  /** default: a 0.01° square just north of Putuo's centre */
  geom?: Area;
}

/** A street (sub-district), marked as the demo partition unless said otherwise. */
export async function insertTestStreet(db: Queryable, s: TestStreet): Promise<string> {
  const row = {
    code: s.code,
    name: s.name ?? `街道 ${s.code}`,
    kind: s.kind ?? 'subdistrict',
    boundary_source: s.boundarySource ?? 'demo-partition',
    geom: new Geometry(s.geom ?? [121.38, 31.25, 121.39, 31.26]),
  };
  await insertRow(db, 'streets', row, 'code');
  return s.code;
}

export interface TestFlight {
  pilotId: number;
  createdBy?: number;
  droneModel?: string;
  /** ISO 8601; default now */
  flownAt?: string;
  purpose?: FlightPurpose;
  streetCodes?: string[];
  notes?: string;
}

/** A sortie recorded by its pilot unless createdBy says otherwise. */
export async function insertTestFlight(db: Queryable, f: TestFlight): Promise<number> {
  const flight = await insertFlightRow(
    db,
    {
      pilotId: f.pilotId,
      droneModel: f.droneModel ?? 'M3E',
      flownAt: f.flownAt ?? new Date().toISOString(),
      purpose: f.purpose ?? 'routine',
      streetCodes: f.streetCodes ?? [],
      notes: f.notes ?? '',
    },
    f.createdBy ?? f.pilotId,
  );
  return flight.id;
}

export interface TestImagery {
  uploadedBy: number;
  kind?: 'drone' | 'satellite' | 'tileset' | 'photo';
  status?: ImageryStatus;
  fileName?: string;
  /** default: a random one, so that no two rows clash */
  sha256?: string;
  sizeBytes?: number;
  capturedAt?: string;
  footprint?: Area;
  flightId?: number;
  tileFormat?: 'webp' | 'png' | 'mixed';
  minZoom?: number;
  maxZoom?: number;
}

/** An imagery row as an upload leaves it ('uploaded', drone), or as ingest left it where the test says. */
export async function insertTestImagery(db: Queryable, i: TestImagery): Promise<number> {
  return insertRow(db, 'imagery', {
    uploaded_by: i.uploadedBy,
    kind: i.kind ?? 'drone',
    status: i.status,
    file_name: i.fileName ?? 'ortho.tif',
    sha256: i.sha256 ?? randomBytes(32).toString('hex'),
    size_bytes: i.sizeBytes ?? 1000,
    captured_at: i.capturedAt,
    footprint: geometry(i.footprint),
    flight_id: i.flightId,
    tile_format: i.tileFormat,
    min_zoom: i.minZoom,
    max_zoom: i.maxZoom,
  });
}

export interface TestDetectionRun {
  createdBy: number;
  afterImageryId?: number;
  modelName?: string;
  modelVersion?: string;
  threshold?: number;
  minAreaM2?: number;
  zoom?: number;
  status?: 'planned' | 'running' | 'done' | 'failed';
  error?: string;
  errorCode?: string;
  errorParams?: Record<string, string | number>;
  tilesTotal?: number;
  tilesDone?: number;
  tilesWithoutBaseline?: number;
  batchesTotal?: number;
}

export async function insertTestDetectionRun(db: Queryable, r: TestDetectionRun): Promise<number> {
  return insertRow(db, 'detection_runs', {
    created_by: r.createdBy,
    after_imagery_id: r.afterImageryId,
    model_name: r.modelName ?? 'test',
    model_version: r.modelVersion ?? 't-1',
    threshold: r.threshold ?? 0.5,
    min_area_m2: r.minAreaM2 ?? 10,
    zoom: r.zoom ?? 18,
    status: r.status,
    error: r.error,
    error_code: r.errorCode,
    error_params: r.errorParams,
    tiles_total: r.tilesTotal,
    tiles_done: r.tilesDone,
    tiles_without_baseline: r.tilesWithoutBaseline,
    batches_total: r.batchesTotal,
  });
}

/** Tiles of a run as planning records them: each with its baseline imagery (null: none) and batch. */
export async function insertTestDetectionTiles(
  db: Queryable,
  runId: number,
  tiles: { x: number; y: number; beforeImageryId: number | null; batchNo?: number }[],
): Promise<void> {
  for (const t of tiles)
    await insertRow(db, 'detection_tiles', { run_id: runId, x: t.x, y: t.y, before_imagery_id: t.beforeImageryId, batch_no: t.batchNo ?? 0 }, 'run_id');
}

export interface TestCandidate {
  runId: number;
  geom: Area;
  /** default 0.9; the mean defaults to 0.8 of the max */
  scoreMax?: number;
  scoreMean?: number;
  /** default: the test run's 't-1' */
  modelVersion?: string;
  status?: CandidateStatus;
  dismissReason?: DismissReason;
  streetCode?: string | null;
  villaCompoundId?: number | null;
  rebuilt?: boolean;
  beforeImageryId?: number;
  afterImageryId?: number;
  createdAt?: string;
}

export async function insertTestCandidate(db: Queryable, c: TestCandidate): Promise<number> {
  const scoreMax = c.scoreMax ?? 0.9;
  return insertRow(db, 'candidates', {
    run_id: c.runId,
    geom: new Geometry(c.geom),
    score_mean: c.scoreMean ?? scoreMax * 0.8,
    score_max: scoreMax,
    model_version: c.modelVersion ?? 't-1',
    status: c.status,
    dismiss_reason: c.dismissReason,
    street_code: c.streetCode,
    villa_compound_id: c.villaCompoundId,
    rebuilt: c.rebuilt,
    before_imagery_id: c.beforeImageryId,
    after_imagery_id: c.afterImageryId,
    created_at: c.createdAt,
  });
}

export interface TestCandidateEvent {
  candidateId: number;
  actorId: number;
  fromStatus: CandidateStatus | null;
  toStatus: CandidateStatus;
  /** ISO 8601; default now */
  at?: string;
}

/** A past decision, at a time of the test's choosing. */
export async function insertTestCandidateEvent(db: Queryable, e: TestCandidateEvent): Promise<number> {
  return insertRow(db, 'candidate_events', {
    candidate_id: e.candidateId,
    actor_id: e.actorId,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    at: e.at,
  });
}

export interface TestVillaCompound {
  name: string;
  streetCode: string;
  geom: Area;
  createdBy?: number;
}

export async function insertTestVillaCompound(db: Queryable, v: TestVillaCompound): Promise<number> {
  return insertRow(db, 'villa_compounds', {
    name: v.name,
    street_code: v.streetCode,
    geom: new Geometry(v.geom),
    created_by: v.createdBy,
  });
}

export interface TestRegistryItem {
  streetCode: string;
  geom: Area;
  createdBy: number;
  /** default: a fresh T-n */
  caseNo?: string;
  floorAreaM2?: number;
  buildingType?: BuildingType;
  origin?: RegistryOrigin;
  source?: FindingSource;
  status?: RegistryStatus;
  /** YYYY-MM-DD */
  foundOn?: string;
  deadline?: string;
  /** Required by the schema for the closed-out statuses. */
  closedOn?: string;
  areaRemovedM2?: number;
  villaCompoundId?: number;
  villaCategory?: 'demolish_confiscate' | 'restrict_freeze' | 'policy_guidance';
}

/** A registry item: an open, surveyed stock steel shed unless the test says otherwise. */
export async function insertTestRegistryItem(db: Queryable, r: TestRegistryItem): Promise<number> {
  return insertRow(db, 'registry_items', {
    case_no: r.caseNo ?? `T-${nextSerial()}`,
    street_code: r.streetCode,
    geom: new Geometry(r.geom),
    floor_area_m2: r.floorAreaM2 ?? 100,
    building_type: r.buildingType ?? 'steel_shed',
    origin: r.origin ?? 'stock',
    source: r.source ?? 'survey',
    status: r.status,
    found_on: r.foundOn ?? '2025-01-01',
    deadline: r.deadline,
    closed_on: r.closedOn,
    area_removed_m2: r.areaRemovedM2,
    villa_compound_id: r.villaCompoundId,
    villa_category: r.villaCategory,
    created_by: r.createdBy,
  });
}

export interface TestRegistryEvent {
  itemId: number;
  actorId: number;
  action: string;
  fromStatus?: RegistryStatus;
  toStatus?: RegistryStatus;
  /** ISO 8601; default now */
  at?: string;
}

/** A past registry event, at a time of the test's choosing. */
export async function insertTestRegistryEvent(db: Queryable, e: TestRegistryEvent): Promise<number> {
  return insertRow(db, 'registry_events', {
    item_id: e.itemId,
    actor_id: e.actorId,
    action: e.action,
    from_status: e.fromStatus,
    to_status: e.toStatus,
    at: e.at,
  });
}
