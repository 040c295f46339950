// Registry import: parse, convert to WGS84, validate and repair, report per row; write only when not a dry run.
import { createHash } from 'node:crypto';
import {
  checkImportGeometries,
  existingCaseNos,
  insertImportedItem,
  streetCodesByName,
  wktToGeoJson,
  type ImportedItem,
} from '../../db/registry-import.js';
import { withTransaction, type Pool } from '../../db/pool.js';
import { mapGeometryCoords, type Geometry } from '../../geo/geojson.js';
import { shanghaiDay } from '../../monthly-index/month.js';
import { toWgs84, type ImportCrs } from './crs.js';
import { parseDay, parseEnum, pick } from './fields.js';
import { parseRegistryFile, type RawRow } from './parse.js';
import type { ErrorParams } from '../../errors.js';

export type RowOutcome = 'add' | 'repaired' | 'exists' | 'duplicate' | 'invalid';

/** One thing said about a row: a stable code with its values (the web words it), beside the English message. */
export interface RowNote {
  code: string;
  params: ErrorParams;
}

export interface RowReport {
  row: number;
  caseNo: string | null;
  outcome: RowOutcome;
  streetCode: string | null;
  /** in English, for scripts and logs */
  messages: string[];
  /** the same, as codes and values, in the same order */
  notes: RowNote[];
}

/** Notes that do not stop a row from being imported. */
const NOT_BLOCKING = new Set(['import_repaired', 'import_point_as_square']);

function note(report: RowReport, code: string, params: ErrorParams, message: string): void {
  report.notes.push({ code, params });
  report.messages.push(message);
}

type Problem = { code: string; params: ErrorParams; message: string };
const problem = (code: string, message: string, params: ErrorParams = {}): Problem => ({ code, params, message });

export interface ImportReport {
  fileName: string;
  format: string;
  crs: ImportCrs;
  dryRun: boolean;
  total: number;
  counts: Record<RowOutcome, number>;
  /** items written (0 on a dry run) */
  added: number;
  rows: RowReport[];
}

// Anything outside this box is not Shanghai: most likely the wrong CRS or swapped axes.
const SHANGHAI = { w: 120.8, e: 122.2, s: 30.6, n: 31.95 };
// ST_MakeValid is trusted only when it keeps the area: a bow-tie that loses a lobe is an error instead.
const MAX_REPAIR_AREA_CHANGE = 0.01;
const DEFAULT_POINT_AREA_M2 = 25;

interface Pending {
  report: RowReport;
  geometry?: Geometry;
  item?: Omit<ImportedItem, 'geojson' | 'streetCode' | 'caseNo'> & { street?: string; caseNo?: string };
}

function squareAround([lon, lat]: [number, number], areaM2: number): Geometry {
  const half = Math.sqrt(areaM2) / 2;
  const dLat = half / 111_320;
  const dLon = half / (111_320 * Math.cos((lat * Math.PI) / 180));
  const ring = [[lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat], [lon - dLon, lat + dLat], [lon - dLon, lat - dLat]];
  return { type: 'Polygon', coordinates: [ring] };
}

function polygonProblem(g: { type: string; coordinates: unknown }): Problem | undefined {
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    return problem('import_not_polygon', `geometry is a ${g.type}; registry items are polygons`, { type: g.type });
  }
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[];
  if (!Array.isArray(polys) || polys.length === 0) return problem('import_polygon_empty', 'polygon has no coordinates');
  for (const poly of polys) {
    if (!Array.isArray(poly) || poly.length === 0) return problem('import_polygon_empty', 'polygon has no rings');
    for (const ring of poly as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) return problem('import_ring_too_short', 'a ring has fewer than 4 positions');
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
          return problem('import_bad_position', 'a position is not two numbers');
        }
      }
      const [a, z] = [ring[0] as number[], ring[ring.length - 1] as number[]];
      if (a[0] !== z[0] || a[1] !== z[1]) return problem('import_ring_not_closed', 'a ring is not closed (first and last positions differ)');
    }
  }
  return undefined;
}

