import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { TileCache, readWindow } from './windows.js';

const T = 256;

/** A tile whose pixel (px, py) is (tile x + px) % 256, (tile y + py) % 256, 7·id; transparent left half where `gap`. */
async function tile(id: number, x: number, y: number, gap: boolean): Promise<Buffer> {
  const channels = gap ? 4 : 3;
  const data = Buffer.alloc(T * T * channels);
  for (let py = 0; py < T; py++) {
    for (let px = 0; px < T; px++) {
      const s = (py * T + px) * channels;
      data[s] = (x * 16 + px) % 256;
      data[s + 1] = (y * 16 + py) % 256;
      data[s + 2] = 7 * id;
      if (gap) data[s + 3] = px < T / 2 ? 0 : 255;
    }
  }
  return sharp(data, { raw: { width: T, height: T, channels } }).png().toBuffer();
}

describe('readWindow', () => {
  // Imagery 3 has tiles (10..11, 20..21) with (11, 21) half transparent; (9, *) and (*, 19) are missing.
  const reads: string[] = [];
  const cache = new TileCache(async (id, _z, x, y) => {
    reads.push(`${x}/${y}`);
    return x >= 10 && x <= 11 && y >= 20 && y <= 21 ? tile(id, x, y, x === 11 && y === 21) : null;
  });

  it('writes every value of a reused buffer: tile bytes scaled to [0, 1], 0 and invalid where there is no data', async () => {
    const margin = 32;
    const size = T + 2 * margin;
    const plane = size * size;
    const planes = new Float32Array(3 * plane).fill(9); // what an earlier chunk left
    const { valid } = await readWindow(cache, 3, 18, 10, 20, margin, planes);
    const at = (c: number, wx: number, wy: number) => planes[c * plane + wy * size + wx]!;
    // inside the tile (10, 20): pixel (px, py) = window (px + 32, py + 32)
    expect(at(0, 32 + 5, 32 + 6)).toBeCloseTo((160 + 5) / 255, 6);
    expect(at(1, 32 + 5, 32 + 6)).toBeCloseTo((64 + 6) / 255, 6);
    expect(at(2, 32 + 5, 32 + 6)).toBeCloseTo(21 / 255, 6);
    expect(valid[(32 + 6) * size + 32 + 5]).toBe(1);
    // the margin to the left and above: missing neighbours
    for (const [wx, wy] of [[3, 100], [100, 3], [0, 0]] as const) {
      expect([at(0, wx, wy), at(1, wx, wy), at(2, wx, wy)]).toEqual([0, 0, 0]);
      expect(valid[wy * size + wx]).toBe(0);
    }
    // right neighbour (11, 20), column 2 of it
    expect(at(0, 32 + 256 + 2, 40)).toBeCloseTo((176 + 2) / 255, 6);
    // lower right (11, 21): its left half is transparent, so the margin corner there has no data
    expect(valid[(32 + 256 + 3) * size + 32 + 256 + 3]).toBe(0);
    expect(at(0, 32 + 256 + 3, 32 + 256 + 3)).toBe(0);
    expect(planes.some((v) => v === 9)).toBe(false);
  });

  it('decodes each tile once while it stays in the cache', async () => {
    reads.length = 0;
    const before = cache.decoded;
    await readWindow(cache, 3, 18, 11, 20, 32);
    // (10..11, 19..21) were read for the first window; (12, 19..21) are new
    expect(reads.sort()).toEqual(['12/19', '12/20', '12/21']);
    expect(cache.decoded - before).toBe(3);
  });

  it('reads a forgotten item again, and only that item', async () => {
    await readWindow(cache, 4, 18, 10, 20, 32);
    cache.forget([3]);
    reads.length = 0;
    await readWindow(cache, 3, 18, 10, 20, 32);
    await readWindow(cache, 4, 18, 10, 20, 32);
    expect(reads.length).toBe(9);
  });
});
