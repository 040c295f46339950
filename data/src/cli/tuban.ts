#!/usr/bin/env node
// tuban: command-line client. `tuban upload <files…> [--flight <id>] [--captured-at <ISO>] [--kind K] [--wait]`;
// `tuban dataset export [--since DATE] [--streets CODES] --out DIR` (run beside the database and DATA_DIR).
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportDataset } from './dataset-export.js';
import { SpeedMeter, progressLine } from './progress-bar.js';
import { uploadFile } from './upload-file.js';
import { waitForImagery } from './wait.js';

const USAGE = `usage: tuban upload <files…> [--flight <id>] [--captured-at <ISO time>] [--kind drone|satellite|tileset|photo] [--wait]

Uploads imagery to a Tuban server, resuming interrupted uploads, and prints "<imagery id> <status>" per file.
  --flight <id>        the sortie (架次) the files come from
  --captured-at <ISO>  capture time with offset, e.g. 2025-03-10T09:30:00+08:00
  --kind <kind>        drone (default), satellite, tileset or photo (a JPEG is kept as a photo whatever the kind)
  --wait               return only when every file is ingested (ready) or failed; exit 1 if any failed
Environment: TUBAN_URL (default http://127.0.0.1:8080), TUBAN_TOKEN (a personal API token, required),
  TUBAN_STATE_DIR (where unfinished uploads are remembered; default ~/.local/state/tuban)

usage: tuban dataset export [--since YYYY-MM-DD] [--streets CODE,CODE…] [--background N] --out DIR

Writes a training set cut from the office's decisions (docs/learning.md) into DIR: train/ and val/ (the
district's validation share), each with A/, B/ and label/ PNG chips, and manifest.json. Runs where the database
and the imagery files are: DATABASE_URL and DATA_DIR as for the server.
  --since <date>       only decisions made on or after this day (Asia/Shanghai)
  --streets <codes>    only candidates in these streets
  --background <n>     undisturbed background chips per labelled spot (default 1)`;

function fail(message: string): never {
  process.stderr.write(`tuban: ${message}\n`);
  process.exit(2);
}

async function upload(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      flight: { type: 'string' },
      'captured-at': { type: 'string' },
      kind: { type: 'string' },
      wait: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) fail(`no files given\n${USAGE}`);
  const token = process.env.TUBAN_TOKEN;
  if (!token) fail('TUBAN_TOKEN is not set; create a token with POST /api/tokens and export it');
  const baseUrl = (process.env.TUBAN_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const flightId = values.flight === undefined ? undefined : Number(values.flight);
  if (flightId !== undefined && !(Number.isSafeInteger(flightId) && flightId > 0)) fail(`--flight "${values.flight}" is not a sortie id`);
  const stateDir = process.env.TUBAN_STATE_DIR || join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'tuban');
  mkdirSync(stateDir, { recursive: true });

  const tty = process.stderr.isTTY;
  let failures = 0;
  const uploaded: { file: string; imageryId: number }[] = [];
  for (const file of positionals) {
    const meter = new SpeedMeter();
    let lastDraw = 0;
    try {
      const out = await uploadFile(file, {
        baseUrl,
        token,
        stateFile: join(stateDir, 'uploads.json'),
        flightId,
        capturedAt: values['captured-at'],
        kind: values.kind,
        onProgress: (sent, total) => {
          meter.add(sent);
          const now = Date.now();
          if (tty && (now - lastDraw > 200 || sent === total)) {
            lastDraw = now;
            process.stderr.write(`\r${progressLine(file, sent, total, meter.bytesPerSecond)}\x1b[K`);
          }
        },
        onResume: () => process.stderr.write(`${file}: resuming an earlier upload\n`),
      });
      if (tty) process.stderr.write('\n');
      if (out.duplicate) process.stderr.write(`${file}: already uploaded as imagery ${out.imageryId}\n`);
      if (values.wait) uploaded.push({ file, imageryId: out.imageryId });
      else process.stdout.write(`${out.imageryId} ${out.status}\n`);
    } catch (err) {
      if (tty) process.stderr.write('\n');
      failures++;
      process.stderr.write(`${file}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.stdout.write(`- failed\n`);
    }
  }
  for (const { file, imageryId } of uploaded) {
    try {
      const final = await waitForImagery(imageryId, { baseUrl, token });
      if (final.status === 'failed') {
        failures++;
        process.stderr.write(`${file}: ingest failed: ${final.error ?? 'no reason given'}\n`);
      }
      process.stdout.write(`${imageryId} ${final.status}\n`);
    } catch (err) {
      failures++;
      process.stderr.write(`${file}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.stdout.write(`${imageryId} failed\n`);
    }
  }
  return failures > 0 ? 1 : 0;
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'upload' || command === 'dataset') {
  (command === 'upload' ? upload(rest) : exportDataset(rest, USAGE)).then(
    (code) => process.exit(code),
    (err: unknown) => fail(err instanceof Error ? err.message : String(err)),
  );
} else {
  process.stdout.write(`${USAGE}\n`);
  process.exit(command === undefined || command === '--help' || command === '-h' ? 0 : 2);
}
