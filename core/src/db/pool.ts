import pg from 'pg';

export type Pool = pg.Pool;
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface PoolOptions {
  /** Tables are looked up in this schema first (tests run each in a schema of their own). */
  schema?: string;
  max?: number;
}

// int8 (bigserial ids, counts) as JS numbers: ids stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// numeric as number for areas and scores computed in SQL.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

export function createPool(databaseUrl: string, options: PoolOptions = {}): Pool {
  const searchPath = options.schema ? `-c search_path=${options.schema},public` : undefined;
  return new pg.Pool({ connectionString: databaseUrl, max: options.max ?? 10, options: searchPath });
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
