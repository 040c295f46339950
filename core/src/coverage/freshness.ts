// Per-street freshness from the cell pieces: how many, how many never flown or stale, and how old.
import type { CellFreshness } from '../db/coverage.js';
import { median } from '../monthly-index/compute.js';

export interface StreetFreshness {
  streetCode: string;
  streetName: string;
  cells: number;
  neverFlown: number;
  stale: number;
  /** ISO 8601 of the newest imagery over any of its cells; null when never flown at all */
  newestAt: string | null;
  /** Median days since over the flown cells */
  medianDaysSince: number | null;
  /** Days since of the stalest flown cell */
  maxDaysSince: number | null;
  /** 'x/y' of the z15 cells never flown */
  neverFlownCells: string[];
}

export function streetFreshness(cells: CellFreshness[], staleDays: number): StreetFreshness[] {
  const byStreet = new Map<string, CellFreshness[]>();
  for (const c of cells) byStreet.set(c.streetCode, [...(byStreet.get(c.streetCode) ?? []), c]);
  return [...byStreet.values()].map((own) => {
    const flown = own.filter((c) => c.daysSince !== null);
    const days = flown.map((c) => c.daysSince!);
    return {
      streetCode: own[0]!.streetCode,
      streetName: own[0]!.streetName,
      cells: own.length,
      neverFlown: own.length - flown.length,
      stale: own.filter((c) => c.daysSince === null || c.daysSince > staleDays).length,
      newestAt: flown.map((c) => c.imagedAt!).sort().at(-1) ?? null,
      medianDaysSince: median(days),
      maxDaysSince: days.length ? Math.max(...days) : null,
      neverFlownCells: own.filter((c) => c.daysSince === null).map((c) => `${c.x}/${c.y}`),
    };
  });
}
