// The `tuban upload` command, run as a child process against a real server.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutOffUpload, startUploadServer, type UploadHarness } from './upload-harness.js';
import { insertTestFlight } from '@tuban/core/testing/fixtures';

const ROOT = resolve(import.meta.dirname, '../..');
let h: UploadHarness;
let work: string;
beforeAll(async () => {
  h = await startUploadServer('cli_upload');
  work = await mkdtemp(join(tmpdir(), 'tuban-cli-test-'));
});
afterAll(async () => {
  await h?.close();
  await rm(work, { recursive: true, force: true });
});

function tuban(args: string[], token: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      join(ROOT, 'node_modules/.bin/tsx'),
      [join(ROOT, 'data/src/cli/tuban.ts'), ...args],
      { env: { ...process.env, TUBAN_URL: h.baseUrl, TUBAN_TOKEN: token, TUBAN_STATE_DIR: join(work, 'state') }, timeout: 30_000 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('tuban upload', () => {
  it('uploads files and prints "<imagery id> <status>" per file, recognising a repeated file', async () => {
    const data = randomBytes(150_000);
    const a = join(work, 'a.tif');
    const b = join(work, 'copy of a.tif');
    await writeFile(a, data);
    await writeFile(b, data);
    const flight = await insertTestFlight(h.db, { pilotId: h.users['pilot-1']!.id });
    const run = await tuban(['upload', a, b, '--flight', String(flight), '--captured-at', '2025-03-10T09:30:00+08:00'], h.tokens['pilot-1']!);
    expect(run.stderr).toContain('already uploaded as imagery');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const [id] = lines[0]!.split(' ');
    expect(lines).toEqual([`${id} uploaded`, `${id} uploaded`]);
    const { rows } = await h.db.query('SELECT file_name, sha256, flight_id, captured_at FROM imagery WHERE id = $1', [Number(id)]);
    expect(rows[0]).toMatchObject({ file_name: 'a.tif', sha256: createHash('sha256').update(data).digest('hex'), flight_id: flight });
  });

  it('continues an interrupted upload of the same file from its state file', async () => {
    const data = randomBytes(1024 * 1024);
    const file = join(work, 'big.tif');
    await writeFile(file, data);
    const url = await cutOffUpload(h, 'pilot-1', data, 400_000, { filename: 'big.tif', kind: 'drone' });
    // What tus-js-client wrote when the earlier run was cut off (fingerprint: path, size, mtime, endpoint).
    const info = await stat(file);
    const fingerprint = ['node-file', file, info.size, info.mtime.getTime(), `${h.baseUrl}/api/uploads`].join('-');
    const stateFile = join(work, 'state', 'uploads.json');
    await writeFile(stateFile, JSON.stringify({ [`tus::${fingerprint}::1`]: { size: data.length, metadata: {}, creationTime: new Date().toString(), uploadUrl: url } }));

    const run = await tuban(['upload', file], h.tokens['pilot-1']!);
    expect(run.stderr).toContain('resuming an earlier upload');
    expect(run.code).toBe(0);
    const [id, status] = run.stdout.trim().split(' ');
    expect(status).toBe('uploaded');
    const upload = await fetch(url, { headers: { authorization: `Bearer ${h.tokens['pilot-1']}` } });
    expect(await upload.json()).toMatchObject({ imageryId: Number(id), offset: data.length });
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toEqual({});
  });

  it('says why a file was refused and exits 1', async () => {
    const file = join(work, 'v.tif');
    await writeFile(file, randomBytes(100));
    const run = await tuban(['upload', file], h.tokens.viewer!);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('- failed\n');
    expect(run.stderr).toContain('role viewer may not do this; needs pilot or office or admin (HTTP 403)');
  });

  it('exits 2 with usage when given nothing to do', async () => {
    const run = await tuban(['upload'], 'x');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no files given/);
  });
});
