// Where a training set's files go, and how the set appears in one step: a folder is filled under a staging name
// and renamed into place; under a key prefix of an object store (S3 cannot rename) the chips are put first and
// the manifest last, so a set is there once its manifest.json is, and readers take only the files it lists.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Invalid } from '../errors.js';
import { LocalObjectStore } from '../storage/local-object-store.js';
import { checkKey, type ObjectStore } from '../storage/object-store.js';

/** A folder, or a key prefix (`training-sets/<name>`) in an object store; a folder store's prefix is its folder. */
export type TrainingSetOut = string | { objects: ObjectStore; prefix: string };

export const MANIFEST = 'manifest.json';

export interface SetWriter {
  /** clears what an interrupted earlier attempt (or, when replacing, an earlier set) left */
  begin(): Promise<void>;
  put(path: string, data: Buffer): Promise<void>;
  /** writes the manifest and makes the set visible */
  publish(manifest: Buffer): Promise<void>;
  /** removes what this attempt wrote */
  discard(): Promise<void>;
}

/** A writer for `out`; without `replace`, a folder or prefix that already holds files is refused. */
export async function openSetWriter(out: TrainingSetOut, replace: boolean): Promise<SetWriter> {
  if (typeof out === 'string') return folderWriter(out, replace);
  if (out.objects instanceof LocalObjectStore) return folderWriter(out.objects.path(out.prefix), replace);
  return objectWriter(out.objects, out.prefix, replace);
}

async function folderWriter(out: string, replace: boolean): Promise<SetWriter> {
  if (!replace) {
    const entries = await readdir(out).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw new Invalid(`cannot use ${out} as the output folder: ${err.message}`);
    });
    if (entries.length > 0) throw new Invalid(`${out} is not empty; give a new folder for the training set`);
  }
  const staging = `${out}.partial-${process.pid}`;
  const put = async (path: string, data: Buffer) => {
    await mkdir(dirname(join(staging, path)), { recursive: true });
    await writeFile(join(staging, path), data);
  };
  return {
    begin: () => rm(staging, { recursive: true, force: true }),
    put,
    async publish(manifest) {
      await put(MANIFEST, manifest);
      await rm(out, { recursive: true, force: true });
      await mkdir(dirname(out), { recursive: true });
      await rename(staging, out);
    },
    discard: () => rm(staging, { recursive: true, force: true }),
  };
}

async function objectWriter(objects: ObjectStore, prefix: string, replace: boolean): Promise<SetWriter> {
  const base = checkKey(`${prefix.replace(/\/+$/, '')}/`);
  if (!replace && (await objects.list(base)).length > 0) {
    throw new Invalid(`${base} in ${objects.describe} is not empty; give a new name for the training set`);
  }
  return {
    async begin() {
      // the manifest first: an earlier set stops being one before any of its chips go
      await objects.remove(`${base}${MANIFEST}`);
      await objects.removePrefix(base);
    },
    put: (path, data) => objects.put(`${base}${path}`, data, 'image/png'),
    publish: (manifest) => objects.put(`${base}${MANIFEST}`, manifest, 'application/json'),
    discard: () => objects.removePrefix(base),
  };
}
