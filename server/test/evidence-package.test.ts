// Evidence packages through the real API: a candidate detected over two tile pyramids, two drone photos near it and
// one far away, sent to a field check and confirmed by its street's squad with a photo; the package is built twice
// and compared byte for byte, its manifest checked against every file, and the PDF read back with pdftotext.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { markEvidencePhotoReady } from '@tuban/core/db/evidence-photos';
import { lonLatToTile } from '@tuban/core/geo/tiles';
import { insertTestCandidate, insertTestDetectionRun, insertTestImagery } from '@tuban/core/testing/fixtures';
import { writeGpsJpeg } from '@tuban/core/testing/gps-jpeg';
import { imageryItem, imageryTileStore } from '@tuban/core/tiles/tile-store';
import { multipartBody } from './multipart.js';
import { STREET_A, useHarness } from './harness.js';

const Z = 19;
const BOX = [121.385, 31.255, 121.3852, 31.2552] as const; // about 19 m × 22 m
const h = useHarness('evidence_package');
let candidateId: number;
let itemId: number;
let caseNo: string;
let beforeImageryId: number;
let nearPhotos: Record<string, Buffer>;

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

async function imageryWithTiles(colour: { r: number; g: number; b: number }, capturedAt: string): Promise<number> {
  const id = await insertTestImagery(h.db, {
    status: 'ready', capturedAt, uploadedBy: h.users.admin!.id, tileFormat: 'webp', minZoom: 17, maxZoom: Z,
  });
  const centre = lonLatToTile((BOX[0] + BOX[2]) / 2, (BOX[1] + BOX[3]) / 2, Z);
  const writer = await imageryTileStore(h.dataDir).begin(imageryItem(id), 'webp');
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const tile = await sharp({ create: { width: 256, height: 256, channels: 4, background: { ...colour, alpha: 1 } } }).webp({ lossless: true }).toBuffer();
      await writer.put({ z: Z, x: centre.x + dx, y: centre.y + dy }, tile);
    }
  }
  await writer.publish();
  return id;
}

async function dronePhoto(name: string, lon: number, lat: number): Promise<Buffer> {
  const jpeg = await writeGpsJpeg({ lat, lon, gpsAltitude: 60, relativeAltitude: 45.5, gimbalYaw: 10, gimbalPitch: -90 });
  const id = await insertTestImagery(h.db, { kind: 'photo', fileName: name, uploadedBy: h.users.admin!.id });
  await markEvidencePhotoReady(h.db, id, {
    lon, lat, altitudeM: 45.5, altitudeRef: 'takeoff', capturedAt: new Date('2026-04-01T02:00:00Z'), camera: 'DJI FC6310',
    yawDeg: 10, pitchDeg: -90, widthPx: 64, heightPx: 48,
  });
  const writer = await imageryTileStore(h.dataDir).begin(imageryItem(id), 'jpg');
  await writer.putFile('photo.jpg', jpeg);
  await writer.publish();
  return jpeg;
}

async function download(url: string, who: string) {
  return h.app.inject({ url, headers: { cookie: await h.login(who) } });
}

// Kept under test-results/ (git-ignored) for a person to look at after a run.
const RESULTS_DIR = new URL('../../test-results/', import.meta.url).pathname;

function pdfText(pdf: Uint8Array, name: string): { text: string; pages: number } {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `evidence-${name}`);
  writeFileSync(file, pdf);
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }), pages: Number(/Pages:\s+(\d+)/.exec(info)![1]) };
}

beforeAll(async () => {
  beforeImageryId = await imageryWithTiles({ r: 200, g: 40, b: 40 }, '2025-05-01T02:00:00Z');
  const afterImageryId = await imageryWithTiles({ r: 40, g: 40, b: 200 }, '2026-03-20T02:00:00Z');
  const runId = await insertTestDetectionRun(h.db, { afterImageryId, zoom: 18, status: 'done', createdBy: h.users.admin!.id });
  candidateId = await insertTestCandidate(h.db, {
    runId, geom: BOX, scoreMax: 0.93, scoreMean: 0.71, streetCode: STREET_A, beforeImageryId, afterImageryId,
    createdAt: '2026-03-21T01:00:00Z',
  });
  nearPhotos = {
    near: await dronePhoto('DJI_0001.JPG', 121.3851, 31.2553), // ~10 m north of the polygon
    nearer: await dronePhoto('DJI_0002.JPG', 121.3851, 31.2551), // inside it
  };
  await dronePhoto('DJI_0999.JPG', 121.395, 31.255); // ~1 km east: not evidence of this one

  const office = await h.login('office');
  const sent = await h.app.inject({
    method: 'POST', url: `/api/candidates/${candidateId}/decision`, headers: { cookie: office },
    payload: { status: 'field_check', note: '请中队现场核查' },
  });
  expect(sent.statusCode).toBe(200);
  const site = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#7a6' } }).jpeg().toBuffer();
  const form = multipartBody(
    { result: 'confirmed', note: '现场确认新建彩钢棚', takenAt: '2026-03-25T09:30:00+08:00', lon: '121.3851', lat: '31.2551' },
    [{ field: 'photos', fileName: 'site.jpg', contentType: 'image/jpeg', data: site }],
  );
  const checked = await h.app.inject({
    method: 'POST', url: `/api/candidates/${candidateId}/field-check`, ...form, headers: { ...form.headers, cookie: await h.login('squad-a') },
  });
  expect(checked.statusCode).toBe(200);
  ({ registryItemId: itemId, caseNo } = checked.json() as { registryItemId: number; caseNo: string });
});

