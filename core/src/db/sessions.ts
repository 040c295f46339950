import type { Queryable } from './pool.js';
import type { User } from './users.js';

const JOINED_USER = `u.id, u.username, u.display_name AS "displayName", u.role, u.street_code AS "streetCode"`;

export async function insertSession(db: Queryable, tokenHash: string, userId: number, ttlHours: number): Promise<void> {
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`,
    [tokenHash, userId, ttlHours],
  );
}

export async function findSessionUser(db: Queryable, tokenHash: string): Promise<User | undefined> {
  const { rows } = await db.query<User>(
    `SELECT ${JOINED_USER} FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [tokenHash],
  );
  return rows[0];
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

export async function deleteExpiredSessions(db: Queryable): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sessions WHERE expires_at <= now()');
  return rowCount ?? 0;
}

export interface ApiToken {
  id: number;
  name: string;
  /** ISO 8601 */
  createdAt: string;
  lastUsedAt: string | null;
}

export async function insertApiToken(db: Queryable, userId: number, name: string, tokenHash: string): Promise<ApiToken> {
  const { rows } = await db.query<ApiToken>(
    `INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3)
     RETURNING id, name, to_json(created_at)#>>'{}' AS "createdAt", to_json(last_used_at)#>>'{}' AS "lastUsedAt"`,
    [userId, name, tokenHash],
  );
  return rows[0]!;
}

/** Finds the owner of a live token and stamps its last use in the same statement. */
export async function useApiToken(db: Queryable, tokenHash: string): Promise<User | undefined> {
  const { rows } = await db.query<User>(
    `WITH t AS (
       UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id)
     SELECT ${JOINED_USER} FROM t JOIN users u ON u.id = t.user_id WHERE NOT u.disabled`,
    [tokenHash],
  );
  return rows[0];
}

export async function listApiTokens(db: Queryable, userId: number): Promise<ApiToken[]> {
  const { rows } = await db.query<ApiToken>(
    `SELECT id, name, to_json(created_at)#>>'{}' AS "createdAt", to_json(last_used_at)#>>'{}' AS "lastUsedAt" FROM api_tokens
     WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id`,
    [userId],
  );
  return rows;
}

export async function revokeApiToken(db: Queryable, userId: number, tokenId: number): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
    [tokenId, userId],
  );
  return (rowCount ?? 0) > 0;
}
