import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import * as tus from 'tus-js-client';
import { Upload, type FileReader, type UrlStorage } from 'tus-js-client';

// Node-only export that the package's type declarations leave out.
const { FileUrlStorage } = tus as unknown as { FileUrlStorage: new (path: string) => UrlStorage };

export interface UploadFileOptions {
  baseUrl: string;
  token: string;
  /** The on-disk store of unfinished uploads, so a new run continues where the last one stopped. */
  stateFile: string;
  flightId?: number;
  capturedAt?: string;
  kind?: string;
  /** Bytes per PATCH request; smaller means less to resend after a drop. */
  chunkSize?: number;
  onProgress?: (sent: number, total: number) => void;
  onResume?: () => void;
}

export interface UploadOutcome {
  imageryId: number;
  status: string;
  duplicate: boolean;
}

/** Bytes per read of the file: with Node's default of 64 KiB the client spent twice the CPU per GiB. */
const READ_BYTES = 1 << 20;

/**
 * The file as tus-js-client sends it: each PATCH's part read by a stream of its own, like the client's own file
 * source, but READ_BYTES at a time (its source opens those streams with the default, whatever the stream given).
 */
const megabyteReads: FileReader = {
  async openFile(input: ReadStream) {
    const path = String(input.path);
    const { size } = await stat(path);
    return {
      size,
      async slice(start: number, end: number) {
        const length = Math.max(0, Math.min(end, size) - start);
        const part = length > 0 ? createReadStream(path, { start, end: start + length - 1, highWaterMark: READ_BYTES }) : Readable.from([]);
        // The size is what tus-js-client sends as the request's Content-Length.
        return { value: Object.assign(part, { size: length }), done: start + length >= size };
      },
      close: () => input.destroy(),
    };
  },
};

// Network errors and 5xx are retried this many times, waiting this long, before a file counts as failed.
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000, 60_000, 60_000, 60_000];

/** Uploads one file over tus, resuming an earlier attempt of the same file from the state file. */
export async function uploadFile(path: string, opts: UploadFileOptions): Promise<UploadOutcome> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  const metadata: Record<string, string> = { filename: basename(path), kind: opts.kind ?? 'drone' };
  if (opts.flightId !== undefined) metadata.flightId = String(opts.flightId);
  if (opts.capturedAt) metadata.capturedAt = opts.capturedAt;
  const headers = { authorization: `Bearer ${opts.token}` };

  const storage = new FileUrlStorage(opts.stateFile);
  let upload: Upload | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    // A file stream, which tus-js-client fingerprints by its path to resume the upload; megabyteReads reads the file.
    upload = new Upload(createReadStream(path), {
      fileReader: megabyteReads,
      endpoint: `${opts.baseUrl}/api/uploads`,
      headers,
      metadata,
      uploadSize: info.size,
      chunkSize: opts.chunkSize ?? 64 * 1024 * 1024,
      retryDelays: RETRY_DELAYS_MS,
      urlStorage: storage,
      storeFingerprintForResuming: true,
      // Removed below instead: the client's own removal is not awaited, and a CLI that exits right after
      // success could leave the entry behind.
      removeFingerprintOnSuccess: false,
      onProgress: (sent, total) => opts.onProgress?.(sent, total),
      onSuccess: () => resolve(upload!.url!),
      onError: (err) => reject(new Error(describeError(err))),
    });
    const u = upload;
    u.findPreviousUploads().then((previous) => {
      const last = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
      if (last) {
        u.resumeFromPreviousUpload(last);
        opts.onResume?.();
      }
      u.start();
    }, reject);
  });
  for (const previous of await upload!.findPreviousUploads()) {
    if (previous.uploadUrl === url) await storage.removeUpload(previous.urlStorageKey);
  }

  // Ask the server what the upload became: the final response may have been lost to a dropped connection.
  const res = await fetch(`${opts.baseUrl}/api/uploads/${url.split('/').pop()}`, { headers });
  if (!res.ok) throw new Error(`upload finished, but GET ${url} answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { imageryId: number | null; status: string; duplicate: boolean };
  if (body.imageryId === null) throw new Error(`upload finished, but the server still reports it as ${body.status}`);
  return { imageryId: body.imageryId, status: body.status, duplicate: body.duplicate };
}

/** The server's own message when there is one, rather than tus-js-client's long wrapper. */
function describeError(err: Error): string {
  const text = /response text: (\{.*\}), request id/s.exec(err.message)?.[1];
  const code = /response code: (\d+)/.exec(err.message)?.[1];
  if (text) {
    try {
      const parsed = JSON.parse(text) as { error?: { message?: string } };
      if (parsed.error?.message) return `${parsed.error.message} (HTTP ${code})`;
    } catch {
      // not our JSON error body; fall through to the whole message
    }
  }
  return err.message;
}
