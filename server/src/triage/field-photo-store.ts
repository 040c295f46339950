// Evidence photos are streamed to DATA_DIR/photos as they arrive, hashed on the way.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Invalid } from '@tuban/core/errors';

export const FIELD_PHOTO_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
};
export const MAX_FIELD_PHOTO_BYTES = 25 * 1024 * 1024;
export const MAX_FIELD_PHOTOS = 10;

export interface SavedFile {
  fileName: string;
  storedPath: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
}

/** Writes one uploaded photo; the stored path is relative to DATA_DIR. */
export async function saveFieldPhoto(dataDir: string, fileName: string, mimeType: string, stream: Readable): Promise<SavedFile> {
  const ext = FIELD_PHOTO_TYPES[mimeType];
  if (!ext) {
    stream.resume();
    throw new Invalid(`photo ${fileName} is ${mimeType}; only JPEG, PNG, WebP or HEIC photos are accepted`);
  }
  const now = new Date();
  const storedPath = join('photos', `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`, `${randomUUID()}.${ext}`);
  const target = join(dataDir, storedPath);
  await mkdir(dirname(target), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, tap, createWriteStream(target, { flags: 'wx' }));
  } catch (err) {
    await rm(target, { force: true });
    throw err;
  }
  if (size === 0) {
    await rm(target, { force: true });
    throw new Invalid(`photo ${fileName} is empty`);
  }
  return { fileName, storedPath, mimeType, sizeBytes: size, sha256: hash.digest('hex') };
}

export async function removeFiles(dataDir: string, files: SavedFile[]): Promise<void> {
  await Promise.all(files.map((f) => rm(join(dataDir, f.storedPath), { force: true })));
}
