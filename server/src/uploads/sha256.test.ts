import { createHash, randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { RunningHashes, sha256Stream } from './sha256.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Passes `body` through the hashes as a store's write would, keeping only the first `keep` bytes. */
async function write(hashes: RunningHashes, id: string, offset: number, body: Buffer, keep = body.length): Promise<number> {
  const tap = hashes.tap(id, offset, Readable.from([body.subarray(0, 1000), body.subarray(1000)]));
  let stored = 0;
  await pipeline(tap.stream, new Writable({
    write(chunk: Buffer, _enc, done) {
      stored += Math.min(chunk.length, keep - stored);
      done();
    },
  }));
  tap.settle(offset + stored);
  return offset + stored;
}

describe('RunningHashes', () => {
  const data = randomBytes(50_000);

  it('hashes an upload sent in several requests as it passes, equal to the hash of the whole file', async () => {
    const hashes = new RunningHashes();
    const mid = await write(hashes, 'u1', 0, data.subarray(0, 20_000));
    await write(hashes, 'u1', mid, data.subarray(20_000));
    expect(hashes.take('u1', data.length)).toBe(sha(data));
    expect(await sha256Stream(Readable.from([data]))).toBe(sha(data));
  });

  it('gives no hash when a request resumed elsewhere than where the hashed bytes end', async () => {
    const hashes = new RunningHashes();
    await write(hashes, 'u2', 0, data.subarray(0, 20_000));
    await write(hashes, 'u2', 30_000, data.subarray(30_000));
    expect(hashes.take('u2', data.length)).toBeNull();
  });

  it('gives no hash when the store kept fewer bytes than passed through (a request cut off)', async () => {
    const hashes = new RunningHashes();
    const kept = await write(hashes, 'u3', 0, data.subarray(0, 20_000), 15_000);
    expect(kept).toBe(15_000);
    await write(hashes, 'u3', kept, data.subarray(kept));
    expect(hashes.take('u3', data.length)).toBeNull();
  });
});
