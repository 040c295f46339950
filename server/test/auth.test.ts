import { describe, expect, it } from 'vitest';
import { PASSWORD, STREET_A, STREET_B, useHarness } from './harness.js';

const h = useHarness('auth');

describe('login and sessions', () => {
  it('logs in with the right password and sets an HttpOnly session cookie', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'office', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: 'office', role: 'office', streetCode: null });
    const cookie = res.cookies.find((c) => c.name === 'tuban_session')!;
    expect(cookie.httpOnly).toBe(true);
    const me = await h.app.inject({ url: '/api/auth/me', headers: { cookie: `tuban_session=${cookie.value}` } });
    expect(me.json().user.username).toBe('office');
  });

  it('refuses a wrong password and an unknown user alike, naming no detail', async () => {
    for (const payload of [
      { username: 'office', password: 'nope' },
      { username: 'ghost', password: PASSWORD },
    ]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'unauthorized', message: 'wrong username or password' } });
    }
  });

  it('rejects a login body without a password with a clear 400', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'office' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/password/);
  });

  it('stores only password hashes', async () => {
    const { rows } = await h.db.query<{ password_hash: string }>('SELECT password_hash FROM users');
    for (const r of rows) expect(r.password_hash).toMatch(/^scrypt\$/);
  });

  it('logs out: the old cookie no longer works', async () => {
    const cookie = await h.login('viewer');
    expect((await h.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    const out = await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect((await h.app.inject({ url: '/api/auth/me', headers: { cookie } })).json()).toEqual({ user: null });
  });

  it('requires login for data', async () => {
    const res = await h.app.inject({ url: '/api/registry' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });
});

describe('API tokens', () => {
  it('creates a token usable as Bearer, lists it without the secret, and revokes it', async () => {
    const cookie = await h.login('office');
    const created = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie }, payload: { name: 'uploader' } });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^tbn_/);

    const me = await h.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('office');

    const list = await h.app.inject({ url: '/api/tokens', headers: { cookie } });
    expect(list.json()).toEqual([expect.objectContaining({ id, name: 'uploader' })]);
    expect(list.body).not.toContain(token);
    expect(list.json()[0].lastUsedAt).not.toBeNull();

    expect((await h.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: { cookie } })).statusCode).toBe(204);
    const after = await h.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/revoked/);
  });

  it('does not let one user revoke another user\'s token', async () => {
    const office = await h.login('office');
    const { id } = (await h.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: office }, payload: { name: 'x' } })).json();
    const viewer = await h.login('viewer');
    const res = await h.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: { cookie: viewer } });
    expect(res.statusCode).toBe(404);
  });
});

describe('street scope of squads', () => {
  it('a squad sees its own street', async () => {
    const cookie = await h.login('squad-a');
    const res = await h.app.inject({ url: `/api/registry?street=${STREET_A}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.json().features.map((f: { properties: { caseNo: string } }) => f.properties.caseNo).sort()).toEqual(['T-A-1', 'T-A-V', 'T-A-W']);
  });

  it('a squad is denied another street', async () => {
    const cookie = await h.login('squad-a');
    const res = await h.app.inject({ url: `/api/registry?street=${STREET_B}`, headers: { cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain(STREET_B);
  });

  it('a squad asking for everything gets only its street', async () => {
    const cookie = await h.login('squad-b');
    const res = await h.app.inject({ url: '/api/registry', headers: { cookie } });
    expect(res.json().features.map((f: { properties: { caseNo: string } }) => f.properties.caseNo)).toEqual(['T-B-1']);
    const hotspots = await h.app.inject({ url: '/api/hotspots', headers: { cookie } });
    expect(hotspots.json().features).toHaveLength(0);
  });
});
