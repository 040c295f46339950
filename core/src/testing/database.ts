// Helpers for integration tests against the real PostGIS: each test file works in a schema of its own.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { createPool, type Pool } from '../db/pool.js';

export interface TestDatabase {
  pool: Pool;
  schema: string;
  drop(): Promise<void>;
}

/** A freshly migrated, empty schema on the configured database; drop() removes it and closes the pool. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const url = loadConfig().DATABASE_URL;
  const schema = `test_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = createPool(url, { max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pool = createPool(url, { schema, max: 5 });
  await migrate(pool);
  return {
    pool,
    schema,
    async drop() {
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    },
  };
}
