import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
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
    // PutObject needs the length up front; the files written through here (tiles, chips, photos, exports,
    // models) are small enough to hold. Uploads, the large ones, go through the tus S3 store in parts.
    const data = Buffer.isBuffer(body) ? body : await readAll(body);
    await this.client.send(new PutObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Body: data, ContentType: contentType }));
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
    const full = this.key(prefix);
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.location.bucket, Prefix: full, Delimiter: '/', ContinuationToken: token }),
      );
      for (const p of page.CommonPrefixes ?? []) if (p.Prefix) names.push(p.Prefix.slice(full.length, -1));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return names;
  }

  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
  }

  async removePrefix(prefix: string): Promise<void> {
    const keys = await this.list(prefix);
    for (let i = 0; i < keys.length; i += 1000) {
      const Objects = keys.slice(i, i + 1000).map((k) => ({ Key: this.location.prefix + k }));
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.location.bucket, Delete: { Objects, Quiet: true } }));
    }
  }
}
