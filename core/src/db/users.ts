import type { Role } from '../domain.js';
import type { Queryable } from './pool.js';

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  streetCode: string | null;
}

const USER_COLUMNS = `id, username, display_name AS "displayName", role, street_code AS "streetCode"`;

export async function findUserById(db: Queryable, id: number): Promise<User | undefined> {
  const { rows } = await db.query<User>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1 AND NOT disabled`, [id]);
  return rows[0];
}

export async function findUserCredentials(
  db: Queryable,
  username: string,
): Promise<(User & { passwordHash: string }) | undefined> {
  const { rows } = await db.query<User & { passwordHash: string }>(
    `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM users WHERE username = $1 AND NOT disabled`,
    [username],
  );
  return rows[0];
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  streetCode: string | null;
  passwordHash: string;
}

/** Creates the user, or updates role, name, street and password of an existing one with that username. */
export async function upsertUser(db: Queryable, user: NewUser): Promise<User> {
  const { rows } = await db.query<User>(
    `INSERT INTO users (username, display_name, role, street_code, password_hash)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
       street_code = EXCLUDED.street_code, password_hash = EXCLUDED.password_hash, disabled = false
     RETURNING ${USER_COLUMNS}`,
    [user.username, user.displayName, user.role, user.streetCode, user.passwordHash],
  );
  return rows[0]!;
}

export async function countUsersByRole(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query<{ role: string; n: number }>(
    'SELECT role, count(*)::int AS n FROM users WHERE NOT disabled GROUP BY role',
  );
  return Object.fromEntries(rows.map((r) => [r.role, r.n]));
}
