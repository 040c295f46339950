// Usage: tsx data/src/seed-cli.ts [--seed N]   (seeds demo streets, villa compounds and registry items)
import { loadConfig } from '@tuban/core/config';
import { createPool, withTransaction } from '@tuban/core/db/pool';
import { seedGeodata } from './seed.js';

const seedArg = process.argv.indexOf('--seed');
const seed = seedArg > 0 ? Number(process.argv[seedArg + 1]) : undefined;
if (seed !== undefined && !Number.isInteger(seed)) {
  console.error('seed: --seed needs an integer');
  process.exit(1);
}

const pool = createPool(loadConfig().DATABASE_URL, { max: 1 });
try {
  const { rows } = await pool.query<{ id: number }>(
    "SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id LIMIT 1",
  );
  if (!rows[0]) {
    console.error('seed: no admin user yet; create one first, the seeded rows record who created them');
    process.exit(1);
  }
  const actorId = rows[0].id;
  const started = performance.now();
  const counts = await withTransaction(pool, (client) => seedGeodata(client, { actorId, seed }));
  const ms = Math.round(performance.now() - started);
  console.log(`seeded in ${ms} ms: ${counts.streets} streets, ${counts.villaCompounds} villa compounds, ${counts.registryItems} registry items added`);
} finally {
  await pool.end();
}
