// The SeaweedFS that `scripts/services.sh start` runs with TUBAN_S3=on (npm test does): tests that need an S3
// store get a bucket prefix of their own on it, and skip with a message when it is not running.
import { randomBytes } from 'node:crypto';
import { S3ObjectStore } from '../storage/s3-object-store.js';

export const TEST_S3_ENDPOINT = `http://127.0.0.1:${process.env.TUBAN_S3_PORT || 18330}`;
export const TEST_S3_BUCKET = 'tuban-test';
export const S3_MISSING =
  `SeaweedFS is not running on ${TEST_S3_ENDPOINT}: start it with TUBAN_S3=on bash scripts/services.sh start (npm test does)`;

/** Whether the test S3 store answers at all (it refuses anonymous requests). */
export async function testS3Running(): Promise<boolean> {
  try {
    await fetch(`${TEST_S3_ENDPOINT}/`, { signal: AbortSignal.timeout(3000) });
    return true;
  } catch {
    return false;
  }
}

/** A STORAGE_URL on the test S3 store under a fresh prefix, so test files never see each other's objects. */
export function testStorageUrl(label: string): string {
  return `s3://${TEST_S3_BUCKET}/${label}-${randomBytes(4).toString('hex')}?endpoint=${encodeURIComponent(TEST_S3_ENDPOINT)}`;
}

/** Removes everything under a test STORAGE_URL's prefix. */
export async function removeTestStorage(storageUrl: string): Promise<void> {
  const u = new URL(storageUrl);
  const prefix = `${u.pathname.replace(/^\/+|\/+$/g, '')}/`;
  const store = new S3ObjectStore({ bucket: TEST_S3_BUCKET, prefix, endpoint: TEST_S3_ENDPOINT, region: 'us-east-1' });
  await store.removePrefix('');
  store.client.destroy();
}
