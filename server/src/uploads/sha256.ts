import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';

/** SHA-256 of a stream as lowercase hex, piece by piece so memory stays flat for any size. */
export async function sha256Stream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * The SHA-256 of each upload, computed from the bytes as they pass to the store, so a finished upload is never
 * read a second time. A hash follows one upload across its PATCH requests while each starts where the hashed
 * bytes end; after a gap (a server restart, a request that failed after bytes were hashed but not stored) it is
 * dropped, and the finished file is read once more instead.
 */
export class RunningHashes {
  private readonly running = new Map<string, { hash: Hash; bytes: number }>();

  /** Passes one PATCH body through, hashing it when it continues the upload's hash (or starts one at 0). */
  tap(id: string, offset: number, body: Readable): { stream: Readable; settle(stored: number): void } {
    let entry = this.running.get(id);
    if (offset === 0) entry = { hash: createHash('sha256'), bytes: 0 };
    else if (entry?.bytes !== offset) entry = undefined;
    this.running.delete(id);
    if (!entry) return { stream: body, settle: () => undefined };
    const e = entry;
    let seen = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        e.hash.update(chunk);
        seen += chunk.length;
        done(null, chunk);
      },
    });
    body.on('error', (err) => hashing.destroy(err));
    return {
      stream: body.pipe(hashing),
      // The store reports what it kept; the hash is good only if that is exactly what passed through it.
      settle: (stored) => {
        if (stored - offset !== seen) return;
        e.bytes = stored;
        this.running.set(id, e);
      },
    };
  }

  /** The finished upload's hash when every one of its `size` bytes passed through; null otherwise. */
  take(id: string, size: number): string | null {
    const e = this.running.get(id);
    this.running.delete(id);
    return e && e.bytes === size ? e.hash.digest('hex') : null;
  }

  forget(id: string): void {
    this.running.delete(id);
  }
}
