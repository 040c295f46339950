import { listAnnualTargets } from '../db/annual-targets.js';
import { indexStreets, loadIndexInputs, monthIndexDecisions, monthIndexFlights, monthIndexItems, ytdClosedOutByStreet } from '../db/monthly-index.js';
import type { Queryable } from '../db/pool.js';
import { addDays, monthsEndingWith, parseMonth, type MonthBounds } from './month.js';
import { computeMonthlyIndex, type IndexItem, type MonthlyIndex } from './compute.js';
import { loadWeights } from './weights.js';

/** The index of one month (YYYY-MM, cut in Asia/Shanghai) from the current data. */
export async function monthlyIndex(db: Queryable, month: string): Promise<MonthlyIndex> {
  const weights = loadWeights();
  const bounds = parseMonth(month);
  return computeMonthlyIndex(await loadIndexInputs(db, bounds, weights.defaultDeadlineDays), weights);
}

/**
 * The index of `count` months ending with `month`, oldest first. The rows are read once for the whole span
 * and each month computed from them, which gives the same numbers as `monthlyIndex` month by month at a
 * fraction of the queries.
 */
export async function monthlyIndexTrend(db: Queryable, month: string, count: number): Promise<MonthlyIndex[]> {
  const weights = loadWeights();
  const months = monthsEndingWith(month, count).map(parseMonth);
  const first = months[0]!;
  const last = months[months.length - 1]!;
  const span: MonthBounds = { ...last, firstDay: first.firstDay, start: first.start };
  const [streets, items, decisions, flights] = await Promise.all([
    indexStreets(db),
    monthIndexItems(db, span, weights.defaultDeadlineDays),
    monthIndexDecisions(db, span),
    monthIndexFlights(db, span),
  ]);
  const targetsByYear = new Map<number, Record<string, number>>();
  for (const year of new Set(months.map((m) => m.year))) {
    targetsByYear.set(year, Object.fromEntries((await listAnnualTargets(db, year)).map((t) => [t.scope, t.targetM2])));
  }
  const out: MonthlyIndex[] = [];
  for (const b of months) {
    const within = (day: string | null) => day !== null && day >= b.firstDay && day < b.nextFirstDay;
    const relevant = (i: IndexItem) =>
      within(i.foundOn) || within(i.closedOn) || within(i.annotatedOn) ||
      within(i.deadline ?? addDays(i.foundOn, weights.defaultDeadlineDays));
    const inputs = {
      bounds: b,
      streets,
      items: items.filter(relevant),
      decisions: decisions.filter((d) => d.decidedAt >= b.start && d.decidedAt < b.end),
      flights: flights.filter((f) => f.flownAt >= b.start && f.flownAt < b.end),
      ytdClosedOutM2: await ytdClosedOutByStreet(db, b),
      targets: targetsByYear.get(b.year)!,
    };
    out.push(computeMonthlyIndex(inputs, weights));
  }
  return out;
}
