// Triage rules from the design (§4): which candidate and registry status changes are allowed, and dates.
import {
  DISMISS_REASONS,
  TIME_ZONE,
  type CandidateStatus,
  type DismissReason,
  type RegistryStatus,
  type Role,
} from '../domain.js';

/** What a decision may set a candidate to. */
export const DECISION_STATUSES = ['confirmed', 'known', 'dismissed', 'field_check'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export const CANDIDATE_TRANSITIONS: Readonly<Record<CandidateStatus, readonly DecisionStatus[]>> = {
  new: ['confirmed', 'known', 'dismissed', 'field_check'],
  field_check: ['confirmed', 'dismissed'],
  confirmed: [],
  known: [],
  dismissed: [],
};

export function canTransition(from: CandidateStatus, to: DecisionStatus): boolean {
  return CANDIDATE_TRANSITIONS[from].includes(to);
}

/** Dispositions a street squad records against a registry item. */
export const DISPOSITION_STATUSES = ['demolished', 'legalized', 'confiscated', 'annotated'] as const;
export type DispositionStatus = (typeof DISPOSITION_STATUSES)[number];

// An annotated item (注记) is frozen under watch and may still be closed out later.
export const REGISTRY_TRANSITIONS: Readonly<Record<RegistryStatus, readonly DispositionStatus[]>> = {
  open: ['demolished', 'legalized', 'confiscated', 'annotated'],
  annotated: ['demolished', 'legalized', 'confiscated'],
  demolished: [],
  legalized: [],
  confiscated: [],
};

export function canDispose(from: RegistryStatus, to: DispositionStatus): boolean {
  return REGISTRY_TRANSITIONS[from].includes(to);
}

export function isDismissReason(value: unknown): value is DismissReason {
  return typeof value === 'string' && (DISMISS_REASONS as readonly string[]).includes(value);
}

/**
 * Who may make a decision: the office decides anything; a squad only records the result of a field
 * check (confirmed or dismissed) in its own street. Returns a reason when refused.
 */
export function decisionRefusal(
  role: Role,
  from: CandidateStatus,
  to: DecisionStatus,
): string | null {
  if (role === 'office' || role === 'admin') return null;
  if (role === 'squad') {
    if (from === 'field_check' && (to === 'confirmed' || to === 'dismissed')) return null;
    return 'a squad only records the result (confirmed or dismissed) of a field check';
  }
  return `role ${role} may not decide on candidates`;
}

/** Today's calendar date in Asia/Shanghai as YYYY-MM-DD. */
export function todayInShanghai(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(now);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(text: string): boolean {
  const m = DATE_ONLY.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** A calendar date plus whole days, as YYYY-MM-DD (no time zone involved). */
export function addDays(date: string, days: number): string {
  if (!isCalendarDate(date)) throw new Error(`not a calendar date: ${date}`);
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Case numbers of newly found violations: PT-<year>-<6 digits>. */
export function formatCaseNumber(year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 999_999) throw new Error(`case serial out of range: ${serial}`);
  return `PT-${year}-${String(serial).padStart(6, '0')}`;
}

/** The registry source of a confirmed candidate: the after imagery's kind, drone when unknown. */
export function findingSourceOf(imageryKind: string | null | undefined): 'drone' | 'satellite' {
  return imageryKind === 'satellite' ? 'satellite' : 'drone';
}
