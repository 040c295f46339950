// The file an ingest reads: a local file, or an object in the store. Rasters are read by byte ranges (ranged GETs
// on S3, never the whole file); readers that need a path of their own (SQLite for MBTiles, zip, EXIF) get a
// temporary copy in the worker's own folder.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { LocalObjectStore } from '@tuban/core/storage/local-object-store';
import { missingObject, type ObjectStore } from '@tuban/core/storage/object-store';

export interface IngestSource {
  /** The path or object key, named in errors (a missing source fails with code ENOENT and this as path). */
  readonly name: string;
  /** The local file, when the source is one. */
  readonly path: string | null;
  size(): Promise<number>;
  read(offset: number, length: number): Promise<Buffer>;
  /** A local file of the whole source; `release` removes it when it is a temporary copy. */
  localFile(): Promise<{ path: string; release(): Promise<void> }>;
}

export function fileSource(path: string): IngestSource {
  return {
    name: path,
    path,
    size: async () => (await stat(path)).size,
    async read(offset, length) {
      const fh = await open(path, 'r');
      try {
        const { buffer, bytesRead } = await fh.read(Buffer.alloc(length), 0, length, offset);
        return buffer.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    },
    localFile: async () => ({ path, release: async () => undefined }),
  };
}

/** An object of the store; a local store's object is its file. `workDir` takes temporary copies. */
export function objectSource(objects: ObjectStore, key: string, workDir: string): IngestSource {
  if (objects instanceof LocalObjectStore) return { ...fileSource(objects.path(key)), name: key };
  let size: number | undefined;
  return {
    name: key,
    path: null,
    async size() {
      if (size === undefined) {
        const s = await objects.size(key);
        if (s === null) throw missingObject(key);
        size = s;
      }
      return size;
    },
    read: (offset, length) => objects.getRange(key, offset, length),
    async localFile() {
      const stream = await objects.stream(key);
      if (!stream) throw missingObject(key);
      await mkdir(workDir, { recursive: true });
      const path = join(workDir, `ingest-${randomBytes(6).toString('hex')}`);
      try {
        await pipeline(stream, createWriteStream(path));
      } catch (err) {
        await rm(path, { force: true });
        throw err;
      }
      return { path, release: () => rm(path, { force: true }) };
    },
  };
}

export const asSource = (input: string | IngestSource): IngestSource => (typeof input === 'string' ? fileSource(input) : input);

/**
 * The source as geotiff.js reads it: byte ranges fetched on demand (geotiff.js asks for the header, the image
 * directories, then one range per strip or tile it decodes).
 */
export function geotiffSource(source: IngestSource) {
  let fileSize: number | null = null;
  const fetchSlice = async (slice: { offset: number; length: number }) => {
    let data = await source.read(slice.offset, slice.length);
    // geotiff.js may ask past the end (its first read is a fixed size); a file read there gives zeros.
    if (data.length < slice.length) data = Buffer.concat([data, Buffer.alloc(slice.length - data.length)]);
    const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    return { offset: slice.offset, length: slice.length, data: ab };
  };
  return {
    fetch: async (slices: { offset: number; length: number }[]) => (await Promise.all(slices.map(fetchSlice))).map((s) => s.data),
    fetchSlice,
    get fileSize() {
      return fileSize;
    },
    async init() {
      fileSize = await source.size();
    },
    close: async () => undefined,
  };
}
