// STORAGE_URL, the one setting that says where every file lives:
//   (empty)                                    the folder DATA_DIR (the embedded default)
//   file:///srv/tuban                          another folder
//   s3://bucket[/prefix]?endpoint=URL&region=R an S3-compatible bucket (SeaweedFS, MinIO, AWS); keys from AWS_*
import type { S3Location } from './s3-object-store.js';

export type StorageLocation = { kind: 'local'; root: string } | ({ kind: 's3' } & S3Location);

export class StorageUrlError extends Error {}

export function parseStorageUrl(url: string, dataDir: string): StorageLocation {
  if (url === '') return { kind: 'local', root: dataDir };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StorageUrlError(`STORAGE_URL is not a URL: ${url}`);
  }
  if (u.protocol === 'file:') return { kind: 'local', root: decodeURIComponent(u.pathname) };
  if (u.protocol !== 's3:') throw new StorageUrlError(`STORAGE_URL must start with s3:// or file:// (got ${u.protocol})`);
  if (!u.hostname) throw new StorageUrlError('STORAGE_URL names no bucket: s3://BUCKET[/prefix]?endpoint=…');
  const endpoint = u.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/]+/.test(endpoint)) {
    throw new StorageUrlError(`STORAGE_URL's endpoint must be an http(s) address (got ${endpoint})`);
  }
  const path = u.pathname.replace(/^\/+|\/+$/g, '');
  return {
    kind: 's3',
    bucket: u.hostname,
    prefix: path ? `${path}/` : '',
    endpoint,
    region: u.searchParams.get('region') ?? 'us-east-1',
  };
}
