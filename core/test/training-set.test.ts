// Training-set export on the real PostGIS: decided candidates and undisturbed tiles become LEVIR-style chips
// with masks and a manifest; the same data gives byte-identical output; the validation split never moves.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DismissReason, CandidateStatus } from '../src/domain.js';
import { TILE_SIZE, lonLatToTile, tileBounds } from '../src/geo/tiles.js';
import { globalPixelToLonLat } from '../src/geo/web-mercator-pixels.js';
import { candidateSplit } from '../src/learning/labels.js';
import { exportTrainingSet, type TrainingSetManifest } from '../src/learning/training-set.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.js';
import {
  insertTestCandidate,
  insertTestCandidateEvent,
  insertTestDetectionRun,
  insertTestDetectionTiles,
  insertTestImagery,
  insertTestUser,
} from '../src/testing/fixtures.js';
import { imageryTileReader } from '../src/tiles/imagery-tile-reader.js';
import { imageryItem, LocalTileStore } from '../src/tiles/tile-store.js';

const Z = 18;
const GRID = 6;
const origin = lonLatToTile(121.39, 31.255, Z);
let t: TestDatabase;
let dir: string;
let officeId: number;
let afterId: number;
let runId: number;
const readTile = () => imageryTileReader(t.pool, new LocalTileStore(join(dir, 'tiles')));

/** A 40×30 px building in global pixels at Z, placed in tile (tx, ty) of the grid. */
function building(tx: number, ty: number): { px: [number, number, number, number]; geom: GeoJSON.Polygon } {
  const x0 = (origin.x + tx) * TILE_SIZE + 100, y0 = (origin.y + ty) * TILE_SIZE + 110;
  const px: [number, number, number, number] = [x0, y0, x0 + 40, y0 + 30];
  const c = (x: number, y: number) => globalPixelToLonLat(x, y, Z);
  return { px, geom: { type: 'Polygon', coordinates: [[c(x0, y0), c(x0 + 40, y0), c(x0 + 40, y0 + 30), c(x0, y0 + 30), c(x0, y0)]] } };
}

/** Textured ground; the after image also shows a bright roof over each new building. */
async function writePyramid(store: LocalTileStore, imageryId: number, roofs: [number, number, number, number][]): Promise<void> {
  const writer = await store.begin(imageryItem(imageryId), 'png');
  for (let ty = 0; ty < GRID; ty++)
    for (let tx = 0; tx < GRID; tx++) {
      const px = Buffer.alloc(TILE_SIZE * TILE_SIZE * 3);
      for (let y = 0; y < TILE_SIZE; y++)
        for (let x = 0; x < TILE_SIZE; x++) {
          const gx = (origin.x + tx) * TILE_SIZE + x, gy = (origin.y + ty) * TILE_SIZE + y;
          const roof = roofs.some(([a, b, c, d]) => gx >= a && gx < c && gy >= b && gy < d);
          const v = roof ? 235 : 60 + ((gx * 7 + gy * 13) % 50);
          px.fill(v, (y * TILE_SIZE + x) * 3, (y * TILE_SIZE + x) * 3 + 3);
        }
      await writer.put({ z: Z, x: origin.x + tx, y: origin.y + ty }, await sharp(px, { raw: { width: TILE_SIZE, height: TILE_SIZE, channels: 3 } }).png().toBuffer());
    }
  await writer.publish();
}

async function decided(tx: number, ty: number, status: CandidateStatus, dismissReason?: DismissReason): Promise<number> {
  const id = await insertTestCandidate(t.pool, { runId, geom: building(tx, ty).geom, status, dismissReason, beforeImageryId: afterId - 1, afterImageryId: afterId });
  rectOf.set(id, building(tx, ty).px);
  if (status !== 'new') await insertTestCandidateEvent(t.pool, { candidateId: id, actorId: officeId, fromStatus: 'new', toStatus: status, at: '2026-11-02T03:00:00Z' });
  return id;
}

const SPOTS: [number, number, CandidateStatus, DismissReason?][] = [
  [0, 0, 'confirmed'], [1, 0, 'known'], [2, 0, 'dismissed', 'false_positive'], [3, 0, 'confirmed'],
  [0, 2, 'confirmed'], [1, 2, 'dismissed', 'legal_permit'], [2, 2, 'dismissed', 'temporary'], [3, 2, 'new'],
  [0, 4, 'confirmed'], [1, 4, 'dismissed', 'false_positive'], [2, 4, 'known'], [3, 4, 'dismissed', 'imagery_problem'],
];
const ids: number[] = [];
const rectOf = new Map<number, [number, number, number, number]>();

