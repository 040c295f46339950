import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lzw } from '@tuban/data/raster/geotiff-writer';
import { lzwDecode } from './lzw.js';

describe('LZW decoding', () => {
  it.each([
    ['random bytes', randomBytes(50_000)],
    ['long runs (dictionary resets)', Buffer.alloc(300_000, 7)],
    ['a repeating pattern', Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) % 251))],
    ['a single byte', Buffer.from([42])],
  ])('round-trips %s', (_label, data) => {
    expect(Buffer.from(lzwDecode(lzw(data), data.length)).equals(data)).toBe(true);
  });

  it('refuses output beyond the block size and codes outside the dictionary', () => {
    const data = randomBytes(10_000);
    expect(() => lzwDecode(lzw(data), 5_000)).toThrow(/more than the block's 5000 bytes/);
    expect(() => lzwDecode(Uint8Array.from([0x80, 0x3f, 0xff, 0xff, 0xff]), 1000)).toThrow(/LZW/);
  });
});
