import type { Queryable } from './pool.js';

/** A photo already written under DATA_DIR. */
export interface StoredFieldPhoto {
  fileName: string;
  storedPath: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  takenAt: string | null;
  lon: number | null;
  lat: number | null;
}

export interface NewFieldPhoto extends StoredFieldPhoto {
  candidateId: number | null;
  registryItemId: number | null;
  uploadedBy: number;
}

export async function insertFieldPhoto(db: Queryable, p: NewFieldPhoto): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO photos (candidate_id, registry_item_id, file_name, stored_path, mime_type, size_bytes, sha256,
       taken_at, position, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz,
       CASE WHEN $9::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($9, $10), 4326) END, $11)
     RETURNING id`,
    [p.candidateId, p.registryItemId, p.fileName, p.storedPath, p.mimeType, p.sizeBytes, p.sha256, p.takenAt,
      p.lon, p.lat, p.uploadedBy],
  );
  return rows[0]!.id;
}

export interface FieldPhotoRow {
  id: number;
  candidateId: number | null;
  registryItemId: number | null;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  takenAt: string | null;
  lon: number | null;
  lat: number | null;
  uploadedAt: string;
  uploadedBy: string;
}

const PHOTO_COLUMNS = `p.id, p.candidate_id AS "candidateId", p.registry_item_id AS "registryItemId",
  p.file_name AS "fileName", p.mime_type AS "mimeType", p.size_bytes AS "sizeBytes", p.taken_at AS "takenAt",
  ST_X(p.position) AS lon, ST_Y(p.position) AS lat, p.uploaded_at AS "uploadedAt", u.display_name AS "uploadedBy"`;

export async function fieldPhotosOfCandidate(db: Queryable, candidateId: number): Promise<FieldPhotoRow[]> {
  const { rows } = await db.query<FieldPhotoRow>(
    `SELECT ${PHOTO_COLUMNS} FROM photos p JOIN users u ON u.id = p.uploaded_by WHERE p.candidate_id = $1 ORDER BY p.id`,
    [candidateId],
  );
  return rows;
}

/** A photo's file and the street it belongs to (through its candidate or registry item), for access checks. */
export async function fieldPhotoFile(
  db: Queryable,
  id: number,
): Promise<{ storedPath: string; mimeType: string; streetCode: string | null } | undefined> {
  const { rows } = await db.query<{ storedPath: string; mimeType: string; streetCode: string | null }>(
    `SELECT p.stored_path AS "storedPath", p.mime_type AS "mimeType", coalesce(c.street_code, r.street_code) AS "streetCode"
     FROM photos p LEFT JOIN candidates c ON c.id = p.candidate_id LEFT JOIN registry_items r ON r.id = p.registry_item_id
     WHERE p.id = $1`,
    [id],
  );
  return rows[0];
}
