import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { predictPair } from './image-pair.js';
import { DEFAULT_MODEL_PATH } from './model-card.js';
import { loadOnnxChangeModel } from './onnx-runner.js';

const GOLDEN = new URL('../../../models/change-detection/golden/', import.meta.url).pathname;

async function rgb(path: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const { data, info } = await sharp(path).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe('the ONNX change model on its thread', () => {
  it('reproduces the committed model\'s stored golden output (onnxruntime-node vs onnxruntime)', async () => {
    const model = await loadOnnxChangeModel(DEFAULT_MODEL_PATH);
    const a = await rgb(GOLDEN + 'A/00000.png');
    const b = await rgb(GOLDEN + 'B/00000.png');
    const got = await predictPair(model, { width: a.width, height: a.height, before: a.data, after: b.data });
    const raw = await readFile(GOLDEN + 'change.bin');
    const expected = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    expect(got.length).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(got[i]! - expected[i]!));
    expect(worst).toBeLessThan(1e-4);
  });

  it('tiles an image larger than the model input and keeps its size', async () => {
    const model = await loadOnnxChangeModel(DEFAULT_MODEL_PATH);
    const width = 300;
    const height = 70;
    const img = new Uint8Array(width * height * 3).fill(120);
    const p = await predictPair(model, { width, height, before: img, after: img });
    expect(p!.length).toBe(width * height);
    expect(p!.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('hands an input array back for the next input, with the same result from it', async () => {
    const model = await loadOnnxChangeModel(DEFAULT_MODEL_PATH);
    const length = 6 * 64 * 64;
    const input = new Float32Array(length).map((_, i) => (i % 97) / 97);
    const first = await model.predict(input.slice(), 1, 64);
    const spare = model.inputBuffer!(length);
    expect(spare.length).toBe(length);
    spare.set(input);
    expect(await model.predict(spare, 1, 64)).toEqual(first);
    expect(spare.length).toBe(0); // handed over to the thread again
    expect(model.inputBuffer!(100).length).toBe(100); // no spare of that size: a new one
  });

  it('says which card is missing for a model without one', async () => {
    await expect(loadOnnxChangeModel('/nonexistent/model.onnx')).rejects.toThrow(/model card .*model\.card\.json/);
  });
});
