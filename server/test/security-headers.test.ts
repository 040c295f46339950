// What a browser is told about the app (headers, cookies) and which cross-site requests the app refuses.
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, useHarness } from './harness.js';

const h = useHarness('security_headers', { BASEMAP_STYLE_URL: 'https://tiles.example.org/style.json' });
let office: string;
beforeAll(async () => {
  office = await h.login('office');
});

const setCookie = (headers: Record<string, unknown>) => String(headers['set-cookie'] ?? '');

describe('security headers', () => {
  it('sends a CSP that lets MapLibre run (its worker, blob URLs, the basemap) and forbids framing', async () => {
    const res = await h.app.inject({ url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toMatch(/connect-src 'self' https:\/\/tiles\.example\.org/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('gives the API docs a looser policy of their own, for their inline scripts', async () => {
    const res = await h.app.inject({ url: '/docs/static/index.html' });
    expect(String(res.headers['content-security-policy'])).toContain("script-src 'self' 'unsafe-inline'");
  });
});

describe('session cookie', () => {
  const login = (headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username: 'viewer', password: PASSWORD } });

  it('is HttpOnly and SameSite=Lax, without Secure over plain HTTP', async () => {
    const cookie = setCookie((await login()).headers);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('ignores X-Forwarded-Proto when proxies are not trusted', async () => {
    const behindProxy = await h.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-proto': 'https' }, payload: { username: 'viewer', password: PASSWORD } });
    expect(setCookie(behindProxy.headers)).not.toMatch(/Secure/);
  });
});

describe('same-origin check on state-changing requests', () => {
  const logout = (headers: Record<string, string>) => h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: office, ...headers } });

  it('refuses a request a browser marks as cross-site, or whose Origin is another host', async () => {
    const forged: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }, { origin: 'null' }];
    for (const headers of forged) {
      const res = await logout(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.message).toMatch(/refused a POST/);
    }
    // The session survived the forged logouts.
    expect((await h.app.inject({ url: '/api/auth/me', headers: { cookie: office } })).json().user.username).toBe('office');
  });

  it('lets same-origin browsers and non-browser clients through, and never checks reads', async () => {
    expect((await h.app.inject({ url: '/api/streets', headers: { cookie: office, 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
    const sameOrigin = await h.app.inject({
      method: 'POST', url: '/api/auth/login', headers: { origin: 'http://localhost:80', host: 'localhost:80', 'sec-fetch-site': 'same-origin' },
      payload: { username: 'viewer', password: PASSWORD },
    });
    expect(sameOrigin.statusCode).toBe(200);
    expect((await logout({})).statusCode).toBe(204);
  });
});

describe('behind a trusted proxy', () => {
  const proxied = useHarness('security_proxy', { TRUST_PROXY: true });

  it('marks the session cookie Secure when the proxy says the request came over HTTPS', async () => {
    const login = (proto: string) =>
      proxied.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-forwarded-proto': proto }, payload: { username: 'viewer', password: PASSWORD } });
    expect(setCookie((await login('https')).headers)).toMatch(/; Secure/);
    expect(setCookie((await login('http')).headers)).not.toMatch(/Secure/);
  });
});
