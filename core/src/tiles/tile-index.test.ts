import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TileIndex, TileIndexBuilder } from './tile-index.js';

describe('tile index', () => {
  it('says which tiles a pyramid holds and under which extension, at every zoom', () => {
    const builder = new TileIndexBuilder();
    const inner = { z: 18, x: 219_601, y: 107_001 };
    const edge = { z: 18, x: 219_600, y: 107_003 };
    builder.add(inner, 'jpg');
    builder.add(edge, 'png');
    builder.add({ z: 17, x: 109_800, y: 53_500 }, 'jpg');
    const index = TileIndex.decode(builder.encode()!);
    expect(index.has(inner, 'jpg')).toBe(true);
    expect(index.has(inner, 'png')).toBe(false);
    expect(index.has(edge, 'png')).toBe(true);
    expect(index.has(edge, 'jpg')).toBe(false);
    // Inside the range but not written, outside it on every side, and a zoom without tiles.
    expect(index.has({ z: 18, x: 219_601, y: 107_002 }, 'jpg')).toBe(false);
    for (const [x, y] of [[219_599, 107_001], [219_602, 107_001], [219_601, 107_000], [219_601, 107_004]] as const) {
      expect(index.has({ z: 18, x, y }, 'jpg')).toBe(false);
    }
    expect(index.has({ z: 17, x: 109_800, y: 53_500 }, 'jpg')).toBe(true);
    expect(index.has({ z: 19, x: 439_202, y: 214_002 }, 'jpg')).toBe(false);
    expect(index.bytes).toBe(2 * 3 + 1);
  });

  it('is small for a district-sized pyramid', () => {
    const builder = new TileIndexBuilder();
    for (let x = 0; x < 60; x++) for (let y = 0; y < 60; y++) builder.add({ z: 18, x: 200_000 + x, y: 100_000 + y }, x === 0 || y === 59 ? 'png' : 'jpg');
    const encoded = builder.encode()!;
    expect(encoded.length).toBeLessThan(1000);
    const index = TileIndex.decode(encoded);
    expect(index.has({ z: 18, x: 200_000, y: 100_010 }, 'png')).toBe(true);
    expect(index.has({ z: 18, x: 200_030, y: 100_010 }, 'jpg')).toBe(true);
  });

  it('gives no index for tiles spread too wide, so readers ask the store', () => {
    const builder = new TileIndexBuilder();
    builder.add({ z: 20, x: 0, y: 0 }, 'jpg');
    builder.add({ z: 20, x: 1_000_000, y: 1_000_000 }, 'jpg');
    expect(builder.encode()).toBeNull();
  });

  it('refuses damaged data with the reason', () => {
    expect(() => TileIndex.decode(Buffer.from('not an index'))).toThrow();
    const header = '{"exts":["jpg"],"zooms":[{"z":18,"x0":5,"y0":5,"w":5,"h":5}]}\n';
    expect(() => TileIndex.decode(deflateRawSync(Buffer.from(`${header}\u0001`)))).toThrow(/cut short at zoom 18/);
    expect(() => TileIndex.decode(deflateRawSync(Buffer.concat([Buffer.from(header), Buffer.alloc(26)])))).toThrow(/longer than its header/);
  });
});
