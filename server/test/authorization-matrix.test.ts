// Every documented route × every role: who is admitted is written down here, once, and checked against the
// running app. A route added without an entry fails this test until someone decides who may call it.
import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@tuban/core/domain';
import { insertTestUser } from '@tuban/core/testing/fixtures';
import { PASSWORD, useHarness } from './harness.js';

type Who = 'public' | 'any' | readonly Role[];
const ANY: Who = 'any';
const PUBLIC: Who = 'public';
const OFFICE: Who = ['admin', 'office'];
const ADMIN: Who = ['admin'];
const READERS: Who = ['admin', 'office', 'viewer'];
const FIELD: Who = ['admin', 'office', 'squad'];
const FLIGHTS: Who = ['admin', 'office', 'pilot'];
const CASE_READERS: Who = ['admin', 'office', 'squad', 'viewer'];

/** Who may call each documented route. */
const MATRIX: Record<string, Who> = {
  'DELETE /api/tokens/{id}': ANY,
  'GET /api/annual-targets': ANY,
  'GET /api/annual-targets/progress': ANY,
  'GET /api/auth/me': PUBLIC,
  'GET /api/candidates': ANY,
  'GET /api/candidates/{id}': ANY,
  'GET /api/candidates/{id}/chips/{which}': ANY,
  'GET /api/candidates/{id}/evidence.zip': CASE_READERS,
  'GET /api/config': PUBLIC,
  'GET /api/dashboard': READERS,
  'GET /api/detection-runs': ANY,
  'GET /api/detection-runs/{id}': ANY,
  'GET /api/exports': READERS,
  'GET /api/exports/{id}': READERS,
  'GET /api/exports/{id}/files/{name}': READERS,
  'GET /api/flights': FLIGHTS,
  'GET /api/flights/stats': ANY,
  'GET /api/coverage/cells': ANY,
  'GET /api/coverage/streets': ANY,
  'GET /api/refly-suggestions': FLIGHTS,
  'GET /api/refly-suggestions/export/{format}': FLIGHTS,
  'POST /api/refly-suggestions/refresh': FLIGHTS,
  'GET /api/flights/{id}': FLIGHTS,
  'GET /api/health': PUBLIC,
  'GET /api/hotspots': ANY,
  'GET /api/hotspots/progress': ANY,
  'GET /api/imagery': ANY,
  'GET /api/imagery/timeline': ANY,
  'GET /api/imagery/{id}': ANY,
  'GET /api/imagery/{id}/events': ANY,
  'GET /api/imagery/{id}/photo.jpg': ANY,
  'GET /api/imagery/{id}/thumbnail.webp': ANY,
  'GET /api/monthly-index': ANY,
  'GET /api/monthly-index/drill': ANY,
  'GET /api/photos': ANY,
  'GET /api/photos/{id}': ANY,
  'GET /api/registry': ANY,
  'GET /api/registry/export': ANY,
  'GET /api/registry/{id}/history': ANY,
  'GET /api/search': ANY,
  'GET /api/squad/counts': FIELD,
  'GET /api/registry/{id}/evidence.zip': CASE_READERS,
  'GET /api/squad/tasks': ANY,
  'GET /api/streets': ANY,
  'GET /api/tokens': ANY,
  'GET /api/uploads/{id}': FLIGHTS,
  'GET /ogc': ANY,
  'GET /ogc/collections': ANY,
  'GET /ogc/collections/{id}': ANY,
  'GET /ogc/collections/{id}/items': ANY,
  'GET /ogc/collections/{id}/items/{fid}': ANY,
  'GET /ogc/conformance': ANY,
  'GET /tiles/imagery/{id}/{z}/{x}/{y}.{ext}': ANY,
  'GET /tiles/{layer}/{z}/{x}/{y}.mvt': ANY,
  'PATCH /api/flights/{id}': FLIGHTS,
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/logout': PUBLIC,
  'POST /api/candidates/decisions': OFFICE,
  'POST /api/candidates/{id}/decision': FIELD,
  'POST /api/candidates/{id}/field-check': FIELD,
  'POST /api/candidates/{id}/review': OFFICE,
  'POST /api/candidates/{id}/undo': FIELD,
  'POST /api/detection-runs': OFFICE,
  'POST /api/exports/monthly-index': OFFICE,
  'POST /api/flights': FLIGHTS,
  'POST /api/registry/import': OFFICE,
  'POST /api/registry/{id}/disposition': FIELD,
  'POST /api/registry/{id}/reassign': OFFICE,
  'POST /api/tokens': ANY,
  'PUT /api/annual-targets/{year}/{scope}': OFFICE,
  'GET /api/drills/summary': OFFICE,
  'GET /api/drills/{id}': OFFICE,
  'POST /api/drills': OFFICE,
  'POST /api/drills/{id}/answers': OFFICE,
  'GET /api/model-versions': OFFICE,
  'POST /api/model-versions/rollback': ADMIN,
  'POST /api/model-versions/{version}/promote': ADMIN,
  'POST /api/candidates/manual': OFFICE,
  'PUT /api/candidates/{id}/outline': OFFICE,
  'POST /api/training-sets': OFFICE,
  'GET /api/uploads': FLIGHTS,
  'POST /api/imagery/{id}/accept': ADMIN,
  'POST /api/registry/{id}/photos': FIELD,
  'GET /api/training-sets/{jobId}': OFFICE,
  'POST /api/models/train': ADMIN,
  'GET /api/models/train/{jobId}': ADMIN,
  'POST /api/complaints/import': OFFICE,
  'POST /api/complaints': OFFICE,
  'GET /api/complaints': FIELD,
  'GET /api/complaints/{id}': FIELD,
  'POST /api/complaints/{id}/place': OFFICE,
  'POST /api/complaints/{id}/dispatch': OFFICE,
  'POST /api/complaints/{id}/close': FIELD,
};

