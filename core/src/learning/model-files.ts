// Where a model version's ONNX file is read from. A shipped version (no parent) lies in the repository. A trained
// one lies in the object store (STORAGE_URL) under its recorded key: read in place from a folder store, and from
// S3 through a cache folder of this machine's own. Either way the file used is the one that was measured: its
// SHA-256 is checked against the recorded one before use.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { ModelVersionRow } from '../db/model-versions.js';
import { Conflict } from '../errors.js';
import { LocalObjectStore } from '../storage/local-object-store.js';
import type { ObjectStore } from '../storage/object-store.js';

/** Shipped versions' ONNX paths are relative to the repository; trained ones are keys in the object store. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where this process gets trained versions' files: the store, and this machine's folder for copies of them. */
export interface ModelFiles {
  objects: ObjectStore;
  /** copies of trained versions kept in S3, a folder per version (DATA_DIR/tmp/models); unused with a folder store */
  cacheDir: string;
}

export const modelFiles = (objects: ObjectStore, dataDir: string): ModelFiles => ({ objects, cacheDir: join(dataDir, 'tmp', 'models') });

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

type VersionFile = Pick<ModelVersionRow, 'version' | 'onnxPath' | 'onnxSha256' | 'parentVersion' | 'card'>;

/** The version's ONNX file on this machine, once it is there and is the file that was measured (same SHA-256). */
export async function verifiedModelFile(row: VersionFile, files: ModelFiles): Promise<string> {
  if (row.parentVersion === null) return checkedFile(row, resolve(REPO_ROOT, row.onnxPath));
  if (files.objects instanceof LocalObjectStore) return checkedFile(row, files.objects.path(row.onnxPath));
  return cachedCopy(row, files);
}

async function checkedFile(row: VersionFile, path: string): Promise<string> {
  let sha: string;
  try {
    sha = await sha256OfFile(path);
  } catch (err) {
    throw new Conflict(`model version ${row.version}: its ONNX file ${row.onnxPath} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (sha !== row.onnxSha256) {
    throw new Conflict(`model version ${row.version}: its ONNX file ${row.onnxPath} has SHA-256 ${sha}, not the recorded ${row.onnxSha256}`);
  }
  return path;
}

const CACHED_NAME = /^[0-9A-Za-z.+_-]{1,64}$/;
/** The cache keeps this many versions, the most recently used, and any used within CACHE_IN_USE_MS. */
export const CACHE_KEEP_VERSIONS = 3;
const CACHE_IN_USE_MS = 60 * 60 * 1000;

/**
 * A copy of the version's object in the cache folder (`<version>/tuban-change.onnx`, with the recorded card beside
 * it, as the ONNX loader reads it): a copy already there with the recorded SHA-256 is used as it is; otherwise the
 * object is fetched under a temporary name, hashed on the way, and renamed into place only when its hash is the
 * recorded one (processes sharing the folder never see a partial copy).
 */
async function cachedCopy(row: VersionFile, files: ModelFiles): Promise<string> {
  if (!CACHED_NAME.test(row.version)) throw new Conflict(`model version ${JSON.stringify(row.version)}: its name cannot be a folder of the model cache`);
  const path = join(files.cacheDir, row.version, 'tuban-change.onnx');
  const fetched = (await sha256OfFile(path).catch(() => null)) !== row.onnxSha256;
  if (fetched) await fetchVerified(row, files, path);
  // Rewriting the card also marks the folder used now (its modification time), which pruning goes by.
  await writeAtomically(path.replace(/\.onnx$/, '.card.json'), (tmp) => writeFile(tmp, JSON.stringify(row.card, null, 2)));
  if (fetched) await pruneModelCache(files.cacheDir);
  return path;
}

/**
 * Removes the cached copies of versions not used lately: all but the CACHE_KEEP_VERSIONS most recently used, and
 * of those only the ones no process of this machine has used for CACHE_IN_USE_MS (another process may be about to
 * load a copy it has just checked). A removed version is fetched again if it is ever used again.
 */
export async function pruneModelCache(cacheDir: string, now = Date.now()): Promise<string[]> {
  const folders: { name: string; usedAt: number }[] = [];
  for (const entry of await readdir(cacheDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const usedAt = await stat(join(cacheDir, entry.name)).then((s) => s.mtimeMs, () => null);
    if (usedAt !== null) folders.push({ name: entry.name, usedAt });
  }
  folders.sort((a, b) => b.usedAt - a.usedAt);
  const stale = folders.slice(CACHE_KEEP_VERSIONS).filter((f) => now - f.usedAt > CACHE_IN_USE_MS);
  for (const { name } of stale) await rm(join(cacheDir, name), { recursive: true, force: true });
  return stale.map((f) => f.name);
}

async function fetchVerified(row: VersionFile, files: ModelFiles, path: string): Promise<void> {
  const where = `${row.onnxPath} in ${files.objects.describe}`;
  // A store that cannot be reached is a plain error (a job retries it); a missing or different file is a Conflict.
  const source = await files.objects.stream(row.onnxPath);
  if (!source) throw new Conflict(`model version ${row.version}: its ONNX file ${where} is missing`);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await writeAtomically(path, async (tmp) => {
    await pipeline(source, hashing, createWriteStream(tmp));
    const sha = hash.digest('hex');
    if (sha !== row.onnxSha256) throw new Conflict(`model version ${row.version}: its ONNX file ${where} has SHA-256 ${sha}, not the recorded ${row.onnxSha256}`);
  });
}

/** A file written by `write` under a temporary name, renamed into place when `write` succeeds. */
async function writeAtomically(path: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await write(tmp);
    await rename(tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}
