// Backup and restore: the database as a pg_dump archive plus a copy of every file (the folder DATA_DIR, or every
// object of an S3 store), with a manifest of both (size and SHA-256 per file). A restore checks the whole backup
// against its manifest before it touches anything. Into a folder it restores the database in one transaction and
// swaps the files in with one rename. Into S3, where nothing can be swapped, it writes every object first (each
// whole or not at all), then restores the database, then (with `replace`) removes the objects the backup does
// not hold; stopped half-way, it can be run again with `replace`.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { Invalid } from '../errors.js';
import type { S3ObjectStore } from '../storage/s3-object-store.js';
import { copyStoreTo, putFilesInto, removeOthers, storeIsEmpty } from './backup-s3.js';

const run = promisify(execFile);
const MANIFEST = 'manifest.json';
const DUMP = 'database.dump';
const FILES = 'files';

export interface BackupTarget {
  databaseUrl: string;
  /** Only this schema (tests); by default the whole database but for test schemas. */
  schema?: string;
  /** The folder of every file (DATA_DIR, or STORAGE_URL's file:// folder); not used with `s3`. */
  dataDir: string;
  /** The S3 store when STORAGE_URL names one: its objects are the files. */
  s3?: S3ObjectStore;
}

type StoreKind = 'folder' | 's3';

export interface FileEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: 'tuban-backup/1';
  createdAt: string;
  schema: string | null;
  /** Where the files came from ('folder' when absent: backups from before S3); their layout differs (tile pyramids). */
  store?: StoreKind;
  database: FileEntry & { serverVersion: string; migrations: string[] };
  files: FileEntry[];
}

/** Writes a backup into `out` (which must not exist yet) and returns its manifest. */
export async function backup(target: BackupTarget, out: string): Promise<Manifest> {
  if (await exists(out)) throw new Invalid(`backup folder ${out} exists already; name a new one`);
  const migrations = await appliedMigrations(target);
  const tools = await pgTools(target.databaseUrl);
  const staging = `${out}.partial`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const schemaArgs = target.schema ? ['--schema', target.schema] : ['--exclude-schema', 'test_*'];
  await run(tools.pgDump, ['--format=custom', '--no-owner', '--no-privileges', ...schemaArgs, '--file', join(staging, DUMP), target.databaseUrl]);
  if (target.s3) await copyStoreTo(target.s3, join(staging, FILES));
  else if (await exists(target.dataDir)) await cp(target.dataDir, join(staging, FILES), { recursive: true });
  else await mkdir(join(staging, FILES));
  const manifest: Manifest = {
    format: 'tuban-backup/1',
    createdAt: new Date().toISOString(),
    schema: target.schema ?? null,
    store: kindOf(target),
    database: { ...(await describeFile(staging, DUMP)), serverVersion: tools.serverVersion, migrations },
    files: await describeTree(join(staging, FILES)),
  };
  await writeFile(join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  await rename(staging, out);
  return manifest;
}

export interface RestoreOptions {
  /**
   * Replace a database that holds data and files already there: a DATA_DIR is kept aside as
   * DATA_DIR.before-restore-…; in S3 the objects the backup does not hold are removed once all of its are written.
   */
  replace?: boolean;
}

export interface Restored {
  manifest: Manifest;
  /** Objects removed from an S3 store with `replace`: there before, not in the backup. */
  removed: number;
}

/** Restores a backup made by `backup`; refuses a damaged backup, one from another kind of store and, without `replace`, a target in use. */
export async function restore(target: BackupTarget, from: string, options: RestoreOptions = {}): Promise<Restored> {
  const manifest = await verifyBackup(from);
  const source = manifest.store ?? 'folder';
  if (source !== kindOf(target)) {
    throw new Invalid(`${from} holds the files of ${source === 's3' ? 'an S3 store' : 'a folder store'}, and the files here are ` +
      `${target.s3 ? `in ${target.s3.describe}` : 'a folder'}: their tile pyramids are laid out differently, so restore it with the ` +
      `kind of STORAGE_URL it was taken with`);
  }
  if (!options.replace) await assertEmptyTarget(target);
  const files = join(from, FILES);
  if (target.s3) await putFilesInto(target.s3, files, manifest.files.map((f) => f.path));
  const tools = await pgTools(target.databaseUrl);
  const args = ['--single-transaction', '--no-owner', '--no-privileges', '--exit-on-error', '--dbname', target.databaseUrl];
  if (options.replace) args.unshift('--clean', '--if-exists');
  await run(tools.pgRestore, [...args, join(from, DUMP)]);
  if (!target.s3) {
    await swapFilesIn(files, target.dataDir);
    return { manifest, removed: 0 };
  }
  const removed = options.replace ? await removeOthers(target.s3, manifest.files.map((f) => f.path)) : 0;
  return { manifest, removed };
}

function kindOf(target: BackupTarget): StoreKind {
  return target.s3 ? 's3' : 'folder';
}

/** Reads the manifest and checks every byte it names; throws naming the first problem. */
export async function verifyBackup(from: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(from, MANIFEST), 'utf8')) as Manifest;
  } catch (err) {
    throw new Invalid(`${from} is not a backup: ${MANIFEST} is missing or not JSON (${(err as Error).message})`);
  }
  if (manifest.format !== 'tuban-backup/1') throw new Invalid(`${from}: unknown backup format ${String(manifest.format)}`);
  await checkEntry(from, { ...manifest.database, path: DUMP });
  const present = new Set((await describeTree(join(from, FILES), false)).map((f) => f.path));
  for (const entry of manifest.files) {
    if (!present.delete(entry.path)) throw new Invalid(`backup is damaged: ${FILES}/${entry.path} is missing`);
    await checkEntry(join(from, FILES), entry);
  }
  if (present.size > 0) throw new Invalid(`backup is damaged: ${FILES}/${[...present][0]} is not in the manifest`);
  return manifest;
}

