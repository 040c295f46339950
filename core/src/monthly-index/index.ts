import { loadIndexInputs } from '../db/monthly-index.js';
import type { Queryable } from '../db/pool.js';
import { computeMonthlyIndex, type MonthlyIndex } from './compute.js';
import { monthsEndingWith, parseMonth } from './month.js';
import { loadWeights } from './weights.js';

/** The index of one month (YYYY-MM, cut in Asia/Shanghai) from the current data. */
export async function monthlyIndex(db: Queryable, month: string): Promise<MonthlyIndex> {
  const weights = loadWeights();
  const bounds = parseMonth(month);
  return computeMonthlyIndex(await loadIndexInputs(db, bounds, weights.defaultDeadlineDays), weights);
}

/**
 * The index of `count` months ending with `month`, oldest first. Months are read concurrently: each reads
 * its own rows by date index, which measured faster than reading the whole span once and cutting it in
 * JavaScript (bench/export.ts).
 */
export async function monthlyIndexTrend(db: Queryable, month: string, count: number): Promise<MonthlyIndex[]> {
  return Promise.all(monthsEndingWith(month, count).map((m) => monthlyIndex(db, m)));
}
