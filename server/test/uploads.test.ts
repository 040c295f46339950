import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '@tus/file-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeAbandonedUploads } from '../src/uploads/cleanup.js';
import { STREET, cutOffUpload, startUploadServer, tusUpload, type UploadHarness } from './upload-harness.js';
import { insertTestFlight } from '@tuban/core/testing/fixtures';

const MAX = 4 * 1024 * 1024;
let h: UploadHarness;
beforeAll(async () => {
  h = await startUploadServer('uploads', { UPLOAD_MAX_BYTES: MAX });
});
afterAll(async () => h?.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const idOf = (url: string) => url.split('/').pop()!;

async function imagery(id: number) {
  const { rows } = await h.db.query('SELECT * FROM imagery WHERE id = $1', [id]);
  return rows[0];
}

async function uploadState(username: string, url: string) {
  const res = await fetch(`${h.baseUrl}/api/uploads/${idOf(url)}`, { headers: { authorization: `Bearer ${h.tokens[username]}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const createFlight = (pilot: string): Promise<number> =>
  insertTestFlight(h.db, { pilotId: h.users[pilot]!.id, flownAt: '2025-03-10T01:00:00Z', streetCodes: [STREET] });

describe('uploading imagery over tus', () => {
  it('stores the file, records its checksum and queues the ingest job', async () => {
    const data = randomBytes(300_000);
    const flightId = await createFlight('pilot-1');
    const out = await tusUpload(h, 'pilot-1', data, {
      filename: 'ortho 东区.tif',
      kind: 'drone',
      flightId: String(flightId),
      capturedAt: '2025-03-10T09:30:00+08:00',
    });
    expect(out.result).toMatchObject({ uploadId: idOf(out.url), duplicate: false, status: 'uploaded' });
    const row = await imagery(out.result!.imageryId);
    expect(row).toMatchObject({
      kind: 'drone',
      status: 'uploaded',
      file_name: 'ortho 东区.tif',
      sha256: sha(data),
      size_bytes: data.length,
      flight_id: flightId,
      uploaded_by: h.users['pilot-1']!.id,
    });
    expect(row.captured_at.toISOString()).toBe('2025-03-10T01:30:00.000Z');

    const job = await h.queue.getJob(`ingest-imagery-${row.id}`);
    expect(job?.name).toBe('ingest-imagery');
    expect(job?.data).toEqual({ imageryId: row.id, sourcePath: join(h.uploadDir, idOf(out.url)) });
    expect(job?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential' } });
    expect(sha(await readFile(job!.data.sourcePath))).toBe(sha(data));

    const state = await uploadState('pilot-1', out.url);
    expect(state.body).toMatchObject({ imageryId: row.id, status: 'uploaded', offset: data.length, fileName: 'ortho 东区.tif' });
    expect((await uploadState('pilot-2', out.url)).status).toBe(403);
  });

  it('resumes an upload cut off mid-request where it stopped, and the checksum matches', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const url = await cutOffUpload(h, 'pilot-1', data, 1024 * 1024, { filename: 'cut.tif' });
    const partial = (await uploadState('pilot-1', url)).body as { status: string; offset: number };
    expect(partial.status).toBe('uploading');
    expect(partial.offset).toBe(1024 * 1024);

    let firstReported = -1;
    const out = await tusUpload(h, 'pilot-1', data, { filename: 'cut.tif' }, {
      uploadUrl: url,
      onProgress: (sent) => {
        if (firstReported < 0) firstReported = sent;
      },
    });
    expect(out.url).toBe(url);
    // tus-js-client counts progress from the offset the server reported, so nothing before it was sent again.
    expect(firstReported).toBeGreaterThanOrEqual(1024 * 1024);
    const row = await imagery(out.result!.imageryId);
    expect(row.sha256).toBe(sha(data));
    expect(sha(await readFile(join(h.uploadDir, idOf(url))))).toBe(sha(data));
  });

  it('recognises a duplicate file, answers with the existing imagery and keeps no second copy', async () => {
    const data = randomBytes(200_000);
    const first = await tusUpload(h, 'pilot-1', data, { filename: 'a.tif' });
    const second = await tusUpload(h, 'pilot-2', data, { filename: 'renamed.tif' });
    expect(second.result).toMatchObject({ imageryId: first.result!.imageryId, duplicate: true });
    const { rows } = await h.db.query('SELECT count(*)::int AS n FROM imagery WHERE sha256 = $1', [sha(data)]);
    expect(rows[0].n).toBe(1);
    const files = await readdir(h.uploadDir);
    expect(files).toContain(idOf(first.url));
    expect(files.filter((f) => f.startsWith(idOf(second.url)))).toEqual([]);
    const recorded = await h.db.query('SELECT user_id, duplicate FROM uploads WHERE sha256 = $1 ORDER BY finished_at', [sha(data)]);
    expect(recorded.rows).toEqual([
      { user_id: h.users['pilot-1']!.id, duplicate: false },
      { user_id: h.users['pilot-2']!.id, duplicate: true },
    ]);
    // The second uploader can still ask what became of their upload.
    expect((await uploadState('pilot-2', second.url)).body).toMatchObject({ imageryId: first.result!.imageryId, duplicate: true });
  });

  it('takes the same file again as a retry once its ingest failed for good, not as a duplicate', async () => {
    const data = randomBytes(150_000);
    const first = await tusUpload(h, 'pilot-1', data, { filename: 'broken.tif' });
    const id = first.result!.imageryId;
    // While the ingest job still waits (or retries), the same file is a duplicate.
    expect((await tusUpload(h, 'pilot-1', data, { filename: 'broken.tif' })).result).toMatchObject({ imageryId: id, duplicate: true });
    // The ingest gave up on it: job failed, item failed with a reason.
    const job = (await h.queue.getJob(`ingest-imagery-${id}`))!;
    await job.remove();
    await h.db.query("UPDATE imagery SET status = 'failed', error = 'the file is not a TIFF image', error_code = 'ingest_not_tiff' WHERE id = $1", [id]);
    const retry = await tusUpload(h, 'pilot-1', data, { filename: 'broken-again.tif', capturedAt: '2025-03-11T09:30:00+08:00' });
    expect(retry.result).toMatchObject({ imageryId: id, duplicate: false, status: 'uploaded' });
    expect(await imagery(id)).toMatchObject({ status: 'uploaded', error: null, error_code: null, file_name: 'broken-again.tif' });
    const again = (await h.queue.getJob(`ingest-imagery-${id}`))!;
    expect(again.data).toEqual({ imageryId: id, sourcePath: join(h.uploadDir, idOf(retry.url)) });
    expect((await readdir(h.uploadDir))).toContain(idOf(retry.url));
  });

  it('refuses a viewer with 403 and writes nothing', async () => {
    const before = await readdir(h.uploadDir);
    const err = await tusUpload(h, 'viewer', randomBytes(1000), { filename: 'x.tif' }).catch((e: Error) => e);
    expect(String(err)).toMatch(/response code: 403/);
    expect(String(err)).toMatch(/role viewer may not do this/);
    expect(await readdir(h.uploadDir)).toEqual(before);
  });

  it('refuses a file over UPLOAD_MAX_BYTES with 413 and a clear message', async () => {
    const err = await tusUpload(h, 'office', randomBytes(MAX + 1), { filename: 'huge.tif' }).catch((e: Error) => e);
    expect(String(err)).toMatch(/response code: 413/);
    expect(String(err)).toContain('file is 4.0 MB (4194305 bytes); uploads are limited to 4 MB (UPLOAD_MAX_BYTES)');
  });

  it('names bad metadata and refuses another pilot\'s sortie', async () => {
    const bad = await tusUpload(h, 'pilot-1', randomBytes(10), { filename: 'x.tif', kind: 'video' }).catch((e: Error) => e);
    expect(String(bad)).toMatch(/response code: 400.*kind \\?"video\\?" is not one of/);
    const other = await createFlight('pilot-2');
    const denied = await tusUpload(h, 'pilot-1', randomBytes(10), { filename: 'x.tif', flightId: String(other) }).catch((e: Error) => e);
    expect(String(denied)).toMatch(/response code: 403.*flown by another pilot/);
  });

  it("does not let one user see or continue another user's upload", async () => {
    const url = await cutOffUpload(h, 'pilot-1', randomBytes(100_000), 1000, { filename: 'mine.tif' });
    const auth = (u: string) => ({ authorization: `Bearer ${h.tokens[u]}`, 'tus-resumable': '1.0.0' });
    expect((await fetch(url, { method: 'HEAD', headers: auth('pilot-2') })).status).toBe(403);
    const patch = await fetch(url, {
      method: 'PATCH',
      headers: { ...auth('pilot-2'), 'upload-offset': '1000', 'content-type': 'application/offset+octet-stream' },
      body: randomBytes(10),
    });
    expect(patch.status).toBe(403);
    expect(await patch.text()).toContain('belongs to another user');
    expect((await fetch(url, { method: 'HEAD', headers: auth('admin') })).status).toBe(200);
    expect((await uploadState('pilot-1', url)).body).toMatchObject({ offset: 1000 });
  });
});

describe('abandoned uploads', () => {
  it('deletes partial uploads untouched for longer than the expiry, and nothing else', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) urls.push(await cutOffUpload(h, 'pilot-1', data, 100_000, { filename: `part-${i}.tif` }));
    const finished = await tusUpload(h, 'pilot-1', randomBytes(5000), { filename: 'done.tif' });
    const [old, fresh] = urls.map(idOf) as [string, string];
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
    for (const id of [old, idOf(finished.url)]) {
      for (const f of [id, `${id}.json`]) await utimes(join(h.uploadDir, f), dayAgo, dayAgo);
    }

    const removed = await removeAbandonedUploads(new FileStore({ directory: h.uploadDir }), h.uploadDir, 24 * 3600 * 1000);
    expect(removed).toEqual([old]);
    const files = await readdir(h.uploadDir);
    expect(files).not.toContain(old);
    expect(files).not.toContain(`${old}.json`);
    expect(files).toContain(fresh);
    expect((await stat(join(h.uploadDir, idOf(finished.url)))).size).toBe(5000);
    expect((await uploadState('pilot-1', urls[0]!)).status).toBe(404);
  });
});