function outsideShanghai(g: Geometry): boolean {
  let outside = false;
  mapGeometryCoords(g, (p) => {
    if (p[0] < SHANGHAI.w || p[0] > SHANGHAI.e || p[1] < SHANGHAI.s || p[1] > SHANGHAI.n) outside = true;
    return p;
  });
  return outside;
}

function readFields(raw: RawRow, report: RowReport, today: string): Pending['item'] {
  const p = raw.properties;
  const en = <K extends keyof typeof parseEnum>(k: K, fallback: string) => {
    const v = pick(p, k);
    if (v === undefined) return fallback;
    const parsed = parseEnum[k](v);
    if (!parsed) note(report, 'import_unknown_value', { field: k, value: v }, `${k} "${v}" is not known`);
    return parsed ?? fallback;
  };
  const day = (k: 'foundOn' | 'deadline' | 'closedOn') => {
    const v = pick(p, k);
    if (v === undefined) return null;
    const d = parseDay(v);
    if (!d) note(report, 'import_not_a_date', { field: k, value: v }, `${k} "${v}" is not a date (YYYY-MM-DD)`);
    return d ?? null;
  };
  const areaText = pick(p, 'floorAreaM2');
  const area = areaText === undefined ? NaN : Number(areaText);
  if (areaText !== undefined && !(area > 0)) {
    note(report, 'import_bad_area', { value: areaText }, `floor area "${areaText}" is not a positive number`);
  }
  const status = en('status', 'open');
  const closedOn = day('closedOn');
  const closing = ['demolished', 'legalized', 'confiscated'].includes(status);
  if (closing && !closedOn) note(report, 'import_needs_closed_on', { status }, `status ${status} needs a close-out date (closed_on)`);
  if (!closing && closedOn) {
    note(report, 'import_closed_on_not_closing', { status }, `closed_on is set but status ${status} does not close the item out`);
  }
  return {
    caseNo: pick(p, 'caseNo'),
    street: pick(p, 'street'),
    floorAreaM2: area > 0 ? area : NaN,
    buildingType: en('buildingType', 'standalone'),
    origin: en('origin', 'stock'),
    source: en('source', 'survey'),
    status,
    foundOn: day('foundOn') ?? today,
    deadline: day('deadline'),
    closedOn,
    address: pick(p, 'address') ?? '',
    notes: pick(p, 'notes') ?? '',
  };
}

export interface ImportOptions {
  fileName: string;
  crs?: ImportCrs;
  dryRun: boolean;
  actorId: number;
  now?: Date;
}