describe('evidence package of a candidate', () => {
  it('is the same bytes when built again a second later', async () => {
    const first = await download(`/api/candidates/${candidateId}/evidence.zip`, 'office');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/zip');
    expect(first.headers['content-disposition']).toBe(`attachment; filename="evidence-candidate-${candidateId}.zip"`);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await download(`/api/candidates/${candidateId}/evidence.zip`, 'office');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(second.headers['x-manifest-sha256']).toBe(first.headers['x-manifest-sha256']);
  });

  it('holds crops, polygon, photos, history and a manifest that matches every file', async () => {
    const res = await download(`/api/candidates/${candidateId}/evidence.zip`, 'office');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const names = Object.keys(zip.files);
    const manifestBytes = await zip.file('manifest.json')!.async('nodebuffer');
    expect(sha256(manifestBytes)).toBe(res.headers['x-manifest-sha256']);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { files: { path: string; bytes: number; sha256: string }[] };
    expect([...manifest.files.map((f) => f.path), 'manifest.json'].sort()).toEqual([...names].sort());
    for (const f of manifest.files) {
      const data = await zip.file(f.path)!.async('nodebuffer');
      expect({ path: f.path, bytes: data.length, sha256: sha256(data) }).toEqual(f);
    }
    for (const name of names) expect(zip.files[name]!.date.toISOString(), name).toBe('2000-01-01T00:00:00.000Z');

    const photoIds = (await h.db.query<{ id: string }>("SELECT id FROM imagery WHERE file_name IN ('DJI_0002.JPG', 'DJI_0001.JPG') ORDER BY file_name DESC")).rows.map((r) => r.id);
    expect(names.filter((n) => n.startsWith('drone-photos/')).sort()).toEqual(
      photoIds.flatMap((id) => [`drone-photos/photo-${id}.exif.json`, `drone-photos/photo-${id}.jpg`]).sort(),
    );
    // The originals byte for byte, and their EXIF read out.
    expect(await zip.file(`drone-photos/photo-${photoIds[0]}.jpg`)!.async('nodebuffer')).toEqual(nearPhotos.nearer);
    const exif = JSON.parse(await zip.file(`drone-photos/photo-${photoIds[0]}.exif.json`)!.async('string'));
    expect(exif.ifd0).toMatchObject({ Make: 'DJI', Model: 'FC6310' });
    expect(exif.gps.GPSLatitudeRef).toBe('N');
    expect(exif['drone-dji'].RelativeAltitude).toBe(45.5);
    expect(exif.exif.ExifVersion).toEqual([48, 50, 49, 48]);
    expect(names.filter((n) => n.startsWith('field-photos/'))).toHaveLength(1);

    // Crops at the imagery's own zoom (z19, ~0.27 m/px here), the polygon outlined in yellow, the imagery's colour around it.
    const record = JSON.parse(await zip.file('case.json')!.async('string'));
    expect(record.imagery.before).toMatchObject({ id: beforeImageryId, maxZoom: Z, crop: { zoom: Z, file: `imagery/before-imagery-${beforeImageryId}.png` } });
    expect(record.imagery.before.crop.metresPerPixel).toBeCloseTo(0.255, 2);
    const cropPng = await zip.file(record.imagery.before.crop.file)!.async('nodebuffer');
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(join(RESULTS_DIR, 'evidence-before-crop.png'), cropPng);
    const crop = await sharp(cropPng).raw().toBuffer({ resolveWithObject: true });
    expect(crop.info).toMatchObject({ width: record.imagery.before.crop.width, channels: 3 });
    // ~19 m of polygon + 2 × 15 m of context at 0.255 m/px
    expect(crop.info.width).toBeGreaterThan(180);
    expect(crop.info.width).toBeLessThan(220);
    const at = (x: number, y: number) => [...crop.data.subarray((y * crop.info.width + x) * 3, (y * crop.info.width + x) * 3 + 3)];
    expect(at(Math.round(crop.info.width * 0.4), Math.round(crop.info.height * 0.1))).toEqual([200, 40, 40]);
    const yellow = [...Array(crop.info.width * crop.info.height).keys()].filter((i) => {
      const [r, g, b] = at(i % crop.info.width, Math.floor(i / crop.info.width));
      return r! > 220 && g! > 200 && b! < 100;
    });
    expect(yellow.length).toBeGreaterThan(100);
    expect(record.subject).toMatchObject({ kind: 'candidate', id: candidateId, caseNo, status: 'confirmed', streetName: '曹杨新村街道' });
    expect(record.subject.areaM2).toBeGreaterThan(380);
    expect(record.subject.areaM2).toBeLessThan(480);

    const cgcs = JSON.parse(await zip.file('polygon-cgcs2000.geojson')!.async('string'));
    expect(cgcs.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::4490');
    expect(cgcs.features[0].geometry.coordinates[0][0][0]).toEqual([121.385, 31.255]);
    const rows = (await zip.file('polygon-cgcs2000.csv')!.async('string')).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toBe('part,ring,vertex,lon_deg_EPSG4490,lat_deg_EPSG4490,easting_m_EPSG4549,northing_m_EPSG4549');
    const [, , , lon, lat, easting, northing] = rows[1]!.split(',').map(Number);
    expect([lon, lat]).toEqual([121.385, 31.255]);
    // 1.385° east of the 120° meridian at 31°N is ~131.8 km east of the false easting of 500 km
    expect(easting).toBeGreaterThan(631_000);
    expect(easting).toBeLessThan(633_000);
    expect(northing).toBeGreaterThan(3_458_000);
    expect(northing).toBeLessThan(3_462_000);

    const history = await zip.file('history.csv')!.async('string');
    expect(history).toContain('待现场核查');
    expect(history).toContain('请中队现场核查');
    expect(history).toContain('现场确认新建彩钢棚');
  });

  it('has a one-page PDF summary in Chinese that pdftotext reads', async () => {
    const zip = await JSZip.loadAsync((await download(`/api/candidates/${candidateId}/evidence.zip`, 'office')).rawPayload);
    const { text, pages } = pdfText(await zip.file('summary.pdf')!.async('uint8array'), 'candidate.pdf');
    expect(pages).toBe(1);
    for (const expected of ['违法建设证据包摘要', `图斑 #${candidateId}`, caseNo, '资料截至 20', '曹杨新村街道', '已确认违建',
      'EPSG:4490', '研判与处置记录（共 3 条）', '待现场核查', '立案', '前时相', '后时相', '无人机取证照片 2 张', '现场照片 1 张', 'manifest.json']) {
      expect(text, expected).toContain(expected);
    }
  });

  it('is given to the street\'s own squad and to viewers, not to another street\'s squad', async () => {
    expect((await download(`/api/candidates/${candidateId}/evidence.zip`, 'squad-a')).statusCode).toBe(200);
    expect((await download(`/api/candidates/${candidateId}/evidence.zip`, 'viewer')).statusCode).toBe(200);
    const other = await download(`/api/candidates/${candidateId}/evidence.zip`, 'squad-b');
    expect(other.statusCode).toBe(404);
    expect(other.json().error.message).toBe(`no candidate ${candidateId}`);
    expect((await download('/api/candidates/999999/evidence.zip', 'office')).json().error.message).toBe('no candidate 999999');
  });
});

describe('evidence package of a registry case', () => {
  it('carries the candidate that led to it, its imagery and both histories; a new disposition changes it', async () => {
    const url = `/api/registry/${itemId}/evidence.zip`;
    const first = await download(url, 'squad-a');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-disposition']).toBe(`attachment; filename="evidence-case-${itemId}-${caseNo}.zip"`);
    expect((await download(url, 'office')).rawPayload.equals(first.rawPayload)).toBe(true);
    const zip = await JSZip.loadAsync(first.rawPayload);
    const record = JSON.parse(await zip.file('case.json')!.async('string'));
    expect(record.subject).toMatchObject({ kind: 'registry', id: itemId, caseNo, status: 'open', candidateIds: [candidateId] });
    expect(record.imagery.before.id).toBe(beforeImageryId);
    expect(record.history.map((e: { source: string; action: string }) => `${e.source}:${e.action}`)).toEqual(
      ['candidate:decision', 'candidate:decision', 'registry:created'],
    );
    const { text } = pdfText(await zip.file('summary.pdf')!.async('uint8array'), 'case.pdf');
    expect(text).toContain(`案件 ${caseNo}`);
    expect(text).toContain('库内');
    expect((await download(url, 'squad-b')).statusCode).toBe(404);

    const disposed = await h.app.inject({
      method: 'POST', url: `/api/registry/${itemId}/disposition`, headers: { cookie: await h.login('squad-a') },
      payload: { status: 'demolished', date: '2026-04-02', note: '已拆除', areaRemovedM2: 300 },
    });
    expect(disposed.statusCode, disposed.body).toBe(200);
    const after = await download(url, 'office');
    expect(after.headers['x-manifest-sha256']).not.toBe(first.headers['x-manifest-sha256']);
    expect(await (await JSZip.loadAsync(after.rawPayload)).file('history.csv')!.async('string')).toContain('已拆除');
  });
});
