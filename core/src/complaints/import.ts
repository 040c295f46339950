// Complaint import: every row read and placed, reported with coded notes; on a real run the good rows are
// written in one transaction (a row is written whole or not at all; known numbers are skipped, never doubled).
import { existingComplaintNumbers, insertComplaint, type NewComplaint } from '../db/complaints.js';
import { withTransaction, type Pool } from '../db/pool.js';
import type { ComplaintCrs } from '../domain.js';
import type { ErrorParams } from '../errors.js';
import { cellOf, parseCoordinates, parseCrs, parseDeadline, parseHotlineTime, textOf, type Cell } from './fields.js';
import { createPlacer, insideShanghai, toWgs84, type Placement } from './place.js';

export const COMPLAINT_OUTCOMES = ['add', 'exists', 'duplicate', 'invalid'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];

export interface ComplaintRowReport {
  /** the row's line in the file (the header is line 1), or its position in a JSON list from 1 */
  row: number;
  number: string | null;
  outcome: ComplaintOutcome;
  /** how the row was placed: coordinates, registry_address, or null when a person must place it */
  placedBy: 'coordinates' | 'registry_address' | null;
  streetCode: string | null;
  lon: number | null;
  lat: number | null;
  /** codes with values (the web words them), and the same in English */
  notes: { code: string; params: ErrorParams }[];
  messages: string[];
}

export interface ComplaintImportReport {
  fileName: string;
  crs: ComplaintCrs;
  dryRun: boolean;
  total: number;
  counts: Record<ComplaintOutcome, number>;
  placed: number;
  unplaced: number;
  added: number;
  rows: ComplaintRowReport[];
}

/** Notes that tell, without stopping the row. */
const NOT_BLOCKING = new Set(['complaint_unplaced', 'complaint_address_ambiguous']);
const MAX_CONTENT = 4000;
const MAX_ADDRESS = 500;

interface Pending {
  report: ComplaintRowReport;
  complaint?: NewComplaint;
}

function note(r: ComplaintRowReport, code: string, params: ErrorParams, message: string): void {
  r.notes.push({ code, params });
  r.messages.push(`row ${r.row}: ${message}`);
}

async function readRow(
  cells: Record<string, Cell>,
  line: number,
  opts: { crs: ComplaintCrs; fileName: string },
  placer: Awaited<ReturnType<typeof createPlacer>>,
): Promise<Pending> {
  const number = textOf(cells, 'number') ?? null;
  const report: ComplaintRowReport = { row: line, number, outcome: 'invalid', placedBy: null, streetCode: null, lon: null, lat: null, notes: [], messages: [] };
  const row = { row: line };
  if (!number) note(report, 'complaint_no_number', row, 'no work-order number (工单编号)');
  else if (number.length > 64) note(report, 'complaint_bad_number', { ...row, value: number.slice(0, 20) }, 'the work-order number is longer than 64 characters');

  const receivedText = textOf(cells, 'receivedAt');
  const receivedAt = parseHotlineTime(cellOf(cells, 'receivedAt'));
  if (!receivedText) note(report, 'complaint_no_received', row, 'no received time (受理时间)');
  else if (!receivedAt) note(report, 'complaint_bad_time', { ...row, field: '受理时间', value: receivedText }, `received time "${receivedText}" is not a date and time`);

  const content = textOf(cells, 'content') ?? '';
  if (!content) note(report, 'complaint_no_content', row, 'no complaint text (诉求内容)');
  const address = textOf(cells, 'address') ?? '';
  if (content.length > MAX_CONTENT || address.length > MAX_ADDRESS) {
    note(report, 'complaint_too_long', { ...row, max: MAX_CONTENT }, 'the text or address is too long');
  }

  const deadlineText = textOf(cells, 'deadline');
  const deadline = deadlineText ? parseDeadline(cellOf(cells, 'deadline')) : undefined;
  if (deadlineText && !deadline) note(report, 'complaint_bad_time', { ...row, field: '办理时限', value: deadlineText }, `deadline "${deadlineText}" is not a date`);

  let crs = opts.crs;
  const crsText = textOf(cells, 'crs');
  if (crsText) {
    const parsed = parseCrs(crsText);
    if (parsed) crs = parsed;
    else note(report, 'complaint_bad_crs', { ...row, value: crsText }, `coordinate system "${crsText}" is neither WGS84 nor GCJ-02`);
  }
  const combined = textOf(cells, 'coordinates');
  const lonText = textOf(cells, 'lon');
  const latText = textOf(cells, 'lat');
  let point: [number, number] | undefined;
  if (combined !== undefined || lonText !== undefined || latText !== undefined) {
    const given = parseCoordinates(combined, lonText, latText);
    const shown = combined ?? `${lonText ?? ''},${latText ?? ''}`;
    if (!given) note(report, 'complaint_bad_coordinates', { ...row, value: shown }, `coordinates "${shown}" are not two numbers`);
    else if (!insideShanghai(given)) note(report, 'complaint_outside_shanghai', { ...row, value: shown }, `coordinates ${shown} lie outside Shanghai`);
    else point = given;
  }

  if (report.notes.length > 0) return { report };
  const wgs = point ? toWgs84(point, crs) : undefined;
  const placement: Placement = await placer.place({ point: wgs, address });
  report.streetCode = placement.streetCode;
  if (placement.kind === 'unplaced') {
    if (placement.ambiguous) note(report, 'complaint_address_ambiguous', row, 'the address matches registry items far apart');
    note(report, 'complaint_unplaced', row, 'no coordinates and no registry address match: place it on the map');
  } else {
    report.placedBy = placement.kind;
    report.lon = placement.lon;
    report.lat = placement.lat;
  }
  return {
    report,
    complaint: {
      number: number!,
      receivedAt: receivedAt!,
      address,
      content,
      deadline: deadline ?? null,
      reported: point ? { lon: point[0], lat: point[1], crs } : null,
      position: placement.kind === 'unplaced' ? null : { lon: placement.lon, lat: placement.lat, by: placement.kind },
      streetCode: placement.streetCode,
      sourceFile: opts.fileName,
    },
  };
}

