// Waits for the demo server to answer, prints the demo logins, and with --summary checks the app end to end.
import { readFileSync } from 'node:fs';
import { demoDetection, type DemoDetection } from './demo-detection.js';

const port = process.env.PORT ?? '8080';
const base = `http://127.0.0.1:${port}`;
const args = new Set(process.argv.slice(2));

async function waitForHealth(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server at ${base} did not become healthy within ${timeoutMs / 1000}s: ${last}`);
}

async function adminCookie(logins: Record<string, string>): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: logins.admin }),
  });
  if (!login.ok) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  return login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

const detectionLine = (d: DemoDetection) =>
  `detection run ${d.runId} over ${d.tiles} tiles: ${d.candidates} candidates, planted changes found: ${d.found}/${d.planted} (` +
  Object.entries(d.byKind).map(([kind, k]) => `${kind} ${k.found}/${k.planted}`).join(', ') + ')';

async function summary(logins: Record<string, string>): Promise<string> {
  const cookie = await adminCookie(logins);
  const detection = await demoDetection(base, cookie);
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res;
  };
  const streets = (await (await get('/api/streets')).json()) as { features: unknown[] };
  const registry = (await (await get('/api/registry?limit=1')).json()) as { total: number };
  const hotspots = (await (await get('/api/hotspots')).json()) as { features: { properties: { villaItems: number } }[] };
  const villaItems = hotspots.features.reduce((n, f) => n + f.properties.villaItems, 0);
  const page = await fetch(`${base}/`);
  const web = page.ok && (await page.text()).includes('<div id="root"') ? 'web ok' : 'web NOT built';
  return `demo check ok: health ok, ${streets.features.length} streets, ${registry.total} registry items, ` +
    `${hotspots.features.length} villa compounds with ${villaItems} villa items, ${Object.keys(logins).length} demo users, ${web}, ` +
    detectionLine(detection);
}

const logins = JSON.parse(readFileSync('.data/demo-logins.json', 'utf8')) as Record<string, string>;
try {
  if (args.has('--wait')) await waitForHealth();
  console.log('\n  Demo logins (username  password):');
  for (const [user, password] of Object.entries(logins)) console.log(`    ${user.padEnd(12)} ${password}`);
  if (args.has('--summary')) console.log(`\n${await summary(logins)}`);
  else if (args.has('--imagery')) {
    try {
      console.log(`\n  ${detectionLine(await demoDetection(base, await adminCookie(logins)))}`);
    } catch (err) {
      console.error(`\n  demo imagery not detected: ${(err as Error).message}`);
    }
  }
} catch (err) {
  console.error(`demo check failed: ${(err as Error).message}`);
  process.exit(1);
}
