// Field-check photos are checked by what they contain, not by the type the client claims, and re-encoded through
// sharp (keeping EXIF: time and GPS are evidence), so that what is stored and served back is only ever an image.
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import { Invalid } from '@tuban/core/errors';
import type { ObjectStore } from '@tuban/core/storage/object-store';

/** Formats sharp detects in a photo's bytes, with the extension and type it is stored and served as. */
const FIELD_PHOTO_FORMATS: Readonly<Record<string, { ext: string; mimeType: string }>> = {
  jpeg: { ext: 'jpg', mimeType: 'image/jpeg' },
  png: { ext: 'png', mimeType: 'image/png' },
  webp: { ext: 'webp', mimeType: 'image/webp' },
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

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The photo re-encoded in its own format; refuses anything whose content is not a JPEG, PNG or WebP image. */
async function reencode(fileName: string, data: Buffer): Promise<{ data: Buffer; ext: string; mimeType: string }> {
  if (data.length === 0) throw new Invalid(`photo ${fileName} is empty`);
  const image = sharp(data, { failOn: 'error' });
  const format = await image.metadata().then((m) => m.format as string, () => 'unknown');
  if (format === 'heif') {
    throw new Invalid(`photo ${fileName} is HEIC, which cannot be checked here; take photos as JPEG ("Most Compatible") or upload them from the browser, which converts them`);
  }
  const target = FIELD_PHOTO_FORMATS[format];
  if (!target) throw new Invalid(`photo ${fileName} is not a JPEG, PNG or WebP image (its content reads as ${format})`);
  const encoded = await image
    .keepMetadata()
    .toFormat(format as 'jpeg' | 'png' | 'webp', format === 'png' ? {} : { quality: 92 })
    .toBuffer()
    .catch(() => {
      throw new Invalid(`photo ${fileName} is a damaged ${format.toUpperCase()} image`);
    });
  return { data: encoded, ...target };
}

/** Checks, re-encodes and writes one uploaded photo; the stored path is its key in the object store. */
export async function saveFieldPhoto(objects: ObjectStore, fileName: string, stream: Readable): Promise<SavedFile> {
  const photo = await reencode(fileName, await readAll(stream));
  const now = new Date();
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const storedPath = `photos/${month}/${randomUUID()}.${photo.ext}`;
  await objects.put(storedPath, photo.data, photo.mimeType);
  const sha256 = createHash('sha256').update(photo.data).digest('hex');
  return { fileName, storedPath, mimeType: photo.mimeType, sizeBytes: photo.data.length, sha256 };
}

export async function removeFiles(objects: ObjectStore, files: SavedFile[]): Promise<void> {
  await Promise.all(files.map((f) => objects.remove(f.storedPath)));
}
