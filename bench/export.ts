// Monthly index and all export files for one month over a registry of 1,000,000 items and 100,000 candidates.
// Run by hand: npx tsx bench/export.ts [--items N] [--candidates N] [--runs N]
// Builds its data in a schema of its own on DATABASE_URL and drops it at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Pool } from '@tuban/core/db/pool';
import { buildMonthlyExport, renderExport } from '@tuban/core/monthly-index/build-export';
import { LocalObjectStore } from '@tuban/core/storage/local-object-store';
import { loadExportData } from '@tuban/core/monthly-index/export-data';
import { monthlyIndex, monthlyIndexTrend } from '@tuban/core/monthly-index/index';
import { monthExportItems } from '@tuban/core/db/monthly-export';
import { loadIndexInputs } from '@tuban/core/db/monthly-index';
import { parseMonth } from '@tuban/core/monthly-index/month';
import { indexPdf } from '@tuban/core/monthly-index/export-pdf';
import { indexXlsx } from '@tuban/core/monthly-index/export-xlsx';
import { indexCsv, itemsCsv, itemsGeoJson } from '@tuban/core/monthly-index/export-text';
import { createTestDatabase } from '@tuban/core/testing/database';
import { medianTime, seedBenchStreets } from './stats.js';

const { values } = parseArgs({
  options: { items: { type: 'string', default: '1000000' }, candidates: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } },
});
const ITEMS = Number(values.items);
const CANDIDATES = Number(values.candidates);
const RUNS = Number(values.runs);
const MONTH = '2026-03';

async function seed(db: Pool): Promise<void> {
  await seedBenchStreets(db);
  await db.query(`INSERT INTO users (username, display_name, role, password_hash)
    SELECT 'u' || i, 'u' || i, CASE WHEN i = 0 THEN 'office' ELSE 'pilot' END, 'x' FROM generate_series(0, 8) i`);
  // found_on spreads over ~10.4 years to May 2026; 10 % new violations; statuses cycle through all five
  await db.query(
    `INSERT INTO registry_items (case_no, street_code, geom, floor_area_m2, building_type, origin, source, status,
       found_on, deadline, closed_on, created_by)
     SELECT 'B-' || g, '3101070' || lpad((g % 10)::text, 2, '0'),
       ST_Multi(ST_MakeEnvelope(x, y, x + 0.0002, y + 0.0002, 4326)), 20 + g % 400, 'steel_shed',
       CASE WHEN g % 10 = 0 THEN 'new' ELSE 'stock' END,
       (ARRAY['survey','drone','satellite','complaint_12345','patrol','city_patch'])[1 + (g / 10) % 6],
       st, f, CASE WHEN g % 20 = 0 THEN f + 30 END, CASE WHEN st IN ('demolished','legalized','confiscated') THEN f + (g % 90) END, 1
     FROM generate_series(1, $1::int) g,
       LATERAL (SELECT 121.33 + ((g % 10) % 5) * 0.024 + ((g::bigint * 7919) % 1000) / 1000.0 * 0.0235 AS x,
                       31.22 + ((g % 10) / 5) * 0.04 + ((g::bigint * 104729) % 1000) / 1000.0 * 0.0395 AS y,
                       (ARRAY['open','open','open','demolished','legalized','confiscated','annotated'])[1 + (g / 3) % 7] AS st,
                       date '2016-01-01' + (g % 3800) AS f) v`,
    [ITEMS],
  );
  await db.query(`INSERT INTO registry_events (item_id, actor_id, at, action, from_status, to_status)
    SELECT id, 1, (found_on + 10)::timestamp AT TIME ZONE 'Asia/Shanghai', 'disposition', 'open', 'annotated'
    FROM registry_items WHERE status = 'annotated' AND origin = 'new'`);
  await db.query(`INSERT INTO detection_runs (model_name, model_version, threshold, min_area_m2, zoom, created_by)
    VALUES ('bench', '1', 0.5, 10, 18, 1)`);
  await db.query(
    `INSERT INTO candidates (run_id, geom, status, dismiss_reason, score_mean, score_max, model_version, street_code, created_at)
     SELECT 1, ST_Multi(ST_MakeEnvelope(x, y, x + 0.0002, y + 0.0002, 4326)), st,
       CASE WHEN st = 'dismissed' THEN 'false_positive' END, 0.7, 0.9, '1', '3101070' || lpad((g % 10)::text, 2, '0'),
       timestamptz '2025-01-01 00:00+08' + (g % 510) * interval '1 day' + (g % 86400) * interval '1 second'
     FROM generate_series(1, $1::int) g,
       LATERAL (SELECT 121.33 + ((g % 10) % 5) * 0.024 + ((g::bigint * 7919) % 1000) / 1000.0 * 0.0235 AS x,
                       31.22 + ((g % 10) / 5) * 0.04 + ((g::bigint * 104729) % 1000) / 1000.0 * 0.0395 AS y,
                       (ARRAY['confirmed','known','dismissed','new'])[1 + g % 4] AS st) v`,
    [CANDIDATES],
  );
  await db.query(`INSERT INTO candidate_events (candidate_id, actor_id, at, from_status, to_status)
    SELECT id, 1, created_at + (id % 20) * interval '1 day', 'new', status FROM candidates WHERE status <> 'new'`);
  await db.query(`INSERT INTO flights (pilot_id, drone_model, flown_at, purpose, street_codes, created_by)
    SELECT 2 + g % 8, 'M3E', timestamptz '2025-01-01 09:00+08' + (g / 2) * interval '1 day', 'routine',
      ARRAY['3101070' || lpad((g % 10)::text, 2, '0')], 1 FROM generate_series(0, 1099) g`);
  await db.query(`INSERT INTO annual_targets (year, scope, target_m2, updated_by)
    SELECT 2026, code, 12000, 1 FROM streets`);
  await db.query('ANALYZE');
}

