// Evidence photos through the real ingest job: JPEG + EXIF in, position and pose in PostGIS, original and thumbnail stored.
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getImagery } from '@tuban/core/db/imagery';
import type { TestDatabase } from '@tuban/core/testing/database';
import { startIngestEnv, type IngestEnv } from '@tuban/workers/testing/ingest-env';
import { writeGpsJpeg } from '@tuban/core/testing/gps-jpeg';

const realDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/realdata/drone/odm-toledo-dji-phantom3');
let db: TestDatabase;
let dir: string;
let env: IngestEnv;
beforeAll(async () => {
  env = await startIngestEnv('ingest_photo');
  ({ db, dir } = env);
});
afterAll(async () => env?.close());

async function ingestFile(file: string, content: Buffer, kind: 'photo' | 'drone' = 'photo'): Promise<number> {
  const { id, path } = await env.upload(file, content, { kind });
  await env.ingest(id, path);
  return id;
}

const itemDir = (id: number) => join(dir, 'tiles', 'imagery', String(id));

describe('ingest of evidence photos', () => {
  it('records position, take-off altitude, time, camera and gimbal pose from EXIF/XMP, with a thumbnail and no pyramid', async () => {
    const jpeg = await writeGpsJpeg({ lat: 31.2501, lon: 121.4002, gpsAltitude: 48.5, relativeAltitude: 35.2, gimbalYaw: -12.5, gimbalPitch: -89.9 });
    const id = await ingestFile('DJI_0001.JPG', jpeg);
    const item = (await getImagery(db.pool, id))!;
    expect(item).toMatchObject({ status: 'ready', kind: 'photo', error: null, camera: 'DJI FC6310', altitudeM: 35.2, altitudeRef: 'takeoff',
      yawDeg: -12.5, pitchDeg: -89.9, widthPx: 64, heightPx: 48, capturedAt: '2026-04-01T02:00:00.000Z', footprint: null, tileCount: 0 });
    expect(item.position!.coordinates[0]).toBeCloseTo(121.4002, 6);
    expect(item.position!.coordinates[1]).toBeCloseTo(31.2501, 6);
    expect(await readFile(join(itemDir(id), 'photo.jpg'))).toEqual(jpeg);
    expect((await sharp(await readFile(join(itemDir(id), 'thumbnail.webp'))).metadata()).format).toBe('webp');
    expect((await readdir(itemDir(id))).sort()).toEqual(['photo.jpg', 'thumbnail.webp']);
  });

  it('takes a raw JPEG uploaded as the default kind as a photo, with the EXIF GPS altitude', async () => {
    const id = await ingestFile('raw.jpg', await writeGpsJpeg({ lat: 31.26, lon: 121.41, gpsAltitude: 120.5 }), 'drone');
    expect(await getImagery(db.pool, id)).toMatchObject({ status: 'ready', kind: 'photo', altitudeM: 120.5, altitudeRef: 'gps', yawDeg: null });
  });

  it('fails a JPEG without GPS with "photo has no GPS position", leaving nothing behind', async () => {
    const id = await ingestFile('nogps.jpg', await writeGpsJpeg({}));
    expect(await getImagery(db.pool, id)).toMatchObject({ status: 'failed', error: 'photo has no GPS position', position: null });
    expect(existsSync(itemDir(id))).toBe(false);
  });

  it('fails a photo upload that is not a JPEG', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer();
    const id = await ingestFile('photo.jpg', png);
    expect(await getImagery(db.pool, id)).toMatchObject({ status: 'failed', error: 'the photo is not a JPEG file' });
  });

  // The README's table of the five Phantom 3 photos; the altitude is above take-off despite its EXIF label.
  const table: [string, number, number, number, number][] = [
    ['DJI_0061.JPG', 41.548596, -83.698649, 119.7, 103.0],
    ['DJI_0062.JPG', 41.548604, -83.698912, 119.4, 125.3],
    ['DJI_0063.JPG', 41.548597, -83.699166, 119.5, -166.0],
    ['DJI_0064.JPG', 41.548808, -83.699074, 120.2, -25.4],
    ['DJI_0065.JPG', 41.548715, -83.698713, 119.4, -98.3],
  ];
  if (!existsSync(realDir)) console.warn(`skipping the real drone photos: ${realDir} is absent`);
  it.skipIf(!existsSync(realDir))('reads the real DJI Phantom 3 photos as the README lists them', async () => {
    for (const [file, lat, lon, alt, yaw] of table) {
      const id = await ingestFile(file, await readFile(join(realDir, file)));
      const item = (await getImagery(db.pool, id))!;
      expect(item, file).toMatchObject({ status: 'ready', camera: 'DJI FC350', altitudeRef: 'gps', widthPx: 2400, heightPx: 1800 });
      expect(item.position!.coordinates[1]).toBeCloseTo(lat, 5);
      expect(item.position!.coordinates[0]).toBeCloseTo(lon, 5);
      expect(item.altitudeM).toBeCloseTo(alt, 1);
      expect(item.yawDeg).toBeCloseTo(yaw, 0);
      expect(item.pitchDeg).toBeCloseTo(-89.9, 0);
    }
  });
});
