// Importing a hotline export (dry run: read, place, report) against a registry of 100,000 addressed items:
// rows with coordinates (the reference) beside rows placed by their address, same run.
// Run by hand: npx tsx bench/complaints.ts [--items N] [--rows N] [--runs N]
// Builds its data in a schema of its own on DATABASE_URL and drops it at the end.
import { parseArgs } from 'node:util';
import { importComplaintRows } from '@tuban/core/complaints/import';
import type { Cell } from '@tuban/core/complaints/fields';
import { createTestDatabase } from '@tuban/core/testing/database';
import { medianTime } from './stats.js';

const { values } = parseArgs({ options: { items: { type: 'string', default: '100000' }, rows: { type: 'string', default: '1000' }, runs: { type: 'string', default: '3' } } });
const ITEMS = Number(values.items);
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);

const median = (fn: () => Promise<unknown>) => medianTime(RUNS, fn);

const t = await createTestDatabase('bench_complaints');
try {
  await t.pool.query(`INSERT INTO streets (code, name, kind, boundary_source, geom)
    SELECT '3101070' || lpad(i::text, 2, '0'), 'bench' || i || '街道', 'subdistrict', 'bench',
      ST_Multi(ST_MakeEnvelope(121.33 + (i % 5) * 0.024, 31.22 + (i / 5) * 0.04, 121.354 + (i % 5) * 0.024, 31.26 + (i / 5) * 0.04, 4326))
    FROM generate_series(0, 9) i`);
  const actor = (await t.pool.query<{ id: number }>(`INSERT INTO users (username, display_name, role, password_hash) VALUES ('office', 'office', 'office', 'x') RETURNING id`)).rows[0]!.id;
  // road r (1..200) of street r % 10, lane and number from g: every address names one item
  await t.pool.query(
    `INSERT INTO registry_items (case_no, street_code, geom, floor_area_m2, building_type, origin, source, status, found_on, address, created_by)
     SELECT 'B-' || g, '3101070' || lpad((g % 10)::text, 2, '0'), ST_Multi(ST_MakeEnvelope(x, y, x + 0.0002, y + 0.0002, 4326)), 50,
       'steel_shed', 'stock', 'survey', 'open', date '2020-01-01',
       'bench' || (g % 10) || '街道' || '测试' || (g % 200) || '路' || (g / 200) || '弄' || (g % 7 + 1) || '号', $2
     FROM generate_series(1, $1::int) g,
       LATERAL (SELECT 121.33 + ((g % 10) % 5) * 0.024 + ((g::bigint * 7919) % 1000) / 1000.0 * 0.0235 AS x,
                       31.22 + ((g % 10) / 5) * 0.04 + ((g::bigint * 104729) % 1000) / 1000.0 * 0.0395 AS y) v`,
    [ITEMS, actor],
  );
  const step = Math.max(1, Math.floor(ITEMS / ROWS));
  const rows = (withPoint: boolean) =>
    Array.from({ length: ROWS }, (_, i) => {
      const g = 1 + i * step;
      const cells: Record<string, Cell> = {
        工单编号: `B${i}`, 受理时间: '2026-03-02 10:00', 诉求内容: '违建',
        地址: `上海市普陀区测试${g % 200}路${Math.floor(g / 200)}弄${(g % 7) + 1}号旁`,
      };
      if (withPoint) cells.坐标 = '121.35,31.24';
      return { line: i + 2, cells };
    });
  const opts = { fileName: 'bench.csv', crs: 'wgs84' as const, dryRun: true, actorId: actor };
  const check = await importComplaintRows(t.pool, rows(false), opts);
  console.log(`${ITEMS} registry items, ${ROWS} rows: ${check.placed} placed by address, ${check.unplaced} unplaced`);
  await importComplaintRows(t.pool, rows(true), opts); // both paths warm before timing
  const ref = await median(() => importComplaintRows(t.pool, rows(true), opts));
  const byAddress = await median(() => importComplaintRows(t.pool, rows(false), opts));
  console.log(`medians of ${RUNS} runs`);
  console.log(`rows with coordinates (ref)   ${ref.toFixed(0).padStart(7)} ms  ${((ROWS / ref) * 1000).toFixed(0).padStart(6)} rows/s`);
  console.log(`rows placed by address        ${byAddress.toFixed(0).padStart(7)} ms  ${((ROWS / byAddress) * 1000).toFixed(0).padStart(6)} rows/s  ${(byAddress / ref).toFixed(2)}× ref`);
} finally {
  await t.drop();
}
