import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxChangeModel } from '@tuban/core/change/onnx-runner';
import { hasModel, MODEL_PATH } from '@tuban/workers/testing/change-models';

describe.skipIf(!hasModel())('the change model on its inference thread', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('answers requests that overlap as it answers one alone, and takes the input over', async () => {
    const model = await loadOnnxChangeModel(MODEL_PATH, 1);
    const input = Float32Array.from({ length: 2 * 6 * 64 * 64 }, (_, i) => ((i * 7919) % 1000) / 1000);
    const expected = await model.predict(input.slice(), 2, 64);
    const [a, b] = await Promise.all([model.predict(input, 2, 64), model.predict(input.slice(0), 2, 64)]);
    expect(input.length).toBe(0);
    for (const out of [a!, b!]) {
      expect(out.length).toBe(2 * 64 * 64);
      expect(Math.max(...out.map((v, i) => Math.abs(v - expected[i]!)))).toBe(0);
    }
  });

  it('refuses a window the model cannot take', async () => {
    const model = await loadOnnxChangeModel(MODEL_PATH, 1);
    await expect(model.predict(new Float32Array(6 * 40 * 40), 1, 40)).rejects.toThrow(/40 px is not a multiple of 32/);
  });

  it('says which model file could not be loaded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tuban-bad-model-'));
    dirs.push(dir);
    const bad = join(dir, 'broken.onnx');
    await writeFile(bad, 'not a model');
    await copyFile(MODEL_PATH.replace(/\.onnx$/, '.card.json'), join(dir, 'broken.card.json'));
    await expect(loadOnnxChangeModel(bad, 1)).rejects.toThrow(/inference thread for .*broken\.onnx could not start/);
  });

  // In a child process: lowering threads is for whole worker processes, not for the test runner's.
  it.skipIf(!existsSync('/proc/thread-self'))('with nice, lowers every thread of the process but the models\'', async () => {
    const script = `
      import { readdirSync } from 'node:fs';
      import { getPriority } from 'node:os';
      import { onnxModel } from '${pathToFileURL(join(import.meta.dirname, '../src/testing/change-models.ts')).href}';
      await onnxModel(1, 7);
      // a second model (another version), started by a thread already lowered
      const model = await onnxModel(1, 7);
      const out = await model.predict(new Float32Array(6 * 64 * 64), 1, 64);
      const nice = readdirSync('/proc/self/task').map((tid) => getPriority(Number(tid)));
      console.log(JSON.stringify({ nice, out: out.length }));
      process.exit(0);`;
    const dir = await mkdtemp(join(tmpdir(), 'tuban-nice-'));
    dirs.push(dir);
    await writeFile(join(dir, 'lowered.mts'), script);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(dir, 'lowered.mts')]);
    const { nice, out } = JSON.parse(stdout.trim().split('\n').pop()!) as { nice: number[]; out: number };
    expect(out).toBe(64 * 64);
    // The models' threads alone keep the niceness the process started with; the second one's is raised back to
    // it, which needs the right to raise priority (root here; otherwise it stays lowered, with a warning).
    expect(nice.filter((n) => n < 7)).toHaveLength(process.getuid?.() === 0 ? 2 : 1);
    expect(nice.filter((n) => n >= 7).length).toBeGreaterThan(3);
  });
});
