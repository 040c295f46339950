// `tuban dataset export`, run as a child process against the real PostGIS and a data folder with tile pyramids.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@tuban/core/config';
import { createTestDatabase, type TestDatabase } from '@tuban/core/testing/database';
import { buildTrainingScene } from '@tuban/core/testing/training-scene';

const ROOT = resolve(import.meta.dirname, '../..');
let t: TestDatabase;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase('dataset_cli');
  dir = await mkdtemp(join(tmpdir(), 'tuban-dataset-cli-'));
  await buildTrainingScene(t.pool, dir, [[0, 0, 'confirmed'], [2, 0, 'dismissed', 'false_positive'], [4, 2, 'known']]);
});
afterAll(async () => {
  await t?.drop();
  await rm(dir, { recursive: true, force: true });
});

function tuban(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const url = `${loadConfig().DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${t.schema},public`)}`;
  return new Promise((done) => {
    execFile(
      join(ROOT, 'node_modules/.bin/tsx'),
      [join(ROOT, 'data/src/cli/tuban.ts'), ...args],
      { env: { ...process.env, DATABASE_URL: url, DATA_DIR: dir }, timeout: 60_000 },
      (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('tuban dataset export', () => {
  it('writes the training set and says what is in it', async () => {
    const out = join(dir, 'set');
    const res = await tuban(['dataset', 'export', '--since', '2026-11-01', '--out', out]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^.*set: train \d+ change, \d+ no-change, \d+ background; validation \d+ change, \d+ no-change, \d+ background\n$/);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.filters).toEqual({ since: '2026-11-01', streets: null });
    expect(manifest.chips.filter((c: { candidateId: number | null }) => c.candidateId !== null).length + manifest.skippedNearValidation.length).toBe(3);
  }, 60_000);

  it('names what is wrong: no --out, a bad date, a folder in use, nothing decided', async () => {
    expect((await tuban(['dataset', 'export'])).stderr).toMatch(/--out DIR is required/);
    expect((await tuban(['dataset', 'export', '--since', 'May', '--out', join(dir, 'x')])).stderr).toMatch(/since "May" is not a date/);
    expect((await tuban(['dataset', 'export', '--out', join(dir, 'set')])).stderr).toMatch(/is not empty/);
    const none = await tuban(['dataset', 'export', '--since', '2030-01-01', '--out', join(dir, 'y')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no decided candidates match since 2030-01-01/);
  }, 120_000);
});