beforeAll(async () => {
  t = await createTestDatabase('training_set');
  dir = await mkdtemp(join(tmpdir(), 'tuban-training-set-'));
  officeId = await insertTestUser(t.pool, { username: 'office', role: 'office' });
  const [w, , , n] = tileBounds({ z: Z, x: origin.x, y: origin.y });
  const [, s, e] = tileBounds({ z: Z, x: origin.x + GRID - 1, y: origin.y + GRID - 1 });
  const footprint = [w!, s!, e!, n!] as const;
  const beforeId = await insertTestImagery(t.pool, { uploadedBy: officeId, status: 'ready', tileFormat: 'png', capturedAt: '2025-01-01T00:00:00Z', footprint });
  afterId = await insertTestImagery(t.pool, { uploadedBy: officeId, status: 'ready', tileFormat: 'png', capturedAt: '2026-06-01T00:00:00Z', footprint });
  expect(afterId).toBe(beforeId + 1);
  const store = new LocalTileStore(join(dir, 'tiles'));
  await writePyramid(store, beforeId, []);
  await writePyramid(store, afterId, SPOTS.filter(([, , s]) => s !== 'dismissed').map(([x, y]) => building(x, y).px));
  runId = await insertTestDetectionRun(t.pool, { createdBy: officeId, afterImageryId: afterId, zoom: Z, status: 'done' });
  const tiles = [];
  for (let ty = 0; ty < GRID; ty++) for (let tx = 0; tx < GRID; tx++) tiles.push({ x: origin.x + tx, y: origin.y + ty, beforeImageryId: beforeId });
  await insertTestDetectionTiles(t.pool, runId, tiles);
  for (const [x, y, status, reason] of SPOTS) ids.push(await decided(x, y, status, reason));
});

afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const labelled = (m: TrainingSetManifest) => m.chips.filter((c) => c.candidateId !== null);

describe('training-set export', () => {
  it('cuts a chip with its mask around every labelled spot, samples background, and lists every file with its hash', async () => {
    const out = join(dir, 'set-1');
    const manifest = await exportTrainingSet(t.pool, readTile(), { out });
    const taught = SPOTS.map(([, , s, r], i) => ({ id: ids[i]!, s, r })).filter(({ s, r }) => s === 'confirmed' || s === 'known' || r === 'false_positive' || r === 'legal_permit');
    const exported = [...labelled(manifest).map((c) => c.candidateId!), ...manifest.skippedNearValidation].sort((a, b) => a - b);
    expect(exported).toEqual(taught.map((x) => x.id));
    for (const chip of labelled(manifest)) expect(chip.decidedBy).toBe(officeId);
    expect(manifest.chips.filter((c) => c.label === 'background').length).toBeGreaterThan(0);
    for (const [path, hash] of Object.entries(manifest.files)) expect(sha(await readFile(join(out, path)))).toBe(hash);
    expect(Object.keys(manifest.files)).toHaveLength(manifest.chips.length * 3);

    const confirmed = manifest.chips.find((c) => c.candidateId === ids[0])!;
    const maskPath = join(out, confirmed.split, 'label', `${confirmed.name}.png`);
    expect((await sharp(maskPath).metadata()).channels).toBe(1);
    const mask = await sharp(maskPath).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(new Set(mask.data)).toEqual(new Set([0, 255]));
    expect(mask.data.filter((v) => v === 255).length).toBeGreaterThan(1100); // 40 × 30 px
    expect(mask.data[128 * 256 + 128]).toBe(255);
    const falseAlarm = manifest.chips.find((c) => c.candidateId === ids[2])!;
    const empty = await sharp(join(out, falseAlarm.split, 'label', `${falseAlarm.name}.png`)).extractChannel(0).raw().toBuffer();
    expect(Math.max(...empty)).toBe(0);
    const before = await sharp(join(out, confirmed.split, 'A', `${confirmed.name}.png`)).raw().toBuffer({ resolveWithObject: true });
    expect(before.info).toMatchObject({ width: 256, height: 256, channels: 3 });
  });

  it('gives byte-identical files and manifest when run twice on the same data', async () => {
    const a = await exportTrainingSet(t.pool, readTile(), { out: join(dir, 'twice-a') });
    const b = await exportTrainingSet(t.pool, readTile(), { out: join(dir, 'twice-b') });
    expect(b.files).toEqual(a.files);
    expect(sha(await readFile(join(dir, 'twice-b', 'manifest.json')))).toBe(sha(await readFile(join(dir, 'twice-a', 'manifest.json'))));
  });

  it('keeps each decision in the split its candidate id hashes to, however the data grows, and trains on no chip that shows a validation spot', async () => {
    const first = await exportTrainingSet(t.pool, readTile(), { out: join(dir, 'holdout-1') });
    for (const c of labelled(first)) expect(c.split).toBe(candidateSplit(c.candidateId!));
    for (let i = 0; i < 6; i++) await decided(4, i, i % 2 ? 'confirmed' : 'dismissed', i % 2 ? undefined : 'false_positive');
    const second = await exportTrainingSet(t.pool, readTile(), { out: join(dir, 'holdout-2') });
    const splitOf = new Map(labelled(second).map((c) => [c.candidateId, c.split]));
    for (const c of labelled(first)) if (splitOf.has(c.candidateId)) expect(splitOf.get(c.candidateId)).toBe(c.split);
    const val = labelled(second).filter((c) => c.split === 'val');
    expect(val.length).toBeGreaterThan(0);
    for (const c of second.chips.filter((x) => x.split === 'train'))
      for (const v of val) {
        const [x0, y0, x1, y1] = rectOf.get(v.candidateId!)!;
        const overlaps = x1 > c.left && x0 < c.left + 256 && y1 > c.top && y0 < c.top + 256;
        expect(overlaps, `train chip ${c.name} shows validation spot ${v.name}`).toBe(false);
      }
  });

  it('refuses a filter that matches no decision and a folder that is not empty', async () => {
    await expect(exportTrainingSet(t.pool, readTile(), { out: join(dir, 'none'), since: '2099-01-01' })).rejects.toThrow(/no decided candidates match since 2099-01-01/);
    await expect(exportTrainingSet(t.pool, readTile(), { out: join(dir, 'set-1') })).rejects.toThrow(/is not empty/);
  });
});