const h = useHarness('authz_matrix');
const cookies: Partial<Record<Role, string>> = {};
const usernames: Record<Role, string> = { admin: 'admin', office: 'office', viewer: 'viewer', squad: 'squad-a', pilot: 'pilot' };
let routes: string[] = [];

/** A concrete URL for a route pattern: ids that exist nowhere, and valid values where a pattern asks for them. */
function concrete(path: string): string {
  return path
    .replace('{which}', 'before.webp')
    .replace('{year}', '2025')
    .replace('{scope}', 'district')
    .replace('{format}', 'csv')
    .replace('{name}', 'x.csv')
    .replace('{collectionId}', 'registry')
    .replace(/\{(z)\}/, '18')
    .replace(/\{[^}]+\}/g, '999999');
}

async function status(route: string, role: Role | 'anonymous'): Promise<number> {
  const [method, path] = route.split(' ') as [string, string];
  const cookie = role === 'anonymous' ? undefined : cookies[role];
  const res = await h.app.inject({ method: method as 'GET', url: concrete(path), headers: cookie ? { cookie } : {} });
  return res.statusCode;
}

beforeAll(async () => {
  await insertTestUser(h.db, { username: 'pilot', role: 'pilot', password: PASSWORD });
  for (const role of ROLES) cookies[role] = await h.login(usernames[role]);
  const doc = (await h.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
});

describe('authorization matrix', () => {
  it('has an entry for every documented route', () => {
    const missing = routes.filter((r) => !(r in MATRIX));
    expect(missing, `routes without an entry in MATRIX:\n${missing.join('\n')}`).toEqual([]);
  });

  it('admits exactly the roles written down, and nobody anonymous unless the route is public', async () => {
    const violations: string[] = [];
    const observed: Record<string, string[]> = {};
    // Logging out would end the sessions the rest of the walk uses.
    for (const route of routes.filter((r) => r !== 'POST /api/auth/logout')) {
      const who = MATRIX[route];
      observed[route] = [];
      for (const role of ['anonymous', ...ROLES] as const) {
        const code = await status(route, role);
        const admitted = code !== 401 && code !== 403;
        if (admitted) observed[route]!.push(role);
        if (who === undefined) continue;
        const expected = who === PUBLIC || (role !== 'anonymous' && (who === ANY || (who as readonly Role[]).includes(role)));
        if (admitted !== expected) violations.push(`${route} as ${role}: ${code}`);
        if (code >= 500) violations.push(`${route} as ${role}: ${code}`);
      }
    }
    // PRINT_MATRIX=1 prints who each route admitted, to start an entry for a new route from.
    if (process.env.PRINT_MATRIX) console.log(JSON.stringify(observed, null, 1));
    expect(violations).toEqual([]);
  }, 120_000);
});
