// The monthly dynamic-monitoring index from plain rows: no database here, so the arithmetic is testable by hand.
import { complaintCounts, type ComplaintCounts } from '../complaints/monthly-counts.js';
import type { IndexComplaint } from '../db/complaints.js';
import { FINDING_SOURCES, type FindingSource } from '../domain.js';
import { addDays, daysBetween, shanghaiDay, type MonthBounds } from './month.js';
import { COMPONENT_NAMES, type ComponentName, type IndexWeights } from './weights.js';

export interface IndexItem {
  id: number;
  streetCode: string;
  source: FindingSource;
  origin: 'stock' | 'new';
  status: string;
  floorAreaM2: number;
  areaRemovedM2: number | null;
  foundOn: string;
  deadline: string | null;
  closedOn: string | null;
  /** Shanghai day of the first event that set the item to 'annotated' */
  annotatedOn: string | null;
}

export interface IndexDecision {
  candidateId: number;
  streetCode: string | null;
  detectedAt: Date;
  decidedAt: Date;
}

export interface IndexFlight {
  id: number;
  pilotId: number;
  flownAt: Date;
  streetCodes: string[];
}

export interface IndexInputs {
  bounds: MonthBounds;
  streets: { code: string; name: string }[];
  items: IndexItem[];
  decisions: IndexDecision[];
  flights: IndexFlight[];
  /** floor area closed out from 1 January to the end of the month, per street */
  ytdClosedOutM2: Record<string, number>;
  /** annual targets of the month's year: per street code, and 'district' when set explicitly */
  targets: Record<string, number>;
  /** per street: its area and the part of it imagery captured in the month covers (覆盖率) */
  coverage: Record<string, { areaM2: number; coveredM2: number }>;
  /** 12345 complaints received, closed or due in the month */
  complaints: IndexComplaint[];
}

export interface IndexDrill {
  newItems: number[];
  bySource: Record<FindingSource, number[]>;
  dueItems: number[];
  handledOnTime: number[];
  decidedCandidates: number[];
  disposedItems: number[];
  removedItems: number[];
  closedOutItems: number[];
  flights: number[];
}

export interface IndexRow {
  scope: string;
  name: string;
  newCount: number;
  newBySource: Record<FindingSource, number>;
  proactiveShare: number | null;
  dueCount: number;
  handledOnTimeCount: number;
  handlingRate: number | null;
  decisionCount: number;
  medianDecisionDays: number | null;
  dispositionCount: number;
  medianDispositionDays: number | null;
  areaFoundM2: number;
  areaRemovedM2: number;
  closedOutCount: number;
  closedOutM2: number;
  ytdClosedOutM2: number;
  annualTargetM2: number | null;
  targetProgress: number | null;
  components: Record<ComponentName, number | null>;
  score: number | null;
  grade: string | null;
  sorties: number;
  pilotShifts: number;
  /** share of the area covered by imagery captured in the month (覆盖率); null without streets */
  coverageShare: number | null;
  /** 12345 complaints of the month (counted, not scored) */
  complaints: ComplaintCounts;
  drill: IndexDrill;
}

export interface MonthlyIndex {
  month: string;
  rows: IndexRow[];
}

const CLOSED = new Set(['demolished', 'legalized', 'confiscated']);
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** 1 at or below `full`, 0 at or above `zero`, linear between. */
function timeliness(days: number | null, full = 0, zero = 1): number | null {
  if (days === null) return null;
  if (days <= full) return 1;
  if (days >= zero) return 0;
  return (zero - days) / (zero - full);
}

/** Weighted mean of the components that have something to measure; null when none has. */
export function scoreOf(components: Record<ComponentName, number | null>, weights: IndexWeights): number | null {
  let sum = 0;
  let weight = 0;
  for (const name of COMPONENT_NAMES) {
    const v = components[name];
    if (v === null) continue;
    sum += v * weights.components[name].weight;
    weight += weights.components[name].weight;
  }
  return weight === 0 ? null : round((100 * sum) / weight, 1);
}

export function gradeOf(score: number | null, weights: IndexWeights): string | null {
  if (score === null) return null;
  const bands = [...weights.grades].sort((a, b) => b.minScore - a.minScore);
  return bands.find((g) => score >= g.minScore)!.grade;
}

const inMonth = (day: string | null, b: MonthBounds) => day !== null && day >= b.firstDay && day < b.nextFirstDay;
const inMonthAt = (at: Date, b: MonthBounds) => at >= b.start && at < b.end;

