import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { checkKey, missingObject, type ObjectStore } from './object-store.js';

export interface S3Location {
  bucket: string;
  /** Key prefix inside the bucket ('' or ending in '/'). */
  prefix: string;
  /** The S3 API's address (SeaweedFS, MinIO, …); absent for AWS itself. */
  endpoint: string | undefined;
  region: string;
}

/** The S3 client settings for a location: path-style addressing for self-hosted stores, keys from the usual AWS_* variables. */
export function s3ClientConfig(loc: S3Location, env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const config: S3ClientConfig = { region: loc.region, forcePathStyle: loc.endpoint !== undefined };
  if (loc.endpoint) config.endpoint = loc.endpoint;
  // The local SeaweedFS that scripts/services.sh starts knows the key tuban/tuban unless AWS_* name another.
  if (!env.AWS_ACCESS_KEY_ID && loc.endpoint) config.credentials = { accessKeyId: 'tuban', secretAccessKey: 'tuban' };
  return config;
}

/**
 * A stream goes up in parts of this size (S3's least is 5 MiB, all but the last part): at most two are held at
 * once, one filling while the other is sent. 10,000 parts, S3's most, make objects of up to ~78 GiB.
 */
export const PART_BYTES = 8 << 20;

const isNotFound = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/** Objects in an S3-compatible bucket, under an optional key prefix. */
export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly describe: string;
  readonly client: S3Client;

  constructor(readonly location: S3Location) {
    this.client = new S3Client(s3ClientConfig(location));
    this.describe = `s3://${location.bucket}/${location.prefix}${location.endpoint ? ` at ${location.endpoint}` : ''}`;
  }

  get prefix(): string {
    return this.location.prefix;
  }

  private key(key: string): string {
    return this.location.prefix + checkKey(key);
  }

  /** Creates the bucket when it does not exist yet (a fresh SeaweedFS, a new deployment). */
  async ensureBucket(): Promise<void> {
    const Bucket = this.location.bucket;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket }));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await this.client.send(new CreateBucketCommand({ Bucket })).catch((e: { name?: string }) => {
        if (e.name !== 'BucketAlreadyOwnedByYou' && e.name !== 'BucketAlreadyExists') throw e;
      });
    }
  }

  async put(key: string, body: Buffer | Readable, contentType?: string): Promise<void> {
    const Key = this.key(key);
    if (Buffer.isBuffer(body)) return this.putWhole(Key, body, contentType);
    await this.putStream(Key, body, contentType);
  }

  private async putWhole(Key: string, data: Buffer, ContentType: string | undefined): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key, Body: data, ContentType }));
  }

  /**
   * A stream shorter than one part (tiles, chips, photos) is one PutObject, like a buffer; a longer one a multipart
   * upload, which appears whole at CompleteMultipartUpload or not at all. On any error (the stream's or the
   * store's) the upload is aborted, so no parts are left behind in the bucket.
   */
  private async putStream(Key: string, body: Readable, ContentType: string | undefined): Promise<void> {
    const parts = partsOf(body);
    let next = await parts.next();
    if (next.done || next.value.length < PART_BYTES) return this.putWhole(Key, next.done ? Buffer.alloc(0) : next.value, ContentType);
    const Bucket = this.location.bucket;
    const { UploadId } = await this.client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType }));
    if (!UploadId) throw new Error(`the store gave no upload id for ${Key}`);
    const sent: CompletedPart[] = [];
    let sending: Promise<unknown> = Promise.resolve();
    try {
      for (let PartNumber = 1; !next.done; PartNumber++) {
        await sending;
        sending = this.client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: next.value })).then(({ ETag }) => {
          sent.push({ ETag, PartNumber });
        });
        // Handled here, awaited above: a part that fails while the next one is read is no unhandled rejection.
        sending.catch(() => undefined);
        next = await parts.next();
      }
      await sending;
      sent.sort((a, b) => a.PartNumber! - b.PartNumber!);
      await this.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: sent } }));
    } catch (err) {
      await parts.return(undefined); // stops reading the stream
      await sending.catch(() => undefined);
      await this.client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch((abortErr: unknown) => {
        throw new Error(`writing ${Key} failed (${(err as Error).message}), and so did aborting its multipart upload ${UploadId}: ` +
          `${(abortErr as Error).message}`);
      });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    const s = await this.stream(key);
    return s && readAll(s);
  }

  async getRange(key: string, offset: number, length: number): Promise<Buffer> {
    if (length <= 0) return Buffer.alloc(0);
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Range: `bytes=${offset}-${offset + length - 1}` }),
      );
      return Buffer.from(await res.Body!.transformToByteArray());
    } catch (err) {
      if (isNotFound(err)) throw missingObject(key);
      // A range starting at or past the end: S3 answers 416; a file read there gives nothing.
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 416) return Buffer.alloc(0);
      throw err;
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return head.ContentLength ?? 0;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async stream(key: string): Promise<Readable | null> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return res.Body as Readable;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const full = prefix === '' ? this.location.prefix : this.key(prefix);
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: full, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.location.prefix.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async listFolders(prefix: string): Promise<string[]> {
    return (await this.listLevel(this.key(prefix))).folders;
  }

  /** Keys right under the prefix, in no 'folder' below it (the tus S3 store's uploads at the bucket root). */
  async listTopKeys(): Promise<string[]> {
    return (await this.listLevel(this.location.prefix)).keys;
  }

  /** One level under a full key prefix: the keys there and the names of the 'folders' below it. */
  private async listLevel(full: string): Promise<{ keys: string[]; folders: string[] }> {
    const keys: string[] = [];
    const folders: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: full, Delimiter: '/', ContinuationToken: token }),
      );
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) folders.push(p.Prefix.slice(full.length, -1));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(full.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { keys, folders };
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
  }

  async removePrefix(prefix: string): Promise<void> {
    await this.removeKeys(await this.list(prefix));
  }

  /**
   * Aborts the multipart uploads under this store's prefix that began more than `olderThanMs` ago, and says how
   * many: the parts of a stream whose writer was killed before it could complete or abort (a failing stream aborts
   * its own). They are invisible as objects but stored, and paid for, until aborted.
   */
  async abortStaleUploads(olderThanMs: number): Promise<number> {
    const Bucket = this.location.bucket;
    const startedBefore = Date.now() - olderThanMs;
    let aborted = 0;
    let KeyMarker: string | undefined;
    let UploadIdMarker: string | undefined;
    for (;;) {
      const page = await this.client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: this.location.prefix, KeyMarker, UploadIdMarker }));
      for (const { Key, UploadId, Initiated } of page.Uploads ?? []) {
        if (!Key || !UploadId || !Initiated || Initiated.getTime() > startedBefore) continue;
        await this.client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
        aborted++;
      }
      if (!page.IsTruncated) return aborted;
      KeyMarker = page.NextKeyMarker;
      UploadIdMarker = page.NextUploadIdMarker;
    }
  }

  /** Removes the objects of these keys, a thousand to a request. */
  async removeKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      // Keys as listed, unchecked: whatever lies under the prefix can be removed.
      const Objects = keys.slice(i, i + 1000).map((k) => ({ Key: this.location.prefix + k }));
      const res = await this.client.send(new DeleteObjectsCommand({ Bucket: this.location.bucket, Delete: { Objects, Quiet: true } }));
      const failed = res.Errors ?? [];
      if (failed.length > 0) {
        throw new Error(`${failed.length} objects of ${this.describe} could not be removed, the first ${failed[0]!.Key}: ${failed[0]!.Message}`);
      }
    }
  }
}

/** A stream's bytes in parts of PART_BYTES (the last one shorter); reads no further ahead than one part. */
async function* partsOf(stream: Readable): AsyncGenerator<Buffer> {
  let held: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    held.push(buf);
    bytes += buf.length;
    while (bytes >= PART_BYTES) {
      const { head, rest } = takeBytes(held, PART_BYTES);
      held = rest;
      bytes -= PART_BYTES;
      yield head;
    }
  }
  if (bytes > 0) yield Buffer.concat(held, bytes);
}

/** The first `n` bytes of `bufs` (which hold at least that many) as one buffer, and the buffers after them. */
function takeBytes(bufs: Buffer[], n: number): { head: Buffer; rest: Buffer[] } {
  const head: Buffer[] = [];
  let need = n;
  let i = 0;
  for (; need > 0; i++) {
    const b = bufs[i]!;
    if (b.length > need) {
      head.push(b.subarray(0, need));
      return { head: Buffer.concat(head, n), rest: [b.subarray(need), ...bufs.slice(i + 1)] };
    }
    head.push(b);
    need -= b.length;
  }
  return { head: Buffer.concat(head, n), rest: bufs.slice(i) };
}
