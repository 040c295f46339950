// A bounded, seeded schemathesis run over the whole OpenAPI document as an admin, against the real app on its
// own throw-away database: no answer may be a 5xx, and every answer must match the schema the document declares.
// scripts/test.sh makes the fuzzer's virtual environment (.data/fuzz-venv); without it the run is skipped.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useHarness } from './harness.js';

// One worker: with several threads, this schemathesis on Python 3.11 now and then trips over its own AST parsing.
const ST = new URL('../../.data/fuzz-venv/bin/st', import.meta.url).pathname;
/**
 * Examples per operation. In npm test 25: about 4,700 requests with the coverage phase's own, a minute or two on
 * two cores. FUZZ_EXAMPLES=50 gives the longer run of docs/security.md (over 5,000 requests).
 */
const EXAMPLES = Number(process.env.FUZZ_EXAMPLES || 25);
const MIN_REQUESTS = EXAMPLES * 100;
const SEED = 20261204;

const MODEL = { name: 'fuzz-model', version: '0.0', threshold: 0.5, metresPerPixel: 0.5, gsdRange: [0.4, 0.8] as [number, number] };
const h = useHarness('fuzz', { LOGIN_LOCK_AFTER: 1000 }, { changeModel: async () => MODEL });
let baseUrl = '';
let token = '';

beforeAll(async () => {
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const address = h.app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app did not listen on a TCP port');
  baseUrl = `http://127.0.0.1:${address.port}`;
  const cookie = await h.login('admin');
  const res = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie }, payload: { name: 'fuzz' } });
  token = res.json().token;
});

interface FuzzRun {
  code: number;
  output: string;
  requests: number;
}

/** How many requests the run's HAR report holds (schemathesis also leaves its own folders beside it). */
async function readHar(reportDir: string): Promise<number> {
  const harFile = (await readdir(reportDir)).find((name) => /^har-.*\.json$/.test(name));
  if (!harFile) throw new Error('schemathesis wrote no HAR report');
  const har = JSON.parse(await readFile(join(reportDir, harFile), 'utf8')) as { log: { entries: unknown[] } };
  return har.log.entries.length;
}

function runSchemathesis(reportDir: string): Promise<FuzzRun> {
  const args = [
    'run', `${baseUrl}/docs/json`,
    '--checks', 'not_a_server_error,response_schema_conformance,content_type_conformance',
    '--max-examples', String(EXAMPLES), '--seed', String(SEED), '--generation-deterministic',
    '--phases', 'examples,coverage,fuzzing',
    '--workers', '1', '--request-timeout', '30', '--no-color', '--continue-on-failure',
    '--header', `Authorization: Bearer ${token}`,
    // Deleting API tokens would delete the one this run authenticates with.
    '--exclude-path-regex', '^/api/tokens/',
    '--report', 'har', '--report-dir', reportDir,
  ];
  return new Promise((resolve, reject) => {
    // Run in the report folder: schemathesis keeps a cache folder where it runs.
    const child = spawn(ST, args, { cwd: reportDir, env: { ...process.env, SCHEMATHESIS_HOOKS: '' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      readHar(reportDir)
        .then((requests) => resolve({ code: code ?? -1, output, requests }))
        .catch((err: Error) => reject(new Error(`${err.message}\n${output.slice(-4000)}`)));
    });
  });
}

describe.skipIf(!existsSync(ST))('fuzzing the OpenAPI document', () => {
  it(`answers ${EXAMPLES} examples per operation without a 5xx or a response outside its schema`, async () => {
    const run = await runSchemathesis(await mkdtemp(join(tmpdir(), 'tuban-fuzz-')));
    console.log(`schemathesis sent ${run.requests} requests`);
    expect(run.code, run.output.slice(-8000)).toBe(0);
    expect(run.requests).toBeGreaterThanOrEqual(MIN_REQUESTS);
  }, 1_500_000);
});

if (!existsSync(ST)) console.warn(`fuzz test skipped: ${ST} missing (scripts/test.sh creates it)`);