function row(scope: string, name: string, inputs: IndexInputs, weights: IndexWeights, target: number | null): IndexRow {
  const b = inputs.bounds;
  const mine = <T extends { streetCode: string | null }>(xs: T[]) =>
    scope === 'district' ? xs : xs.filter((x) => x.streetCode === scope);
  const items = mine(inputs.items);
  const sorted = (xs: { id: number }[]) => xs.map((x) => x.id).sort((p, q) => p - q);

  const newItems = items.filter((i) => i.origin === 'new' && inMonth(i.foundOn, b));
  const bySource = Object.fromEntries(FINDING_SOURCES.map((s) => [s, sorted(newItems.filter((i) => i.source === s))])) as Record<
    FindingSource,
    number[]
  >;
  const proactive = newItems.filter((i) => weights.proactiveSources.includes(i.source)).length;

  const disposedOn = (i: IndexItem) => (CLOSED.has(i.status) ? i.closedOn : i.status === 'annotated' ? i.annotatedOn : null);
  const deadlineOf = (i: IndexItem) => i.deadline ?? addDays(i.foundOn, weights.defaultDeadlineDays);
  const due = items.filter((i) => i.origin === 'new' && inMonth(deadlineOf(i), b));
  const onTime = due.filter((i) => {
    const d = disposedOn(i);
    return d !== null && d <= deadlineOf(i);
  });

  const decisions = mine(inputs.decisions).filter((d) => inMonthAt(d.decidedAt, b));
  const decisionDays = median(decisions.map((d) => (d.decidedAt.getTime() - d.detectedAt.getTime()) / 86_400_000));

  const disposed = items.filter((i) => i.origin === 'new' && inMonth(disposedOn(i), b));
  const dispositionDays = median(disposed.map((i) => daysBetween(i.foundOn, disposedOn(i)!)));

  const closedOut = items.filter((i) => CLOSED.has(i.status) && inMonth(i.closedOn, b));
  const removed = closedOut.filter((i) => i.status === 'demolished');
  const sum = (xs: number[]) => round(xs.reduce((a, x) => a + x, 0), 1);

  const ytd =
    scope === 'district'
      ? Object.values(inputs.ytdClosedOutM2).reduce((a, x) => a + x, 0)
      : (inputs.ytdClosedOutM2[scope] ?? 0);
  const targetProgress = target ? round(ytd / target, 4) : null;
  const expected = target ? (target * b.monthNumber) / 12 : 0;

  const flights =
    scope === 'district' ? inputs.flights : inputs.flights.filter((f) => f.streetCodes.includes(scope));
  const shifts = new Set(flights.map((f) => `${f.pilotId}|${shanghaiDay(f.flownAt)}`));

  const covered = Object.entries(inputs.coverage).filter(([code]) => scope === 'district' || code === scope);
  const coverageArea = covered.reduce((a, [, c]) => a + c.areaM2, 0);
  const coverageShare = coverageArea > 0 ? round(covered.reduce((a, [, c]) => a + c.coveredM2, 0) / coverageArea, 4) : null;

  const dec = weights.components.decisionDays;
  const dis = weights.components.dispositionDays;
  const components: Record<ComponentName, number | null> = {
    handlingRate: due.length ? onTime.length / due.length : null,
    proactiveShare: newItems.length ? proactive / newItems.length : null,
    decisionDays: timeliness(decisionDays, dec.fullAtOrBelow, dec.zeroAtOrAbove),
    dispositionDays: timeliness(dispositionDays, dis.fullAtOrBelow, dis.zeroAtOrAbove),
    closeOutProgress: target ? Math.min(1, ytd / expected) : null,
  };
  const score = scoreOf(components, weights);
  for (const name of COMPONENT_NAMES) if (components[name] !== null) components[name] = round(components[name]!, 4);

  return {
    scope,
    name,
    newCount: newItems.length,
    newBySource: Object.fromEntries(FINDING_SOURCES.map((s) => [s, bySource[s].length])) as Record<FindingSource, number>,
    proactiveShare: newItems.length ? round(proactive / newItems.length, 4) : null,
    dueCount: due.length,
    handledOnTimeCount: onTime.length,
    handlingRate: due.length ? round(onTime.length / due.length, 4) : null,
    decisionCount: decisions.length,
    medianDecisionDays: decisionDays === null ? null : round(decisionDays, 1),
    dispositionCount: disposed.length,
    medianDispositionDays: dispositionDays,
    areaFoundM2: sum(newItems.map((i) => i.floorAreaM2)),
    areaRemovedM2: sum(removed.map((i) => i.areaRemovedM2 ?? i.floorAreaM2)),
    closedOutCount: closedOut.length,
    closedOutM2: sum(closedOut.map((i) => i.floorAreaM2)),
    ytdClosedOutM2: round(ytd, 1),
    annualTargetM2: target,
    targetProgress,
    components,
    score,
    grade: gradeOf(score, weights),
    sorties: flights.length,
    pilotShifts: shifts.size,
    coverageShare,
    complaints: complaintCounts(mine(inputs.complaints), b),
    drill: {
      newItems: sorted(newItems),
      bySource,
      dueItems: sorted(due),
      handledOnTime: sorted(onTime),
      decidedCandidates: decisions.map((d) => d.candidateId).sort((p, q) => p - q),
      disposedItems: sorted(disposed),
      removedItems: sorted(removed),
      closedOutItems: sorted(closedOut),
      flights: flights.map((f) => f.id).sort((p, q) => p - q),
    },
  };
}

/** The district row first, then one row per street in code order. */
export function computeMonthlyIndex(inputs: IndexInputs, weights: IndexWeights): MonthlyIndex {
  const streetTargets = inputs.streets.map((s) => inputs.targets[s.code]).filter((t): t is number => t !== undefined);
  const districtTarget =
    inputs.targets.district ?? (streetTargets.length ? streetTargets.reduce((a, x) => a + x, 0) : null);
  const streets = [...inputs.streets].sort((p, q) => p.code.localeCompare(q.code));
  return {
    month: inputs.bounds.month,
    rows: [
      row('district', '全区', inputs, weights, districtTarget),
      ...streets.map((s) => row(s.code, s.name, inputs, weights, inputs.targets[s.code] ?? null)),
    ],
  };
}
