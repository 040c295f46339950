// What "covered", "stale" and "worth a re-fly" mean; one place, documented in docs/coverage.md.

/** Freshness is reported per z15 cell (about 1.05 × 1.05 km at Shanghai's latitude), split along street borders. */
export const COVERAGE_ZOOM = 15;
/** Imagery covers an area when its footprint takes in at least this share of it. */
export const COVERED_SHARE = 0.9;
/** Cell pieces smaller than this (a street border grazing a cell's corner) are left out. */
export const MIN_PIECE_M2 = 500;

export interface ReflyRules {
  /** A cell piece whose newest imagery is older than this is suggested for a re-fly. */
  staleDays: number;
  /** Demolished or confiscated items are watched for a rebuild this many days after their disposition … */
  rebuildWatchDays: number;
  /** … and suggested whenever they have not been seen for this many days. */
  rebuildLookEveryDays: number;
}

export const DEFAULT_REFLY_RULES: ReflyRules = { staleDays: 60, rebuildWatchDays: 90, rebuildLookEveryDays: 14 };

export const REFLY_KINDS = ['rebuild_watch', 'field_check', 'villa_unseen', 'stale_cell'] as const;
export type ReflyKind = (typeof REFLY_KINDS)[number];
