import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { parseStorageUrl } from './storage-url.js';

describe('STORAGE_URL', () => {
  it('is the data folder when empty, another folder for file://, a bucket with prefix and endpoint for s3://', () => {
    expect(parseStorageUrl('', '/srv/data')).toEqual({ kind: 'local', root: '/srv/data' });
    expect(parseStorageUrl('file:///mnt/tuban%20files', '/srv/data')).toEqual({ kind: 'local', root: '/mnt/tuban files' });
    expect(parseStorageUrl('s3://tuban/district/putuo/?endpoint=http%3A%2F%2F10.0.0.5%3A8333&region=cn-east-1', '/x')).toEqual({
      kind: 's3', bucket: 'tuban', prefix: 'district/putuo/', endpoint: 'http://10.0.0.5:8333', region: 'cn-east-1',
    });
    expect(parseStorageUrl('s3://tuban', '/x')).toEqual({ kind: 's3', bucket: 'tuban', prefix: '', endpoint: undefined, region: 'us-east-1' });
  });

  it('refuses at start-up what it cannot use, saying why', () => {
    expect(() => loadConfig({ STORAGE_URL: 'ftp://host/x' })).toThrow(/STORAGE_URL must start with s3:\/\/ or file:\/\//);
    expect(() => loadConfig({ STORAGE_URL: 's3://tuban?endpoint=seaweedfs:8333' })).toThrow(/endpoint must be an http\(s\) address/);
    expect(() => loadConfig({ STORAGE_URL: 'not a url' })).toThrow(/STORAGE_URL is not a URL/);
  });
});
