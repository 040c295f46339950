// Training-set export on the real PostGIS: decided candidates and undisturbed tiles become LEVIR-style chips
// with masks and a manifest; the same data gives byte-identical output; the validation split never moves. Into
// an S3 store (a real SeaweedFS) the set is the same files under a key prefix, its manifest written last.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { candidateSplit } from '../src/learning/labels.js';
import { exportTrainingSet, type TrainingSetManifest } from '../src/learning/training-set.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.js';
import { buildTrainingScene, type Spot, type TrainingScene } from '../src/testing/training-scene.js';
import { S3ObjectStore } from '../src/storage/s3-object-store.js';
import { parseStorageUrl } from '../src/storage/storage-url.js';
import { removeTestStorage, S3_MISSING, testS3Running, testStorageUrl } from '../src/testing/s3.js';
import { imageryTileReader } from '../src/tiles/imagery-tile-reader.js';
import { LocalTileStore } from '../src/tiles/tile-store.js';

const s3Up = await testS3Running();
if (!s3Up) console.warn(`training sets in S3 skipped: ${S3_MISSING}`);
const storageUrl = testStorageUrl('training-set');

let t: TestDatabase;
let dir: string;
let scene: TrainingScene;
const readTile = () => imageryTileReader(t.pool, new LocalTileStore(join(dir, 'tiles')));

const SPOTS: Spot[] = [
  [0, 0, 'confirmed'], [1, 0, 'known'], [2, 0, 'dismissed', 'false_positive'], [3, 0, 'confirmed'],
  [0, 2, 'confirmed'], [1, 2, 'dismissed', 'legal_permit'], [2, 2, 'dismissed', 'temporary'], [3, 2, 'new'],
  [0, 4, 'confirmed'], [1, 4, 'dismissed', 'false_positive'], [2, 4, 'known'], [3, 4, 'dismissed', 'imagery_problem'],
];
let ids: number[] = [];

beforeAll(async () => {
  t = await createTestDatabase('training_set');
  dir = await mkdtemp(join(tmpdir(), 'tuban-training-set-'));
  scene = await buildTrainingScene(t.pool, dir, SPOTS);
  ids = [...scene.rectOf.keys()];
});

afterAll(async () => {
  if (s3Up) await removeTestStorage(storageUrl);
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const labelled = (m: TrainingSetManifest) => m.chips.filter((c) => c.candidateId !== null);

describe('training-set export', () => {
  it('cuts a chip with its mask around every labelled spot, samples background, and lists every file with its hash', async () => {
    const out = join(dir, 'set-1');
    const manifest = await exportTrainingSet(t.pool, readTile(), { out });
    const taught = SPOTS.map(([, , s, r], i) => ({ id: ids[i]!, s, r })).filter(({ s, r }) => s === 'confirmed' || s === 'known' || r === 'false_positive' || r === 'legal_permit' || r === 'temporary');
    const exported = [...labelled(manifest).map((c) => c.candidateId!), ...manifest.skippedNearValidation].sort((a, b) => a - b);
    expect(exported).toEqual(taught.map((x) => x.id));
    for (const chip of labelled(manifest)) expect(chip.decidedBy).toBe(scene.officeId);
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

  it.skipIf(!s3Up)('writes the same set under a key prefix of S3, manifest last, replacing what an interrupted attempt left', async () => {
    const loc = parseStorageUrl(storageUrl, dir);
    if (loc.kind !== 's3') throw new Error('expected an S3 storage URL');
    const objects = new S3ObjectStore(loc);
    await objects.ensureBucket();
    try {
      const folder = await exportTrainingSet(t.pool, readTile(), { out: join(dir, 'beside-s3') });
      // an attempt killed half-way: chips, no manifest, and one chip the next attempt will not write
      await objects.put('training-sets/s3-set/train/A/stale.png', Buffer.from('left over'));
      await expect(exportTrainingSet(t.pool, readTile(), { out: { objects, prefix: 'training-sets/s3-set' } })).rejects.toThrow(/training-sets\/s3-set\/ in s3:.* is not empty/);
      const manifest = await exportTrainingSet(t.pool, readTile(), { out: { objects, prefix: 'training-sets/s3-set' }, replace: true });
      expect(manifest.files).toEqual(folder.files);
      const keys = (await objects.list('training-sets/s3-set/')).sort();
      expect(keys).toEqual([...Object.keys(manifest.files).map((p) => `training-sets/s3-set/${p}`), 'training-sets/s3-set/manifest.json'].sort());
      for (const [path, hash] of Object.entries(manifest.files)) expect(sha((await objects.get(`training-sets/s3-set/${path}`))!)).toBe(hash);
      expect(await objects.get('training-sets/s3-set/manifest.json')).toEqual(await readFile(join(dir, 'beside-s3', 'manifest.json')));
    } finally {
      objects.client.destroy();
    }
  });

  it('keeps each decision in the split its candidate id hashes to, however the data grows, and trains on no chip that shows a validation spot', async () => {
    const first = await exportTrainingSet(t.pool, readTile(), { out: join(dir, 'holdout-1') });
    for (const c of labelled(first)) expect(c.split).toBe(candidateSplit(c.candidateId!));
    for (let i = 0; i < 6; i++) await scene.decide([4, i, i % 2 ? 'confirmed' : 'dismissed', i % 2 ? undefined : 'false_positive']);
    const second = await exportTrainingSet(t.pool, readTile(), { out: join(dir, 'holdout-2') });
    const splitOf = new Map(labelled(second).map((c) => [c.candidateId, c.split]));
    for (const c of labelled(first)) if (splitOf.has(c.candidateId)) expect(splitOf.get(c.candidateId)).toBe(c.split);
    const val = labelled(second).filter((c) => c.split === 'val');
    expect(val.length).toBeGreaterThan(0);
    for (const c of second.chips.filter((x) => x.split === 'train'))
      for (const v of val) {
        const [x0, y0, x1, y1] = scene.rectOf.get(v.candidateId!)!;
        const overlaps = x1 > c.left && x0 < c.left + 256 && y1 > c.top && y0 < c.top + 256;
        expect(overlaps, `train chip ${c.name} shows validation spot ${v.name}`).toBe(false);
      }
  });

  it('refuses a filter that matches no decision and a folder that is not empty', async () => {
    await expect(exportTrainingSet(t.pool, readTile(), { out: join(dir, 'none'), since: '2099-01-01' })).rejects.toThrow(/no decided candidates match since 2099-01-01/);
    await expect(exportTrainingSet(t.pool, readTile(), { out: join(dir, 'set-1') })).rejects.toThrow(/is not empty/);
  });
});