export interface ComplaintImportOptions {
  fileName: string;
  crs: ComplaintCrs;
  dryRun: boolean;
  actorId: number;
}

export async function importComplaintRows(
  db: Pool,
  rows: { line: number; cells: Record<string, Cell> }[],
  opts: ComplaintImportOptions,
): Promise<ComplaintImportReport> {
  const placer = await createPlacer(db);
  const pending: Pending[] = [];
  for (const r of rows) pending.push(await readRow(r.cells, r.line, opts, placer));

  const seen = new Set<string>();
  for (const p of pending) {
    if (!p.complaint) continue;
    if (seen.has(p.complaint.number)) {
      note(p.report, 'complaint_duplicate_number', { row: p.report.row, number: p.complaint.number }, `number ${p.complaint.number} appears earlier in this file`);
      p.report.outcome = 'duplicate';
      p.complaint = undefined;
    } else seen.add(p.complaint.number);
  }
  const ready = pending.filter((p) => p.complaint && !p.report.notes.some((n) => !NOT_BLOCKING.has(n.code)));
  const known = await existingComplaintNumbers(db, ready.map((p) => p.complaint!.number));
  const toAdd = ready.filter((p) => {
    if (known.has(p.complaint!.number)) {
      p.report.outcome = 'exists';
      return false;
    }
    p.report.outcome = 'add';
    return true;
  });
  let added = 0;
  if (!opts.dryRun && toAdd.length > 0) {
    added = await withTransaction(db, async (tx) => {
      let n = 0;
      for (const p of toAdd) {
        if ((await insertComplaint(tx, p.complaint!, opts.actorId)) === null) p.report.outcome = 'exists';
        else n++;
      }
      return n;
    });
  }
  const reports = pending.map((p) => p.report);
  const counts = { add: 0, exists: 0, duplicate: 0, invalid: 0 };
  for (const r of reports) counts[r.outcome]++;
  const adding = reports.filter((r) => r.outcome === 'add');
  return {
    fileName: opts.fileName,
    crs: opts.crs,
    dryRun: opts.dryRun,
    total: reports.length,
    counts,
    placed: adding.filter((r) => r.placedBy !== null).length,
    unplaced: adding.filter((r) => r.placedBy === null).length,
    added,
    rows: reports,
  };
}
