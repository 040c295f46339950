// Coverage, freshness and re-fly suggestions over the district with a few years of imagery.
// Run by hand: npx tsx bench/coverage.ts [--imagery N] [--items N] [--runs N]
// Builds its data in a schema of its own on DATABASE_URL and drops it at the end. The reference, measured in
// the same run, is the monthly index of one month (what the office already waits for on the index page).
import { parseArgs } from 'node:util';
import { streetFreshness } from '@tuban/core/coverage/freshness';
import { refreshedSuggestions } from '@tuban/core/coverage/refly';
import { DEFAULT_REFLY_RULES } from '@tuban/core/coverage/rules';
import { cellFreshness, monthCoverageByStreet } from '@tuban/core/db/coverage';
import { closeCoveredSuggestions } from '@tuban/core/db/refly';
import type { Pool } from '@tuban/core/db/pool';
import { monthlyIndex } from '@tuban/core/monthly-index/index';
import { parseMonth } from '@tuban/core/monthly-index/month';
import { createTestDatabase } from '@tuban/core/testing/database';
import { medianTime, seedBenchStreets } from './stats.js';

const { values } = parseArgs({
  options: { imagery: { type: 'string', default: '2000' }, items: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' } },
});
const IMAGERY = Number(values.imagery);
const ITEMS = Number(values.items);
const RUNS = Number(values.runs);
const AS_OF = new Date('2026-03-20T04:00:00Z');
const MONTH = '2026-03';

async function seed(db: Pool): Promise<void> {
  await seedBenchStreets(db);
  await db.query(`INSERT INTO users (username, display_name, role, password_hash) VALUES ('office', 'office', 'office', 'x')`);
  // drone mosaics of 0.2–1.2 km² (17-vertex outlines) over three years, every 12th a satellite scene of the whole district
  await db.query(
    `INSERT INTO imagery (kind, status, file_name, sha256, size_bytes, captured_at, footprint, uploaded_by)
     SELECT CASE WHEN g % 12 = 0 THEN 'satellite' ELSE 'drone' END, 'ready', 'b' || g || '.tif', md5(g::text) || md5((g + 1)::text), 1,
       timestamptz '2026-03-20 04:00Z' - make_interval(hours => ((g::bigint * 7919) % (3 * 365 * 24))::int),
       CASE WHEN g % 12 = 0 THEN ST_Multi(ST_MakeEnvelope(121.32, 31.21, 121.46, 31.31, 4326))
         ELSE ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(121.33 + ((g::bigint * 104729) % 1000) / 1000.0 * 0.12,
                                                         31.22 + ((g::bigint * 15485863) % 1000) / 1000.0 * 0.08), 4326),
                                 0.0025 + (g % 5) * 0.001, 4)) END, 1
     FROM generate_series(1, $1::int) g`,
    [IMAGERY],
  );
  // registry items, 1 in 50 demolished or confiscated within the last 120 days
  await db.query(
    `INSERT INTO registry_items (case_no, street_code, geom, floor_area_m2, building_type, origin, source, status, found_on, closed_on, created_by)
     SELECT 'B-' || g, '3101070' || lpad((g % 10)::text, 2, '0'), ST_Multi(ST_MakeEnvelope(x, y, x + 0.0002, y + 0.0002, 4326)), 50,
       'steel_shed', 'stock', 'survey', st, date '2020-01-01', CASE WHEN st <> 'open' THEN date '2026-03-20' - (g % 120) END, 1
     FROM generate_series(1, $1::int) g,
       LATERAL (SELECT 121.33 + ((g % 10) % 5) * 0.024 + ((g::bigint * 7919) % 1000) / 1000.0 * 0.0235 AS x,
                       31.22 + ((g % 10) / 5) * 0.04 + ((g::bigint * 104729) % 1000) / 1000.0 * 0.0395 AS y,
                       CASE WHEN g % 50 = 0 THEN (ARRAY['demolished', 'confiscated'])[1 + (g / 50) % 2] ELSE 'open' END AS st) v`,
    [ITEMS],
  );
  await db.query(`INSERT INTO detection_runs (model_name, model_version, threshold, min_area_m2, zoom, created_by) VALUES ('bench', '1', 0.5, 10, 18, 1)`);
  await db.query(`INSERT INTO candidates (run_id, geom, status, score_mean, score_max, model_version, updated_at)
    SELECT 1, ST_Multi(ST_MakeEnvelope(x, y, x + 0.0002, y + 0.0002, 4326)), 'field_check', 0.7, 0.9, '1', timestamptz '2026-03-20 04:00Z' - make_interval(days => g % 20)
    FROM generate_series(1, 300) g, LATERAL (SELECT 121.33 + (g % 97) / 97.0 * 0.11 AS x, 31.22 + (g % 89) / 89.0 * 0.075 AS y) v`);
  await db.query(`INSERT INTO villa_compounds (name, street_code, geom)
    SELECT 'villa-' || g, '3101070' || lpad(g::text, 2, '0'), ST_Multi(ST_MakeEnvelope(121.335 + g * 0.01, 31.23, 121.338 + g * 0.01, 31.233, 4326))
    FROM generate_series(0, 6) g`);
  await db.query('ANALYZE');
}

const median = (fn: () => Promise<unknown>) => medianTime(RUNS, fn);

const t = await createTestDatabase('bench_coverage');
try {
  console.log(`seeding ${IMAGERY} imagery footprints, ${ITEMS} registry items, 300 field checks, 7 villa compounds…`);
  await seed(t.pool);
  const cells = await cellFreshness(t.pool, AS_OF);
  const list = await refreshedSuggestions(t.pool, AS_OF);
  console.log(`${cells.length} cell pieces (${cells.filter((c) => c.daysSince === null).length} never flown); ${list.length} open suggestions`);

  const reference = await median(() => monthlyIndex(t.pool, MONTH));
  const rows: [string, number][] = [
    ['cell freshness (map layer, /api/coverage/cells)', await median(() => cellFreshness(t.pool, AS_OF))],
    ['per-street table (/api/coverage/streets)', await median(async () => streetFreshness(await cellFreshness(t.pool, AS_OF), 60))],
    ['month coverage 覆盖率 (one month, all streets)', await median(() => monthCoverageByStreet(t.pool, parseMonth(MONTH)))],
    ['refresh + list re-fly suggestions', await median(() => refreshedSuggestions(t.pool, AS_OF, DEFAULT_REFLY_RULES))],
    ['close suggestions after one ingest', await median(() => closeCoveredSuggestions(t.pool, 5))],
  ];
  console.log(`\nreference: monthly index of ${MONTH}: median ${reference.toFixed(1)} ms over ${RUNS} runs`);
  for (const [name, ms] of rows) console.log(`${name.padEnd(50)} median ${ms.toFixed(1).padStart(8)} ms   ${(ms / reference).toFixed(2)}× reference`);
} finally {
  await t.drop();
}
