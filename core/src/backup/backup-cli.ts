// npm run backup [-- --out DIR]      the database and every file (DATA_DIR, or the S3 store of STORAGE_URL) into DIR
//                                    (default .data/backups/<time>)
// npm run restore -- DIR [--replace] a backup into DATABASE_URL and the store of STORAGE_URL
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { S3ObjectStore } from '../storage/s3-object-store.js';
import { parseStorageUrl } from '../storage/storage-url.js';
import { backup, restore, type BackupTarget, type Manifest } from './backup.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, replace: { type: 'boolean', default: false } },
});
const [command, from] = positionals;
const config = loadConfig();
const summary = (m: Manifest) =>
  `database ${(m.database.bytes / 1e6).toFixed(1)} MB (${m.database.migrations.length} migrations), ` +
  `${m.files.length} files ${(m.files.reduce((s, f) => s + f.bytes, 0) / 1e6).toFixed(1)} MB`;

try {
  const target = await openTarget();
  if (command === 'backup') {
    const out = values.out ?? join(config.DATA_DIR, '..', 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
    console.log(`backup written to ${out}: ${summary(await backup(target, out))}`);
  } else if (command === 'restore' && from) {
    if (values.replace && target.s3) {
      console.log(`restoring into ${target.s3.describe} with --replace: objects under the backup's keys are overwritten and ` +
        'the others removed once all of the backup\'s are written; they are not kept aside');
    }
    const { manifest, removed } = await restore(target, from, { replace: values.replace });
    console.log(`restored from ${from}: ${summary(manifest)}${target.s3 && values.replace ? `; ${removed} other objects removed` : ''}`);
  } else {
    console.error('usage: npm run backup [-- --out DIR] | npm run restore -- DIR [--replace]');
    process.exitCode = 2;
  }
} catch (err) {
  console.error(`${command} failed: ${(err as Error).message}`);
  process.exitCode = 1;
}

/** The database and where the files are: a folder (DATA_DIR or STORAGE_URL's file://) or an S3 store. */
async function openTarget(): Promise<BackupTarget> {
  const loc = parseStorageUrl(config.STORAGE_URL, config.DATA_DIR);
  if (loc.kind === 'local') return { databaseUrl: config.DATABASE_URL, dataDir: loc.root };
  const s3 = new S3ObjectStore(loc);
  await s3.ensureBucket();
  return { databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, s3 };
}
