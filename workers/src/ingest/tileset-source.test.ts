import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectInputKind } from './tileset-source.js';
import { djiMakerNoteAngles } from './evidence-photo.js';

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'tuban-kind-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('detectInputKind', () => {
  it('goes by the first bytes, not the name', async () => {
    const cases: [string, Buffer, string][] = [
      ['a.tif', Buffer.from('SQLite format 3\0rest'), 'mbtiles'],
      ['b.mbtiles', Buffer.from([0x50, 0x4b, 3, 4, 0, 0]), 'zip'],
      ['c.tif', Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 0]), 'jpeg'],
      ['d.zip', Buffer.from('II*\0\x08\0\0\0', 'latin1'), 'raster'],
      ['e.tif', Buffer.alloc(0), 'raster'],
    ];
    for (const [name, bytes, kind] of cases) {
      await writeFile(join(dir, name), bytes);
      expect(await detectInputKind(join(dir, name)), name).toBe(kind);
    }
  });
});

describe('djiMakerNoteAngles', () => {
  it('reads pitch (tag 9) and yaw (tag 10) floats from a bare little-endian IFD', () => {
    const b = Buffer.alloc(2 + 3 * 12);
    b.writeUInt16LE(3, 0);
    const entry = (i: number, tag: number, type: number, value: number) => {
      const o = 2 + i * 12;
      b.writeUInt16LE(tag, o);
      b.writeUInt16LE(type, o + 2);
      b.writeUInt32LE(1, o + 4);
      b.writeFloatLE(value, o + 8);
    };
    entry(0, 1, 2, 0);
    entry(1, 9, 11, -89.9);
    entry(2, 10, 11, 103);
    const a = djiMakerNoteAngles(b);
    expect(a.pitch).toBeCloseTo(-89.9, 4);
    expect(a.yaw).toBe(103);
    expect(djiMakerNoteAngles(undefined)).toEqual({ pitch: null, yaw: null });
    expect(djiMakerNoteAngles(Buffer.from([200, 0]))).toEqual({ pitch: null, yaw: null });
  });
});
