// Usage: tsx data/src/import-streets-cli.ts <file.geojson> [--from gcj02|wgs84|cgcs2000] [--source NAME]
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { loadConfig } from '@tuban/core/config';
import { createPool, withTransaction } from '@tuban/core/db/pool';
import { importStreets, StreetImportError, type ImportDatum } from './import-streets.js';

const DATUMS: readonly ImportDatum[] = ['wgs84', 'gcj02', 'cgcs2000'];
const USAGE = 'usage: import-streets-cli <file.geojson> [--from gcj02|wgs84|cgcs2000] [--source NAME]';

function fail(message: string): never {
  console.error(`import-streets: ${message}`);
  process.exit(1);
}

function parseArgs(argv: string[]): { file: string; from: ImportDatum; source?: string } {
  let file: string | undefined;
  let from: ImportDatum = 'wgs84';
  let source: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--from' || arg === '--source') {
      const value = argv[++i];
      if (!value) fail(`${arg} needs a value\n${USAGE}`);
      if (arg === '--source') source = value;
      else if ((DATUMS as readonly string[]).includes(value)) from = value as ImportDatum;
      else fail(`--from must be one of ${DATUMS.join(', ')}, not ${value}`);
    } else if (arg.startsWith('-')) fail(`unknown option ${arg}\n${USAGE}`);
    else if (file) fail(`only one file, please\n${USAGE}`);
    else file = arg;
  }
  if (!file) fail(USAGE);
  return { file, from, source };
}

const args = parseArgs(process.argv.slice(2));
let text: string;
try {
  text = await readFile(args.file, 'utf8');
} catch (err) {
  fail(`cannot read ${args.file}: ${(err as Error).message}`);
}
let input: unknown;
try {
  input = JSON.parse(text);
} catch (err) {
  fail(`${args.file} is not valid JSON: ${(err as Error).message}`);
}

const pool = createPool(loadConfig().DATABASE_URL, { max: 1 });
try {
  const source = args.source ?? basename(args.file).replace(/\.(geo)?json$/i, '');
  const report = await withTransaction(pool, (client) => importStreets(client, input, { from: args.from, source }));
  if (report.imported.length === 0) {
    fail(`no feature in ${args.file} matched a Putuo street by code (310107xxx) or name; ${report.unmatched.length} unmatched`);
  }
  for (const s of report.imported) console.log(`imported ${s.code} ${s.name} from feature(s) ${s.features.join(', ')}`);
  for (const r of report.repaired) console.log(`repaired ${r.label}: ${r.reason}`);
  for (const u of report.unmatched) console.log(`skipped ${u.label}: matches no Putuo street`);
  for (const n of report.notCovered) console.log(`not covered: ${n.code} ${n.name} keeps its current boundary`);
  console.log(`boundary source: ${source}${args.from === 'gcj02' ? ' (converted from GCJ-02)' : ''}`);
} catch (err) {
  if (err instanceof StreetImportError) fail(err.message);
  throw err;
} finally {
  await pool.end();
}
