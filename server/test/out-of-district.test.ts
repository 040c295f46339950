// Imagery from outside the district: ingest records how far away it lies, detection refuses it with a coded
// reason (kept on the item for the uploader) until an admin accepts it, and the uploads list shows all that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markReady, setDetectionProblem } from '@tuban/core/db/imagery';
import { planDetectionRun } from '@tuban/core/detection/plan';
import { DomainError } from '@tuban/core/errors';
import { insertTestImagery } from '@tuban/core/testing/fixtures';
import { useHarness } from './harness.js';

const h = useHarness('out_of_district');
const MODEL = { name: 'test', version: 'ood-1', threshold: 0.5, metresPerPixel: 0.5, gsdRange: [0.3, 0.8] as [number, number] };
const cookies: Record<string, string> = {};

const ring = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];

/** Ready imagery over a box, as ingest leaves it. */
async function readyOver(box: [number, number, number, number], sha: string): Promise<number> {
  const id = await insertTestImagery(h.db, { uploadedBy: h.users.office!.id, sha256: sha.repeat(64), fileName: `${sha}.tif` });
  await h.db.query(
    "INSERT INTO uploads (id, user_id, file_name, size_bytes, sha256, imagery_id, duplicate) VALUES ($1, $2, $3, 1000, $4, $5, false)",
    [sha.repeat(32), h.users.office!.id, `${sha}.tif`, sha.repeat(64), id],
  );
  await markReady(h.db, id, {
    capturedAt: new Date('2026-05-01T02:00:00Z'), crs: 'EPSG:4326', gsdM: 0.5, widthPx: 100, heightPx: 100, bands: [],
    minZoom: 14, maxZoom: 18, tileFormat: 'webp', tileCount: 4, footprintRings: [ring(...box)], simplifyDeg: 0, extentRing: ring(...box),
  });
  return id;
}

let far = 0;
let inside = 0;
beforeAll(async () => {
  for (const u of ['admin', 'office']) cookies[u] = await h.login(u);
  // Munich: thousands of kilometres away; and one over the district's first street
  far = await readyOver([11.55, 48.13, 11.56, 48.14], 'a');
  inside = await readyOver([121.384, 31.254, 121.386, 31.256], 'b');
});

describe('imagery outside the district', () => {
  it('records how far outside it lies at ingest, and nothing for imagery in the district', async () => {
    const { rows } = await h.db.query<{ id: number; outside_district_m: number | null }>(
      'SELECT id, outside_district_m FROM imagery WHERE id = ANY($1) ORDER BY id',
      [[far, inside]],
    );
    expect(rows[0]!.outside_district_m! / 1000).toBeGreaterThan(8000);
    expect(rows[0]!.outside_district_m! / 1000).toBeLessThan(10_000);
    expect(rows[1]!.outside_district_m).toBeNull();
  });

  it('is not detected until an admin accepts it; the refusal is coded and shown in the uploads list', async () => {
    const refusal = await planDetectionRun(h.db, far, MODEL, h.users.office!.id).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(DomainError);
    const err = refusal as DomainError;
    expect(err.code).toBe('imagery_outside_district');
    expect(err.params).toEqual({ imageryId: far, distanceKm: expect.any(Number) });
    // the worker keeps the refusal on the item, as here
    await setDetectionProblem(h.db, far, { message: err.message, code: err.code, params: err.params });

    const list = await h.app.inject({ url: '/api/uploads', headers: { cookie: cookies.office! } });
    expect(list.statusCode).toBe(200);
    const row = list.json().items.find((i: { imageryId: number }) => i.imageryId === far);
    expect(row).toMatchObject({ status: 'ready', detectionErrorCode: 'imagery_outside_district', acceptedAt: null, runId: null });
    expect(row.outsideDistrictM).toBeGreaterThan(8_000_000);

    const byOffice = await h.app.inject({ method: 'POST', url: `/api/imagery/${far}/accept`, headers: { cookie: cookies.office! } });
    expect(byOffice.statusCode).toBe(403);
    const inDistrict = await h.app.inject({ method: 'POST', url: `/api/imagery/${inside}/accept`, headers: { cookie: cookies.admin! } });
    expect(inDistrict.statusCode).toBe(409);
    const accepted = await h.app.inject({ method: 'POST', url: `/api/imagery/${far}/accept`, headers: { cookie: cookies.admin! } });
    expect(accepted.json()).toEqual({ imageryId: far, accepted: true });
    const job = await h.app.queues.byName.detect.getJob(`plan-detection-${far}`);
    expect(job?.data).toEqual({ imageryId: far, requestedBy: h.users.admin!.id });
    const { run } = await planDetectionRun(h.db, far, MODEL, h.users.admin!.id);
    expect(run.afterImageryId).toBe(far);
  });
});
