// Re-fly suggestions brought up to date and ranked, as the pilots' page and the ingest worker use them.
import { closeCoveredSuggestions, listReflySuggestions, refreshReflySuggestions, type ReflySuggestion } from '../db/refly.js';
import type { Pool } from '../db/pool.js';
import { withTransaction } from '../db/pool.js';
import { parseMonth, shanghaiDay } from '../monthly-index/month.js';
import { DEFAULT_REFLY_RULES, type ReflyRules } from './rules.js';

/**
 * Marks what imagery now covers as done, then works out the open set again as of `asOf`, in one transaction
 * (two pilots refreshing at once see one consistent set), and lists it ranked.
 */
export async function refreshedSuggestions(db: Pool, asOf: Date, rules: ReflyRules = DEFAULT_REFLY_RULES): Promise<ReflySuggestion[]> {
  const monthStart = parseMonth(shanghaiDay(asOf).slice(0, 7)).start;
  return withTransaction(db, async (tx) => {
    await tx.query('LOCK TABLE refly_suggestions IN SHARE ROW EXCLUSIVE MODE');
    await closeCoveredSuggestions(tx);
    await refreshReflySuggestions(tx, asOf, monthStart, rules);
    return listReflySuggestions(tx, asOf);
  });
}
