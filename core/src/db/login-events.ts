import type { Queryable } from './pool.js';

export type LoginOutcome = 'success' | 'wrong_password' | 'unknown_user' | 'locked';

export interface LoginEvent {
  username: string;
  userId: number | null;
  address: string;
  outcome: LoginOutcome;
}

export async function insertLoginEvent(db: Queryable, e: LoginEvent): Promise<void> {
  await db.query('INSERT INTO login_events (username, user_id, address, outcome) VALUES ($1, $2, $3, $4)', [
    e.username.slice(0, 200),
    e.userId,
    e.address,
    e.outcome,
  ]);
}
