import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generatePassword, hashPassword, verifyPassword } from '@tuban/core/auth/secrets';
import type { Queryable } from '@tuban/core/db/pool';
import { listStreetSummaries } from '@tuban/core/db/streets';
import { findUserCredentials, upsertUser } from '@tuban/core/db/users';
import type { Role } from '@tuban/core/domain';

export interface DemoLogin {
  username: string;
  displayName: string;
  role: Role;
  streetCode: string | null;
  password: string;
}

/** One user per role plus a squad per street; squads are named by the last three digits of the street code. */
export async function demoAccounts(db: Queryable): Promise<Omit<DemoLogin, 'password'>[]> {
  const fixed: Omit<DemoLogin, 'password'>[] = [
    { username: 'admin', displayName: '系统管理员', role: 'admin', streetCode: null },
    { username: 'office', displayName: '拆违专办', role: 'office', streetCode: null },
    { username: 'pilot', displayName: '飞手', role: 'pilot', streetCode: null },
    { username: 'viewer', displayName: '区领导', role: 'viewer', streetCode: null },
  ];
  const squads = (await listStreetSummaries(db)).map((s) => ({
    username: `squad-${s.code.slice(-3)}`,
    displayName: `${s.name}中队`,
    role: 'squad' as const,
    streetCode: s.code,
  }));
  return [...fixed, ...squads];
}

/**
 * Creates the demo users, keeping passwords stable across runs through a local, git-ignored file.
 * A password is generated only for a user whose known password no longer matches (or is unknown);
 * `adminPassword`, when given, always becomes the admin's password.
 */
export async function ensureDemoUsers(
  db: Queryable,
  opts: { loginsFile: string; adminPassword?: string },
): Promise<DemoLogin[]> {
  const known = readLogins(opts.loginsFile);
  const logins: DemoLogin[] = [];
  for (const account of await demoAccounts(db)) {
    const wanted = account.username === 'admin' && opts.adminPassword ? opts.adminPassword : known[account.username];
    const existing = await findUserCredentials(db, account.username);
    const keep = wanted !== undefined && existing !== undefined && (await verifyPassword(wanted, existing.passwordHash));
    const password = wanted ?? generatePassword();
    if (!keep || existing?.role !== account.role || existing.streetCode !== account.streetCode) {
      await upsertUser(db, { ...account, passwordHash: await hashPassword(password) });
    }
    logins.push({ ...account, password });
  }
  writeFileSync(opts.loginsFile, JSON.stringify(Object.fromEntries(logins.map((l) => [l.username, l.password])), null, 2), {
    mode: 0o600,
  });
  return logins;
}

function readLogins(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
