import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalTileStore } from './tile-store.js';

describe('LocalTileStore', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('discards a pyramid while tiles are still being written, and leaves nothing behind', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tuban-tile-store-'));
    dirs.push(root);
    const store = new LocalTileStore(root);
    const writer = await store.begin('imagery/1', 'webp');
    const tile = Buffer.alloc(64 * 1024, 7);
    const writes = Array.from({ length: 200 }, (_, i) => writer.put({ z: 18, x: i % 20, y: Math.floor(i / 20) }, tile).catch(() => 'refused'));
    await writer.discard();
    await Promise.all(writes);
    await expect(writer.put({ z: 18, x: 0, y: 0 }, tile)).rejects.toThrow(/imagery\/1 was discarded/);
    expect(existsSync(join(root, '.staging')) ? await readdir(join(root, '.staging')) : []).toEqual([]);
    expect(existsSync(join(root, 'imagery'))).toBe(false);
  });
});
