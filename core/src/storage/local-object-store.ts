import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkKey, missingObject, type ObjectStore } from './object-store.js';

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Objects as files under a folder: key `a/b.jpg` is `<root>/a/b.jpg`. Writes go to a temporary name, then rename. */
export class LocalObjectStore implements ObjectStore {
  readonly kind = 'local' as const;
  readonly describe: string;

  constructor(readonly root: string) {
    this.describe = `folder ${root}`;
  }

  /** The file of a key (local stores only: ready-made readers such as SQLite need a path). */
  path(key: string): string {
    return join(this.root, checkKey(key));
  }

  async put(key: string, body: Buffer | Readable): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      if (Buffer.isBuffer(body)) await writeFile(tmp, body);
      else await pipeline(body, createWriteStream(tmp));
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async getRange(key: string, offset: number, length: number): Promise<Buffer> {
    const fh = await open(this.path(key), 'r').catch((err: unknown) => {
      throw isMissing(err) ? missingObject(key) : err;
    });
    try {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(length), 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.path(key))).size;
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async stream(key: string): Promise<Readable | null> {
    if ((await this.size(key)) === null) return null;
    return createReadStream(this.path(key), { highWaterMark: 1 << 20 });
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.path(prefix);
    const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch((err: unknown) => {
      if (isMissing(err)) return [];
      throw err;
    });
    return entries
      .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
      .map((e) => relative(this.root, join(e.parentPath, e.name)).split(sep).join('/'));
  }

  async listFolders(prefix: string): Promise<string[]> {
    const entries = await readdir(this.path(prefix), { withFileTypes: true }).catch((err: unknown) => {
      if (isMissing(err)) return [];
      throw err;
    });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  }

  async remove(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async removePrefix(prefix: string): Promise<void> {
    await rm(this.path(prefix), { recursive: true, force: true });
  }
}
