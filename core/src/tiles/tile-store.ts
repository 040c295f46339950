// Where imagery tile pyramids live. The local folder store is the default; an S3-compatible store can
// implement the same interface. A pyramid is written into a staging area and published in one step, so a
// reader never sees half of one.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface TileKey {
  z: number;
  x: number;
  y: number;
}

export interface PyramidWriter {
  /** Writes a tile under the pyramid's extension, or under `ext` where given (a mixed-format pyramid). */
  put(key: TileKey, data: Buffer, ext?: string): Promise<void>;
  /** Another file of the item (e.g. thumbnail.webp), published together with the tiles. */
  putFile(name: string, data: Buffer): Promise<void>;
  /** Replaces whatever was published for the item with what was written; nothing is visible before. */
  publish(): Promise<void>;
  /** Throws away what was written, after the writes under way; later writes are refused. */
  discard(): Promise<void>;
}

export interface TileStore {
  /**
   * Starts a new pyramid for an item, its tiles stored under `ext` unless a put says otherwise; leftovers of
   * earlier, interrupted writers of that item are removed.
   */
  begin(item: string, ext: string): Promise<PyramidWriter>;
  get(item: string, key: TileKey, ext: string): Promise<Buffer | null>;
  getFile(item: string, name: string): Promise<Buffer | null>;
  /** Removes a published pyramid (and any staging leftovers). */
  remove(item: string): Promise<void>;
}

const SAFE_ITEM = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
export const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

export function checkItem(item: string): void {
  if (!SAFE_ITEM.test(item)) throw new Error(`bad tile store item name: ${item}`);
}

/** Tiles as files: `<root>/<item>/{z}/{x}/{y}.<ext>`; staging under `<root>/.staging/`. */
export class LocalTileStore implements TileStore {
  constructor(readonly root: string) {}

  private staging(item: string): string {
    return join(this.root, '.staging', item.replaceAll('/', '__'));
  }

  async begin(item: string, ext: string): Promise<PyramidWriter> {
    checkItem(item);
    const stagingBase = this.staging(item);
    // An interrupted earlier attempt (a killed worker) may have left a staging folder behind.
    await rm(stagingBase, { recursive: true, force: true });
    const dir = join(stagingBase, randomBytes(6).toString('hex'));
    await mkdir(dir, { recursive: true });
    const finalDir = join(this.root, item);
    const made = new Set<string>();
    const ensure = async (d: string) => {
      if (made.has(d)) return;
      await mkdir(d, { recursive: true });
      made.add(d);
    };
    // Tiles are written concurrently: discard waits for the writes under way and refuses later ones, so
    // removing the staging folder cannot race a write that recreates part of it.
    const writing = new Set<Promise<void>>();
    let discarded = false;
    return {
      async put({ z, x, y }, data, tileExt = ext) {
        if (discarded) throw new Error(`the pyramid of ${item} was discarded`);
        const d = join(dir, String(z), String(x));
        const write = ensure(d).then(() => writeFile(join(d, `${y}.${tileExt}`), data));
        writing.add(write);
        try {
          await write;
        } finally {
          writing.delete(write);
        }
      },
      async putFile(name, data) {
        if (!SAFE_NAME.test(name)) throw new Error(`bad file name: ${name}`);
        await writeFile(join(dir, name), data);
      },
      async publish() {
        await mkdir(join(finalDir, '..'), { recursive: true });
        const old = join(stagingBase, 'old');
        await rm(old, { recursive: true, force: true });
        await rename(finalDir, old).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
        await rename(dir, finalDir);
        await rm(stagingBase, { recursive: true, force: true });
      },
      async discard() {
        discarded = true;
        await Promise.allSettled(writing);
        await rm(stagingBase, { recursive: true, force: true });
      },
    };
  }

  async get(item: string, { z, x, y }: TileKey, ext: string): Promise<Buffer | null> {
    checkItem(item);
    return readOrNull(join(this.root, item, String(z), String(x), `${y}.${ext}`));
  }

  async getFile(item: string, name: string): Promise<Buffer | null> {
    checkItem(item);
    if (!SAFE_NAME.test(name)) return null;
    return readOrNull(join(this.root, item, name));
  }

  async remove(item: string): Promise<void> {
    checkItem(item);
    await rm(join(this.root, item), { recursive: true, force: true });
    await rm(this.staging(item), { recursive: true, force: true });
  }
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The store of imagery pyramids under the configured data folder. */
export function imageryTileStore(dataDir: string): TileStore {
  return new LocalTileStore(join(dataDir, 'tiles'));
}

export const imageryItem = (id: number): string => `imagery/${id}`;
