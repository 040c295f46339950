import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { lonLatToTile } from '@tuban/core/geo/tiles';
import { insertTestCandidate, insertTestDetectionRun, insertTestImagery } from '@tuban/core/testing/fixtures';
import { imageryItem, imageryTileStore } from '@tuban/core/tiles/tile-store';
import { STREET_A, useHarness } from './harness.js';

const Z = 18;
const h = useHarness('chips');
let candidateId: number;

async function imageryWithTiles(colour: { r: number; g: number; b: number }, sha: string, capturedAt: string): Promise<number> {
  const id = await insertTestImagery(h.db, { status: 'ready', fileName: 'x.tif', sha256: sha.repeat(64), capturedAt, uploadedBy: h.users.admin!.id, tileFormat: 'webp' });
  const centre = lonLatToTile(121.3851, 31.2551, Z);
  const writer = await imageryTileStore(h.dataDir).begin(imageryItem(id), 'webp');
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const tile = await sharp({ create: { width: 256, height: 256, channels: 4, background: { ...colour, alpha: 1 } } }).webp().toBuffer();
      await writer.put({ z: Z, x: centre.x + dx, y: centre.y + dy }, tile);
    }
  }
  await writer.publish();
  return id;
}

beforeAll(async () => {
  const beforeImageryId = await imageryWithTiles({ r: 200, g: 0, b: 0 }, 'c', '2025-01-01T00:00:00Z');
  const afterImageryId = await imageryWithTiles({ r: 0, g: 0, b: 200 }, 'd', '2026-01-01T00:00:00Z');
  const runId = await insertTestDetectionRun(h.db, { afterImageryId, modelName: 'm', modelVersion: '1', zoom: Z, createdBy: h.users.admin!.id });
  // About 20 m × 20 m inside street A.
  candidateId = await insertTestCandidate(h.db, {
    runId, geom: [121.385, 31.255, 121.3852, 31.2552], scoreMean: 0.8, scoreMax: 0.9, modelVersion: '1', streetCode: STREET_A,
    beforeImageryId, afterImageryId,
  });
});

describe('candidate chips', () => {
  it('cuts before and after crops around the candidate, with context, from the tile pyramids', async () => {
    const cookie = await h.login('office');
    for (const [which, expected] of [['before', 200], ['after', 0]] as const) {
      const res = await h.app.inject({ url: `/api/candidates/${candidateId}/chips/${which}.webp`, headers: { cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/webp');
      const { data, info } = await sharp(res.rawPayload).raw().toBuffer({ resolveWithObject: true });
      // 0.0002° ≈ 19 m ≈ 37 px at z18, plus 32 px of context each side.
      expect(info.width).toBeGreaterThan(90);
      expect(info.width).toBeLessThan(115);
      expect(Math.abs(data[0]! - expected)).toBeLessThan(10);
    }
  });

  it('hides another street\'s candidate from a squad and names a missing one', async () => {
    const squadB = await h.login('squad-b');
    expect((await h.app.inject({ url: `/api/candidates/${candidateId}/chips/after.webp`, headers: { cookie: squadB } })).statusCode).toBe(404);
    const office = await h.login('office');
    const missing = await h.app.inject({ url: '/api/candidates/999999/chips/after.webp', headers: { cookie: office } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toContain('999999');
  });
});