const median = (fn: () => Promise<unknown>) => medianTime(RUNS, fn);

const t = await createTestDatabase('bench_export');
const dir = mkdtempSync(join(tmpdir(), 'tuban-bench-export-'));
try {
  const t0 = performance.now();
  await seed(t.pool);
  console.log(`seeded ${ITEMS} items, ${CANDIDATES} candidates in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const index = await monthlyIndex(t.pool, MONTH);
  const d = index.rows[0]!;
  const data = await loadExportData(t.pool, MONTH, new Date());
  console.log(`${MONTH}: ${d.newCount} new, ${d.dueCount} due, ${d.closedOutCount} closed out, ${d.decisionCount} decisions, ${data.items.length} items in the export`);

  const ref = await median(() => t.pool.query('SELECT sum(floor_area_m2) FROM registry_items'));
  const inputs = await median(() => loadIndexInputs(t.pool, parseMonth(MONTH), 30));
  const idx = await median(() => monthlyIndex(t.pool, MONTH));
  const trend = await median(() => monthlyIndexTrend(t.pool, MONTH, 12));
  const itemsMs = await median(() => monthExportItems(t.pool, data.items.map((i) => i.id)));
  const load = await median(() => loadExportData(t.pool, MONTH, new Date()));
  const render = await median(() => renderExport(data));
  const all = await median(() => buildMonthlyExport(t.pool, { objects: new LocalObjectStore(dir), id: 1, month: MONTH, generatedAt: new Date() }));
  const row = (name: string, ms: number) => console.log(`${name.padEnd(46)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / ref).toFixed(2).padStart(6)}× ref`);
  console.log(`medians of ${RUNS} runs; ref = one full scan, SELECT sum(floor_area_m2) FROM registry_items`);
  row('reference: full scan of registry_items', ref);
  row('  of which reading its rows', inputs);
  row('monthly index (one month)', idx);
  row('export data (index + 12-month trend + items)', load);
  row('  12 months of index (months read concurrently)', trend);
  row('  the month’s items with geometry', itemsMs);
  row('render XLSX, CSV ×2, GeoJSON, PDF', render);
  row('  XLSX', await median(() => indexXlsx(data)));
  row('  CSV ×2 + GeoJSON', await median(async () => [indexCsv(data), itemsCsv(data), itemsGeoJson(data)]));
  row('  PDF', await median(() => indexPdf(data)));
  row('index and all exports, written to disk', all);
  console.log(all < 10_000 ? 'target < 10 s: met' : 'target < 10 s: NOT met');
} finally {
  rmSync(dir, { recursive: true, force: true });
  await t.drop();
}
