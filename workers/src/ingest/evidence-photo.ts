// Evidence photos: a raw drone JPEG keeps its place and pose from EXIF; it gets a thumbnail, no pyramid.
// Real files lie in small ways: EXIF width/height may be swapped against the pixels (the pixels win), and
// GPSAltitude may be the height above take-off although labelled sea level (see altitudeRef).
import { readFile } from 'node:fs/promises';
import exifr from 'exifr';
import sharp, { type Metadata } from 'sharp';
import type { TileStore } from '@tuban/core/tiles/tile-store';
import { IngestInputError } from './errors.js';
import { parseTiffDateTime } from './ingest.js';

export interface EvidencePhotoIngest {
  lon: number;
  lat: number;
  altitudeM: number | null;
  altitudeRef: 'takeoff' | 'gps' | null;
  dateTime: Date | null;
  camera: string | null;
  yawDeg: number | null;
  pitchDeg: number | null;
  widthPx: number;
  heightPx: number;
}

type Tags = Record<string, unknown>;
const num = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number.parseFloat(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) ? n : null;
};

/** DJI maker notes are a bare little-endian IFD; tags 9 and 10 hold the camera pitch and yaw as floats. */
export function djiMakerNoteAngles(note: Uint8Array | undefined): { pitch: number | null; yaw: number | null } {
  const out = { pitch: null as number | null, yaw: null as number | null };
  if (!note || note.length < 2) return out;
  const v = new DataView(note.buffer, note.byteOffset, note.byteLength);
  const count = v.getUint16(0, true);
  for (let i = 0; i < count && 2 + i * 12 + 12 <= note.length; i++) {
    const o = 2 + i * 12;
    const tag = v.getUint16(o, true), type = v.getUint16(o + 2, true);
    if (type !== 11) continue;
    const value = v.getFloat32(o + 8, true);
    if (tag === 9) out.pitch = value;
    if (tag === 10) out.yaw = value;
  }
  return out;
}

/** EXIF times carry no zone unless OffsetTimeOriginal is set; otherwise Shanghai time, as for TIFF tags. */
function captureTime(t: Tags): Date | null {
  const s = typeof t.DateTimeOriginal === 'string' ? t.DateTimeOriginal : typeof t.CreateDate === 'string' ? t.CreateDate : null;
  const offset = typeof t.OffsetTimeOriginal === 'string' ? t.OffsetTimeOriginal.trim() : null;
  if (s && offset && /^[+-]\d{2}:\d{2}$/.test(offset)) {
    const d = new Date(`${s.trim().replace(/^(\d{4}):(\d{2}):(\d{2})[ T]/, '$1-$2-$3T')}${offset}`);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return parseTiffDateTime(s);
}

export async function readEvidencePhoto(path: string): Promise<{ photo: EvidencePhotoIngest; bytes: Buffer }> {
  const bytes = await readFile(path);
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (err) {
    throw new IngestInputError(`the photo is not a readable JPEG (${(err as Error).message})`, {
      code: 'ingest_photo_unreadable', params: { detail: (err as Error).message },
    });
  }
  let tags: Tags;
  let gps: { latitude: number; longitude: number } | undefined;
  try {
    tags = ((await exifr.parse(bytes, { xmp: true, makerNote: true, reviveValues: false, mergeOutput: true })) ?? {}) as Tags;
    gps = await exifr.gps(bytes);
  } catch (err) {
    throw new IngestInputError(`the photo's EXIF cannot be read (${(err as Error).message})`, {
      code: 'ingest_photo_exif', params: { detail: (err as Error).message },
    });
  }
  const lat = gps?.latitude, lon = gps?.longitude;
  if (lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) {
    throw new IngestInputError('photo has no GPS position', { code: 'ingest_photo_no_gps' });
  }
  // DJI's XMP says what the EXIF altitude only implies: RelativeAltitude is above the take-off point.
  const relative = num(tags.RelativeAltitude);
  const gpsAlt = num(tags.GPSAltitude);
  const below = Array.isArray(tags.GPSAltitudeRef) || tags.GPSAltitudeRef instanceof Uint8Array ? (tags.GPSAltitudeRef as ArrayLike<number>)[0] === 1 : tags.GPSAltitudeRef === 1;
  const maker = djiMakerNoteAngles(tags.makerNote as Uint8Array | undefined);
  const yaw = num(tags.GimbalYawDegree) ?? num(tags.FlightYawDegree) ?? maker.yaw;
  const pitch = num(tags.GimbalPitchDegree) ?? maker.pitch;
  const swap = (meta.orientation ?? 1) >= 5;
  const camera = [tags.Make, tags.Model].filter((s) => typeof s === 'string' && s.trim()).map((s) => (s as string).trim()).join(' ');
  return {
    bytes,
    photo: {
      lon,
      lat,
      altitudeM: relative ?? (gpsAlt === null ? null : below ? -gpsAlt : gpsAlt),
      altitudeRef: relative !== null ? 'takeoff' : gpsAlt !== null ? 'gps' : null,
      dateTime: captureTime(tags),
      camera: camera || null,
      yawDeg: yaw,
      pitchDeg: pitch === null ? null : Math.max(-90, Math.min(90, pitch)),
      // The pixels, not ExifImageWidth/Height, which some cameras write swapped.
      widthPx: swap ? meta.height! : meta.width!,
      heightPx: swap ? meta.width! : meta.height!,
    },
  };
}

/** Publishes the original and a thumbnail under the item; nothing is visible before both are written. */
export async function ingestEvidencePhoto(path: string, store: TileStore, item: string): Promise<EvidencePhotoIngest> {
  const { photo, bytes } = await readEvidencePhoto(path);
  const writer = await store.begin(item, 'jpg');
  try {
    const thumb = await sharp(bytes).rotate().resize({ width: 512, height: 512, fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
    await writer.putFile('photo.jpg', bytes);
    await writer.putFile('thumbnail.webp', thumb);
    await writer.publish();
    return photo;
  } catch (err) {
    await writer.discard();
    throw err;
  }
}
