// Usage: tsx data/src/seed-cli.ts [--logins FILE] [--seed N]
// Seeds the demo streets, the demo users (with --logins: their passwords are kept in FILE), villa compounds
// and registry items (no candidates: those come from detection). Re-running adds nothing. TUBAN_ADMIN_PASSWORD, when set, becomes the admin's password.
import { parseArgs } from 'node:util';
import { loadConfig } from '@tuban/core/config';
import { createPool, withTransaction } from '@tuban/core/db/pool';
import { ensureDemoUsers } from './demo-users.js';
import { seedGeodata, seedStreets } from './seed.js';
import { removeStandInCandidates } from './candidates.js';
import { DEFAULT_SEED } from './registry.js';

const { values } = parseArgs({ options: { logins: { type: 'string' }, seed: { type: 'string' } } });
const seed = values.seed === undefined ? undefined : Number(values.seed);
if (seed !== undefined && !Number.isInteger(seed)) {
  console.error(`seed: --seed needs an integer, got "${values.seed}"`);
  process.exit(1);
}

const pool = createPool(loadConfig().DATABASE_URL, { max: 1 });
try {
  const started = performance.now();
  await seedStreets(pool);
  if (values.logins) {
    const logins = await ensureDemoUsers(pool, {
      loginsFile: values.logins,
      adminPassword: process.env.TUBAN_ADMIN_PASSWORD || undefined,
    });
    console.log(`seed: ${logins.length} demo users ready (passwords in ${values.logins})`);
  }
  const { rows } = await pool.query<{ id: number }>(
    "SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id LIMIT 1",
  );
  if (!rows[0]) {
    console.error('seed: no admin user yet; run with --logins FILE to create the demo users first');
    process.exit(1);
  }
  const actorId = rows[0].id;
  const counts = await withTransaction(pool, (client) => seedGeodata(client, { actorId, seed }));
  // The demo's candidates come from a real detection run over its imagery; stand-ins of earlier seeds go.
  const removed = await withTransaction(pool, (client) => removeStandInCandidates(client));
  if (removed > 0) console.log(`seed: removed ${removed} generated stand-in candidates of an earlier seed`);
  const ms = Math.round(performance.now() - started);
  console.log(
    `seed: done in ${ms} ms; added ${counts.streets} streets, ${counts.villaCompounds} villa compounds, ${counts.registryItems} registry items`,
  );
} finally {
  await pool.end();
}
