// The server plans detection runs from the change model's card alone: it never loads onnxruntime (~290 MB of
// native code that only the detection workers need).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

describe("the change model's card on the server", () => {
  it('is read, and the whole app built, without loading onnxruntime', async () => {
    // onnxruntime-node is CommonJS: once imported, its files are in the CommonJS module cache.
    const probe = `
      import { createRequire } from 'node:module';
      await import('./server/src/app.ts');
      const { configuredModelInfo } = await import('./core/src/detection/model-info.ts');
      const { DEFAULT_MODEL_PATH } = await import('./core/src/change/model-card.ts');
      const info = await configuredModelInfo({ CHANGE_DETECTOR: 'onnx', CHANGE_MODEL_PATH: DEFAULT_MODEL_PATH });
      const ort = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('onnxruntime'));
      console.log(JSON.stringify({ name: info.name, ort }));`;
    const run = async (code: string) =>
      JSON.parse((await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT })).stdout);
    expect(await run(probe)).toEqual({ name: 'tuban-change', ort: [] });
    // The probe does see onnxruntime where it is loaded.
    const loaded = await run(probe.replace("await import('./server/src/app.ts');", "await import('onnxruntime-node');"));
    expect(loaded.ort.length).toBeGreaterThan(0);
  }, 60_000);
});
