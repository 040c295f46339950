// npm run backup [-- --out DIR]      the database and DATA_DIR into DIR (default .data/backups/<time>)
// npm run restore -- DIR [--replace] a backup into DATABASE_URL and DATA_DIR
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { parseStorageUrl } from '../storage/storage-url.js';
import { backup, restore, type Manifest } from './backup.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, replace: { type: 'boolean', default: false } },
});
const [command, from] = positionals;
const config = loadConfig();
if (parseStorageUrl(config.STORAGE_URL, config.DATA_DIR).kind === 's3' && (command === 'backup' || command === 'restore')) {
  // The files are in the bucket, not under DATA_DIR: a backup of the database alone would look complete and not be.
  console.error(`${command} copies the database and DATA_DIR; with STORAGE_URL=s3://… the files are in the bucket. ` +
    'Back the bucket up with the store\'s own tools (docs/scaling.md) and the database with pg_dump.');
  process.exit(2);
}
const target = { databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR };
const summary = (m: Manifest) =>
  `database ${(m.database.bytes / 1e6).toFixed(1)} MB (${m.database.migrations.length} migrations), ` +
  `${m.files.length} files ${(m.files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1)} MB`;

try {
  if (command === 'backup') {
    const out = values.out ?? join(config.DATA_DIR, '..', 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
    console.log(`backup written to ${out}: ${summary(await backup(target, out))}`);
  } else if (command === 'restore' && from) {
    console.log(`restored from ${from}: ${summary(await restore(target, from, { replace: values.replace }))}`);
  } else {
    console.error('usage: npm run backup [-- --out DIR] | npm run restore -- DIR [--replace]');
    process.exitCode = 2;
  }
} catch (err) {
  console.error(`${command} failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