async function checkEntry(root: string, entry: FileEntry): Promise<void> {
  const actual = await describeFile(root, entry.path).catch(() => null);
  if (!actual) throw new Invalid(`backup is damaged: ${entry.path} is missing`);
  if (actual.bytes !== entry.bytes || actual.sha256 !== entry.sha256) {
    throw new Invalid(`backup is damaged: ${entry.path} does not match its manifest entry (size or SHA-256)`);
  }
}

async function assertEmptyTarget(target: BackupTarget): Promise<void> {
  const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 1 });
  try {
    const schema = target.schema ?? 'public';
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename <> 'spatial_ref_sys'`,
      [schema],
    );
    if (rows[0]!.n > 0) throw new Invalid(`the database already holds tables in schema ${schema}; restore with --replace to overwrite them`);
  } finally {
    await pool.end();
  }
  if (target.s3) {
    if (!(await storeIsEmpty(target.s3))) {
      throw new Invalid(`${target.s3.describe} holds objects already; restore with --replace to write the backup's over them and ` +
        `remove the others once all are written (they are not kept: back them up first if they may be needed)`);
    }
  } else if ((await exists(target.dataDir)) && (await readdir(target.dataDir)).length > 0) {
    throw new Invalid(`${target.dataDir} is not empty; restore with --replace to put it aside and use the backup's files`);
  }
}

/** Copies the files next to DATA_DIR, then swaps them in; an old DATA_DIR is kept beside it, renamed. */
async function swapFilesIn(source: string, dataDir: string): Promise<void> {
  const incoming = `${dataDir}.restoring`;
  await rm(incoming, { recursive: true, force: true });
  await mkdir(dirname(dataDir), { recursive: true });
  await cp(source, incoming, { recursive: true });
  if (await exists(dataDir)) {
    const empty = (await readdir(dataDir)).length === 0;
    if (empty) await rm(dataDir, { recursive: true });
    else await rename(dataDir, `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  }
  await rename(incoming, dataDir);
}

async function describeTree(root: string, hash = true): Promise<FileEntry[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
  files.sort();
  const out: FileEntry[] = [];
  for (const path of files) out.push(hash ? await describeFile(root, path) : { path, bytes: 0, sha256: '' });
  return out;
}

async function describeFile(root: string, path: string): Promise<FileEntry> {
  const full = join(root, path);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(full)) hash.update(chunk as Buffer);
  return { path, bytes: (await stat(full)).size, sha256: hash.digest('hex') };
}

async function appliedMigrations(target: BackupTarget): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 1, options: target.schema ? `-c search_path=${target.schema}` : undefined });
  try {
    const found = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
    if (!found.rows[0]!.t) throw new Invalid('the database holds no Tuban schema to back up (npm run migrate makes one)');
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    return rows.map((r) => r.name);
  } finally {
    await pool.end();
  }
}

/** pg_dump and pg_restore of the server's major version or newer (an older pg_dump refuses a newer server). */
async function pgTools(databaseUrl: string): Promise<{ pgDump: string; pgRestore: string; serverVersion: string }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  let serverVersion: string;
  try {
    serverVersion = (await pool.query<{ v: string }>('SHOW server_version')).rows[0]!.v;
  } finally {
    await pool.end();
  }
  const major = Number.parseInt(serverVersion, 10);
  const installed = (await readdir('/usr/lib/postgresql').catch(() => [] as string[])).map(Number).filter((v) => v >= major);
  const bin = installed.length > 0 ? `/usr/lib/postgresql/${Math.min(...installed)}/bin/` : '';
  const pgDump = `${bin}pg_dump`;
  try {
    await run(pgDump, ['--version']);
  } catch {
    throw new Invalid(`pg_dump ${major} or newer is needed (PostgreSQL ${serverVersion}); install postgresql-client-${major}`);
  }
  return { pgDump, pgRestore: `${bin}pg_restore`, serverVersion };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
