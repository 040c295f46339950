// Where tus writes uploads: a folder (the tus file store, `uploads/` of a folder store) or the S3 bucket (the tus
// S3 store: multipart uploads, parts of at least 5 MiB; the finished file is the object named by the upload id).
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import { ERRORS, type DataStore } from '@tus/utils';
import type { IngestSourceRef } from '@tuban/core/jobs/ingest-job';
import { LocalObjectStore } from '@tuban/core/storage/local-object-store';
import { missingObject, type ObjectStore } from '@tuban/core/storage/object-store';
import { s3ClientConfig, S3ObjectStore } from '@tuban/core/storage/s3-object-store';
import { uploadObjects } from '@tuban/core/storage/storage';
import { removeAbandonedUploads } from './cleanup.js';

export interface UploadStorage {
  datastore: DataStore;
  /** What the ingest job is told to read for a finished upload. */
  source(id: string): IngestSourceRef;
  /** The finished upload's bytes (hashed again only when its running hash was lost). */
  read(id: string): Promise<Readable>;
  /** Deletes a finished upload (a duplicate of imagery already kept). */
  removeFinished(id: string): Promise<void>;
  /** Removes unfinished uploads untouched for `maxAgeMs`; returns their ids (or their count where ids are not known). */
  sweep(maxAgeMs: number): Promise<string[] | number>;
}

/**
 * The tus file store, writing a PATCH body through a megabyte of buffer: the chunks that arrive meanwhile go to
 * disk in one write instead of one each (the default 16 KiB buffer holds a single socket chunk).
 */
class BufferedFileStore extends FileStore {
  override async write(readable: Readable, fileId: string, offset: number): Promise<number> {
    const path = join(this.directory, fileId);
    const inside = relative(this.directory, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw ERRORS.FILE_NOT_FOUND;
    const file = createWriteStream(path, { flags: 'r+', start: offset, highWaterMark: 1 << 20 });
    try {
      await pipeline(readable, file);
    } catch {
      throw ERRORS.FILE_WRITE_ERROR;
    }
    return offset + file.bytesWritten;
  }
}

/** The upload storage beside the given object store. */
export async function openUploadStorage(objects: ObjectStore, maxAgeMs: number): Promise<UploadStorage> {
  const files = uploadObjects(objects);
  const read = async (id: string) => {
    const s = await files.stream(id);
    if (!s) throw missingObject(id);
    return s;
  };
  if (files instanceof LocalObjectStore) {
    await mkdir(files.root, { recursive: true });
    const datastore = new BufferedFileStore({ directory: files.root });
    return {
      datastore,
      source: (id) => ({ sourcePath: files.path(id) }),
      read,
      removeFinished: (id) => datastore.remove(id),
      sweep: (age) => removeAbandonedUploads(datastore, files.root, age),
    };
  }
  if (!(files instanceof S3ObjectStore) || !(objects instanceof S3ObjectStore)) throw new Error(`uploads cannot be kept in ${objects.describe}`);
  const datastore = new S3Store({
    partSize: 8 * 1024 * 1024,
    expirationPeriodInMilliseconds: maxAgeMs,
    s3ClientConfig: { ...s3ClientConfig(files.location), bucket: files.location.bucket },
  });
  return {
    datastore,
    source: (id) => ({ sourceKey: id }),
    read,
    // The tus S3 store's own remove aborts the multipart upload first, which fails once it is complete.
    removeFinished: async (id) => {
      await files.remove(id);
      await files.remove(`${id}.info`);
    },
    // Besides tus's own expired uploads, the parts that killed writers of any object left (an export, a backup
    // being restored): kept as long as an unfinished upload is.
    sweep: async (age) => (await datastore.deleteExpired()) + (await objects.abortStaleUploads(age)),
  };
}
