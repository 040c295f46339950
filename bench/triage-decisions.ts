// Usage: npx tsx bench/triage-decisions.ts
// How long the triage queue query and decisions take against the real PostGIS, on the demo data plus
// 2,000 generated candidates. References are measured in the same run: the queue sorted by priority
// against the same page sorted by creation time, and one-by-one decisions against one bulk transaction.
import { candidatePage } from '@tuban/core/db/candidates';
import type { User } from '@tuban/core/db/users';
import { createTestDatabase } from '@tuban/core/testing/database';
import { decide, decideMany } from '@tuban/core/triage/decide';
import { todayInShanghai } from '@tuban/core/triage/rules';
import { seedDemoCandidates } from '@tuban/data/candidates';
import { seedGeodata } from '@tuban/data/seed';
import { median } from './stats.js';

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const db = await createTestDatabase('bench_triage');
try {
  const { rows } = await db.pool.query<User>(
    `INSERT INTO users (username, display_name, role, password_hash) VALUES ('bench', 'bench', 'office', 'x')
     RETURNING id, username, display_name AS "displayName", role, street_code AS "streetCode"`,
  );
  const user = rows[0]!;
  await seedGeodata(db.pool, { actorId: user.id });
  await seedDemoCandidates(db.pool, { actorId: user.id, seed: 1, count: 2000 });
  const today = todayInShanghai();
  const settings = { today, deadlineDays: 30, fieldCheckDays: 7 };
  const page = (sort: 'priority' | 'newest') => candidatePage(db.pool, today, { status: 'new' }, { sort, limit: 100, offset: 0 });
  for (let i = 0; i < 3; i++) await page('priority');

  const priority: number[] = [];
  const newest: number[] = [];
  for (let i = 0; i < 30; i++) {
    priority.push(await time(() => page('priority')));
    newest.push(await time(() => page('newest')));
  }

  const ids = (await db.pool.query<{ id: number }>('SELECT id FROM candidates ORDER BY id')).rows.map((r) => r.id);
  const confirm: number[] = [];
  const dismiss: number[] = [];
  for (let i = 0; i < 100; i++) {
    confirm.push(await time(() => decide(db.pool, user, ids[i]!, { status: 'confirmed' }, settings)));
    dismiss.push(await time(() => decide(db.pool, user, ids[100 + i]!, { status: 'dismissed', reason: 'false_positive' }, settings)));
  }
  const single: number[] = [];
  for (let i = 0; i < 100; i++) single.push(await time(() => decide(db.pool, user, ids[200 + i]!, { status: 'field_check' }, settings)));
  const bulkIds = ids.slice(300, 800);
  const bulkMs = await time(() => decideMany(db.pool, user, bulkIds, { status: 'field_check' }, settings));

  const f = (n: number) => n.toFixed(2);
  console.log(`candidates: ${ids.length} (queue page of 100, status new)`);
  console.log(`queue page, priority sort: median ${f(median(priority))} ms; creation-time sort (reference) ${f(median(newest))} ms; ratio ${f(median(priority) / median(newest))}`);
  console.log(`decision confirmed (registry item + case number + 2 events): median ${f(median(confirm))} ms`);
  console.log(`decision dismissed: median ${f(median(dismiss))} ms`);
  console.log(`field_check one by one: median ${f(median(single))} ms per candidate (reference)`);
  console.log(`field_check bulk of ${bulkIds.length} in one transaction: ${f(bulkMs / bulkIds.length)} ms per candidate; ratio to one by one ${f(bulkMs / bulkIds.length / median(single))}`);
} finally {
  await db.drop();
}
