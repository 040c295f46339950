import { loadIndexInputs } from '../db/monthly-index.js';
import type { Queryable } from '../db/pool.js';
import { computeMonthlyIndex, type MonthlyIndex } from './compute.js';
import { parseMonth } from './month.js';
import { loadWeights } from './weights.js';

/** The index of one month (YYYY-MM, cut in Asia/Shanghai) from the current data. */
export async function monthlyIndex(db: Queryable, month: string): Promise<MonthlyIndex> {
  const weights = loadWeights();
  const bounds = parseMonth(month);
  return computeMonthlyIndex(await loadIndexInputs(db, bounds, weights.defaultDeadlineDays), weights);
}
