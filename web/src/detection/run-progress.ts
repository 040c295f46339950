// Pure helpers for showing detection runs; unit-tested in node.
import type { DetectionRun, ImageryItem } from './runs-api';

/** How often the runs page asks again while a run is still planned or running. */
export const POLL_MS = 2000;

export function isActive(run: Pick<DetectionRun, 'status'>): boolean {
  return run.status === 'planned' || run.status === 'running';
}

export function anyActive(runs: readonly Pick<DetectionRun, 'status'>[]): boolean {
  return runs.some(isActive);
}

/** Tiles done as a fraction 0…1; a run with no tiles to compare counts as complete once done. */
export function progressFraction(run: Pick<DetectionRun, 'status' | 'tilesDone' | 'tilesTotal'>): number {
  if (run.tilesTotal <= 0) return run.status === 'done' ? 1 : 0;
  return Math.min(1, Math.max(0, run.tilesDone / run.tilesTotal));
}

/** Stage timings in a fixed, readable order: known stages first as the pipeline runs them, then any others. */
export const STAGE_ORDER = ['plan', 'read', 'coregister', 'infer', 'vectorise', 'merge'];

/** A before imagery offset at least this large (metres) is worth a pilot's look: the mosaics disagree. */
export const LARGE_SHIFT_M = 2;
/** A run where at least this share of windows gave no trusted offset is flagged too. */
export const LOW_CONFIDENCE_SHARE = 0.5;

/** What the runs page says of a run's co-registration: shifts in metres, and whether to flag it. */
export function coregistrationFacts(summary: NonNullable<DetectionRun['coregistration']>): {
  medianM: number;
  maxM: number;
  lowSharePercent: number;
  warn: boolean;
} {
  const medianM = Math.round(summary.medianShiftPx * summary.metresPerPixel * 10) / 10;
  const maxM = Math.round(summary.maxShiftPx * summary.metresPerPixel * 10) / 10;
  const lowSharePercent = Math.round(summary.lowConfidenceShare * 100);
  return { medianM, maxM, lowSharePercent, warn: maxM >= LARGE_SHIFT_M || summary.lowConfidenceShare >= LOW_CONFIDENCE_SHARE };
}

export function orderedTimings(timings: Record<string, number>): [string, number][] {
  const rank = (k: string) => {
    const i = STAGE_ORDER.indexOf(k);
    return i === -1 ? STAGE_ORDER.length : i;
  };
  return Object.entries(timings)
    .filter(([, v]) => Number.isFinite(v))
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Seconds as "0.42 s", "12.3 s" or "3 min 05 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

/** Newest capture first; items without a capture time last, newest upload first among them. */
export function newestFirst<T extends Pick<ImageryItem, 'id' | 'capturedAt' | 'createdAt'>>(items: readonly T[]): T[] {
  const time = (v: string | null) => (v === null ? Number.NEGATIVE_INFINITY : Date.parse(v));
  return [...items].sort(
    (a, b) => time(b.capturedAt) - time(a.capturedAt) || time(b.createdAt) - time(a.createdAt) || b.id - a.id,
  );
}

/** Where a finished run's candidates are triaged. */
export function triageHrefForRun(runId: number): string {
  return `/triage?run=${runId}`;
}
