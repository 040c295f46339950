import pg from 'pg';

export type Pool = pg.Pool;
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface PoolOptions {
  /** Tables are looked up in this schema first (tests run each in a schema of their own). */
  schema?: string;
  max?: number;
  /** Overrides the application name the connections show (see applicationName). */
  applicationName?: string;
}

// int8 (bigserial ids, counts) as JS numbers: ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// numeric as number for areas and scores computed in SQL.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** The application name a pool's connections show in pg_stat_activity: `tuban`, or `tuban:<schema>` in tests. */
export function applicationName(schema?: string): string {
  return schema ? `tuban:${schema}` : 'tuban';
}

export function createPool(databaseUrl: string, options: PoolOptions = {}): Pool {
  const searchPath = options.schema ? `-c search_path=${options.schema},public` : undefined;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    options: searchPath,
    application_name: options.applicationName ?? applicationName(options.schema),
  });
  // An idle connection that dies (the server restarts) is dropped from the pool; without a listener the
  // error would end the process. Queries under way fail on their own and their jobs are retried.
  pool.on('error', (err) => console.warn(`PostgreSQL connection lost (${err.message}); the pool reconnects on the next query`));
  // The same for a connection that dies while checked out between two queries (inside a transaction).
  pool.on('connect', (client) => client.on('error', (err) => console.warn(`PostgreSQL connection lost (${err.message})`)));
  return pool;
}

export async function withTransaction<T>(pool: Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
