import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { SyntheticPair } from './generate.js';

/** PNG bytes of an interleaved 8-bit raster with 1 or 3 channels. */
export function encodePng(pixels: Uint8Array, size: number, channels: 1 | 3): Promise<Buffer> {
  return sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width: size, height: size, channels } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** Writes a pair in the LEVIR-CD layout the evaluation reads: A/<name>.png, B/<name>.png, label/<name>.png. */
export async function writePair(dir: string, name: string, pair: SyntheticPair): Promise<void> {
  const [a, b, label] = await Promise.all([
    encodePng(pair.before, pair.size, 3),
    encodePng(pair.after, pair.size, 3),
    encodePng(pair.mask, pair.size, 1),
  ]);
  await Promise.all(['A', 'B', 'label'].map((sub) => mkdir(join(dir, sub), { recursive: true })));
  await Promise.all([
    writeFile(join(dir, 'A', `${name}.png`), a),
    writeFile(join(dir, 'B', `${name}.png`), b),
    writeFile(join(dir, 'label', `${name}.png`), label),
  ]);
}
