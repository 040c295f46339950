import { loadConfig } from '../config.js';
import { migrate } from './migrate.js';
import { createPool } from './pool.js';

const pool = createPool(loadConfig().DATABASE_URL, { max: 1 });
try {
  const applied = await migrate(pool);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database schema is up to date');
} finally {
  await pool.end();
}
