// Everything an evidence package holds, read once: the database rows, the crops cut from the tile pyramids, the
// photo files. Nothing here depends on the clock, so the same data gives the same package.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import exifr from 'exifr';
import {
  evidenceFieldPhotos,
  evidenceHistory,
  evidenceImagery,
  evidenceSubject,
  type EvidenceEvent,
  type EvidenceFieldPhoto,
  type EvidenceImagery,
  type EvidenceSubject,
  type EvidenceSubjectKind,
} from '../db/evidence-package.js';
import { dronePhotosNear, type NearbyDronePhoto } from '../db/evidence-photos.js';
import type { Queryable } from '../db/pool.js';
import { imageryTileReader } from '../tiles/imagery-tile-reader.js';
import { imageryItem, imageryTileStore } from '../tiles/tile-store.js';
import { evidenceCrop, type Crop } from './crops.js';

/** Drone photos taken this close to the polygon are evidence of it; the nearest few go in. */
export const DRONE_PHOTO_RADIUS_M = 150;
export const DRONE_PHOTO_LIMIT = 6;

export interface ImageryEvidence {
  imagery: EvidenceImagery;
  /** null where the imagery is not ready or has no tile over the polygon */
  crop: Crop | null;
}

export interface DronePhotoEvidence {
  photo: NearbyDronePhoto;
  jpeg: Buffer;
  /** every EXIF/XMP tag of the original, as read */
  exif: Record<string, unknown>;
}

export interface FieldPhotoEvidence {
  photo: EvidenceFieldPhoto;
  bytes: Buffer;
}

export interface EvidenceInputs {
  subject: EvidenceSubject;
  before: ImageryEvidence | null;
  after: ImageryEvidence | null;
  dronePhotos: DronePhotoEvidence[];
  fieldPhotos: FieldPhotoEvidence[];
  history: EvidenceEvent[];
  /** the latest moment the package's contents tell of: what it is true as of */
  asOf: string;
}

const iso = (v: string | Date | null): string | null => (v === null ? null : new Date(v).toISOString());

async function imageryEvidence(
  db: Queryable,
  read: ReturnType<typeof imageryTileReader>,
  id: number | null,
  geometry: GeoJSON.MultiPolygon,
): Promise<ImageryEvidence | null> {
  if (id === null) return null;
  const row = await evidenceImagery(db, id);
  if (!row) return null;
  const imagery = { ...row, capturedAt: iso(row.capturedAt) };
  if (!imagery.ready || imagery.maxZoom === null) return { imagery, crop: null };
  return { imagery, crop: await evidenceCrop((z, x, y) => read(id, z, x, y), geometry, imagery.maxZoom) };
}

// Short binary tags (versions, component orders) as numbers; long ones (thumbnails, maker blobs) are in the JPEG.
const SHORT_BINARY = 64;
function exifJson(tags: Record<string, unknown>): Record<string, unknown> {
  const plain = (_k: string, v: unknown) =>
    v instanceof Uint8Array ? (v.length <= SHORT_BINARY ? Array.from(v) : `(${v.length} bytes of binary data, in the JPEG)`) : v;
  return JSON.parse(JSON.stringify(tags, plain)) as Record<string, unknown>;
}

async function readExif(jpeg: Buffer): Promise<Record<string, unknown>> {
  const tags = (await exifr.parse(jpeg, { xmp: true, mergeOutput: false, reviveValues: false, translateValues: false })) as
    Record<string, unknown> | undefined;
  return exifJson(tags ?? {});
}

export async function gatherEvidence(
  db: Queryable,
  dataDir: string,
  kind: EvidenceSubjectKind,
  id: number,
  subject?: EvidenceSubject,
): Promise<EvidenceInputs | undefined> {
  const s = subject ?? (await evidenceSubject(db, kind, id));
  if (!s) return undefined;
  const store = imageryTileStore(dataDir);
  const read = imageryTileReader(db, store);
  const before = await imageryEvidence(db, read, s.beforeImageryId, s.geometry);
  const after = await imageryEvidence(db, read, s.afterImageryId, s.geometry);

  const dronePhotos: DronePhotoEvidence[] = [];
  for (const row of await dronePhotosNear(db, s.geometry, DRONE_PHOTO_RADIUS_M, DRONE_PHOTO_LIMIT)) {
    const jpeg = await store.getFile(imageryItem(row.id), 'photo.jpg');
    if (!jpeg) throw new Error(`evidence photo ${row.id} (${row.fileName}) has no stored original under DATA_DIR`);
    dronePhotos.push({ photo: { ...row, capturedAt: iso(row.capturedAt) }, jpeg, exif: await readExif(jpeg) });
  }

  const fieldPhotos: FieldPhotoEvidence[] = [];
  for (const row of await evidenceFieldPhotos(db, s.candidateIds, s.registryItemId)) {
    const bytes = await readFile(join(dataDir, row.storedPath)).catch((err: Error) => {
      throw new Error(`field photo ${row.id} (${row.fileName}) cannot be read: ${err.message}`);
    });
    fieldPhotos.push({ photo: { ...row, takenAt: iso(row.takenAt), uploadedAt: iso(row.uploadedAt)! }, bytes });
  }

  const history = (await evidenceHistory(db, s.candidateIds, s.registryItemId)).map((e) => ({ ...e, at: iso(e.at)! }));
  const subjectOut = { ...s, createdAt: iso(s.createdAt)! };
  const moments = [subjectOut.createdAt, ...history.map((e) => e.at), ...fieldPhotos.map((p) => p.photo.uploadedAt)];
  const asOf = moments.reduce((a, b) => (a > b ? a : b));
  return { subject: subjectOut, before, after, dronePhotos, fieldPhotos, history, asOf };
}
