// Password guessing is slowed, then locked, per account and per address; unknown users cost the same work.
import { describe, expect, it } from 'vitest';
import { PASSWORD, useHarness } from './harness.js';

const h = useHarness('login_guard', { LOGIN_LOCK_AFTER: 10, LOGIN_LOCK_MINUTES: 0.2, LOGIN_DELAY_MS: 20 });

const login = (username: string, password: string, ip = '203.0.113.7') =>
  h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

describe('login guard', () => {
  it('locks an account after 10 wrong passwords in a row, also against the right one, until the lock runs out', async () => {
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 10; i++) statuses.push((await login('squad-a', 'wrong')).statusCode);
    expect(statuses).toEqual(Array(10).fill(401));
    // failures 3..10 wait 20, 40, ... 2560 ms before answering: the delay grows.
    expect(Date.now() - started).toBeGreaterThan(5000);
    const locked = await login('squad-a', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.json().error).toMatchObject({ code: 'too_many_attempts', params: { minutes: expect.any(Number) } });
    // Another account from another address is not affected.
    expect((await login('office', PASSWORD, '198.51.100.1')).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 12_500));
    expect((await login('squad-a', PASSWORD)).statusCode).toBe(200);
  }, 40_000);

  it('writes every attempt to the audit log', async () => {
    const { rows } = await h.db.query<{ outcome: string; n: number }>(
      `SELECT outcome, count(*)::int AS n FROM login_events WHERE username = 'squad-a' GROUP BY outcome ORDER BY outcome`,
    );
    expect(rows).toEqual([
      { outcome: 'locked', n: 1 },
      { outcome: 'success', n: 1 },
      { outcome: 'wrong_password', n: 10 },
    ]);
  });

  it('spends the same work on an unknown user as on a known one', async () => {
    // CPU time of this process, not wall time: what a login costs the server, whatever else the machine runs.
    const work = async (username: string) => {
      const before = process.cpuUsage();
      await login(username, 'not-the-password', '192.0.2.50');
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    };
    let known = 0;
    let unknown = 0;
    // Alternating, two tries per account so that no delay starts.
    const accounts = ['viewer', 'admin', 'squad-b', 'office'];
    for (let i = 0; i < 8; i++) {
      known += await work(accounts[i % 4]!);
      unknown += await work(`ghost${i}`);
    }
    // Without the decoy hash an unknown user cost about 3 % of a known one; one scrypt hash each is about 1.
    const ratio = unknown / known;
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
  });
});
