// npm run eval on a small folder of synthetic pairs: the scores it prints, and the pairs' own ground sample
// distance (--mpp), which it resamples to the model's before scoring.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePair } from '@tuban/data/synth/generate';
import { writePair } from '@tuban/data/synth/write';

const run = promisify(execFile);
const EVALUATE = join(import.meta.dirname, 'evaluate.ts');
const evaluate = (...args: string[]) => run(process.execPath, ['--import', 'tsx', EVALUATE, ...args]);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tuban-eval-'));
  for (const seed of [1, 2]) await writePair(dir, `0000${seed}`, generatePair({ seed, size: 128, changes: 3, nuisance: false }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const SCORES = ['precision', 'recall', 'f1', 'iou', 'objectRecall', 'objectPrecision', 'candidateObjectPrecision', 'candidateObjectRecall'];

describe('npm run eval', () => {
  it('scores the model and the baseline side by side, also on pairs of another ground sample distance', async () => {
    const results: Record<'model' | 'baseline', Record<string, number>>[] = [];
    for (const args of [[], ['--mpp', '1']]) {
      const { stdout } = await evaluate(dir, '--json', ...args);
      const result = JSON.parse(stdout) as Record<'model' | 'baseline', Record<string, number>>;
      results.push(result);
      for (const detector of ['model', 'baseline'] as const) {
        expect(result[detector]!.pairs).toBe(2);
        for (const key of SCORES) expect(result[detector]![key]).toBeGreaterThanOrEqual(0);
        for (const key of SCORES) expect(result[detector]![key]).toBeLessThanOrEqual(1);
      }
      for (const detector of ['model', 'baseline'] as const) {
        const r = result[detector]!;
        // What the office would see: false alarms per km² of the pairs (128² px at 0.5 m = 0.0041 km² each).
        expect(r.falseAlarmsPerKm2).toBeGreaterThanOrEqual(0);
        expect(r.falseAlarms).toBeLessThanOrEqual(r.predictedObjects!);
      }
      // Clean synthetic pairs at the model's own scale: it finds most of the change.
      if (args.length === 0) expect(result.model.f1).toBeGreaterThan(0.5);
    }
    // At --mpp 1 the model saw the pairs enlarged twice over, so it scores them differently.
    expect(results[1]!.model).not.toEqual(results[0]!.model);
  }, 60_000);

  it('names a bad ground sample distance', async () => {
    await expect(evaluate(dir, '--mpp=-2')).rejects.toThrow(/--mpp must be a positive number of metres per pixel, got -2/);
  });
});
