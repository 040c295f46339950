import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStore } from '@tus/file-store';

/**
 * Deletes unfinished uploads nobody has written to for `maxAgeMs`, and info files whose data file is gone.
 * Finished uploads stay: they are the source files of ingest jobs. Age counts from the last write, not
 * from creation, so a slow 20 GB upload that is still moving is never cut off.
 */
export async function removeAbandonedUploads(store: FileStore, dir: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    const id = name.slice(0, -'.json'.length);
    const infoPath = join(dir, name);
    try {
      const info = JSON.parse(await readFile(infoPath, 'utf8')) as { size?: number };
      const data = await stat(join(dir, id)).catch(() => undefined);
      if (!data) {
        await unlink(infoPath);
        removed.push(id);
        continue;
      }
      if (info.size !== undefined && data.size >= info.size) continue;
      const touched = Math.max(data.mtimeMs, (await stat(infoPath)).mtimeMs);
      if (now - touched > maxAgeMs) {
        await store.remove(id);
        removed.push(id);
      }
    } catch {
      // One unreadable info file, or an upload removed meanwhile, must not stop the sweep.
    }
  }
  return removed;
}