export async function importRegistryFile(db: Pool, body: Buffer, opts: ImportOptions): Promise<ImportReport> {
  const parsed = await parseRegistryFile(opts.fileName, body);
  const crs: ImportCrs = opts.crs ?? (parsed.prj ? 'prj' : 'wgs84');
  const convert = toWgs84(crs, parsed.prj);
  const today = shanghaiDay(opts.now ?? new Date());
  const streets = await streetCodesByName(db);

  const pending: Pending[] = [];
  for (const raw of parsed.rows) {
    const report: RowReport = { row: raw.index + 1, caseNo: null, outcome: 'invalid', streetCode: null, messages: [], notes: [] };
    const item = readFields(raw, report, today);
    let geometry: Geometry | undefined;
    let source = raw.geometry;
    if (raw.wkt) {
      const r = await wktToGeoJson(db, raw.wkt);
      if (r.error) note(report, 'import_bad_wkt', { reason: r.error }, `WKT cannot be read: ${r.error}`);
      else source = JSON.parse(r.geojson!) as RawRow['geometry'];
    }
    if (raw.point) {
      const area = item!.floorAreaM2 > 0 ? item!.floorAreaM2 : DEFAULT_POINT_AREA_M2;
      geometry = squareAround(convert(raw.point), area);
      note(report, 'import_point_as_square', { area: Math.round(area) }, `a point: drawn as a ${Math.round(area)} m² square around it`);
    } else if (source) {
      const bad = polygonProblem(source);
      if (bad) note(report, bad.code, bad.params, bad.message);
      else geometry = mapGeometryCoords(source as Geometry, convert);
    } else if (!raw.wkt) note(report, 'import_no_geometry', {}, 'row has no geometry');
    if (geometry && outsideShanghai(geometry)) {
      note(report, 'import_outside_shanghai', { crs }, `coordinates fall outside Shanghai after reading them as ${crs}: wrong CRS?`);
      geometry = undefined;
    }
    pending.push({ report, geometry, item });
  }

  const checks = new Map(
    (await checkImportGeometries(db, pending.flatMap((p, i) => (p.geometry ? [{ i, geojson: JSON.stringify(p.geometry) }] : []))))
      .map((c) => [c.i, c]),
  );
  const ready: { report: RowReport; item: ImportedItem }[] = [];
  const seen = new Set<string>();
  pending.forEach((p, i) => {
    const { report, item } = p;
    const check = checks.get(i);
    let geojson: string | undefined;
    if (check) {
      if (check.valid) geojson = check.repaired ?? undefined;
      else {
        const change = check.areaBefore > 0 ? Math.abs(check.areaAfter - check.areaBefore) / check.areaBefore : 1;
        if (check.repaired && change <= MAX_REPAIR_AREA_CHANGE) {
          geojson = check.repaired;
          note(report, 'import_repaired', { reason: check.reason }, `repaired with ST_MakeValid (${check.reason})`);
          report.outcome = 'repaired';
        } else {
          const percent = Math.round(change * 100);
          note(report, 'import_invalid_polygon', { reason: check.reason, percent },
            `invalid polygon (${check.reason}); repairing it would change its area by ${percent}%: fix it in the source`);
        }
      }
    }
    const street = item!.street ? streets.get(item!.street) : check?.streetCode ?? undefined;
    if (item!.street && !street) {
      note(report, 'import_unknown_street', { street: item!.street }, `street "${item!.street}" is not one of the district's streets`);
    } else if (!street && geojson) note(report, 'import_outside_district', {}, 'the polygon lies in no street of the district');
    report.streetCode = street ?? null;
    const floor = item!.floorAreaM2 > 0 ? item!.floorAreaM2 : check ? Math.round(check.areaAfter * 10) / 10 : NaN;
    // without a case number the geometry names the item, so the same file imported twice adds nothing
    const caseNo = item!.caseNo ?? (geojson ? `IMP-${createHash('sha256').update(geojson).digest('hex').slice(0, 12)}` : null);
    report.caseNo = caseNo;
    const blocking = report.notes.some((n) => !NOT_BLOCKING.has(n.code));
    if (blocking || !geojson || !street || !caseNo || !(floor > 0)) {
      report.outcome = 'invalid';
      return;
    }
    if (seen.has(caseNo)) {
      report.outcome = 'duplicate';
      note(report, 'import_duplicate_case', { caseNo }, `case number ${caseNo} appears earlier in this file`);
      return;
    }
    seen.add(caseNo);
    if (report.outcome !== 'repaired') report.outcome = 'add';
    const { street: _s, caseNo: _c, ...fields } = item!;
    ready.push({ report, item: { ...fields, floorAreaM2: floor, caseNo, streetCode: street, geojson } });
  });

  const existing = await existingCaseNos(db, ready.map((r) => r.item.caseNo));
  const toAdd = ready.filter((r) => {
    if (!existing.has(r.item.caseNo)) return true;
    r.report.outcome = 'exists';
    note(r.report, 'import_exists', {}, 'already in the registry: skipped');
    return false;
  });
  let added = 0;
  if (!opts.dryRun && toAdd.length > 0) {
    added = await withTransaction(db, async (tx) => {
      let n = 0;
      for (const r of toAdd) {
        const id = await insertImportedItem(tx, r.item, opts.actorId, opts.fileName);
        if (id === null) r.report.outcome = 'exists';
        else n++;
      }
      return n;
    });
  }
  const reports = pending.map((p) => p.report);
  const counts = { add: 0, repaired: 0, exists: 0, duplicate: 0, invalid: 0 };
  for (const r of reports) counts[r.outcome]++;
  return { fileName: opts.fileName, format: parsed.format, crs, dryRun: opts.dryRun, total: reports.length, counts, added, rows: reports };
}
