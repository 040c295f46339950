import type { Queryable } from './pool.js';

export const UPLOAD_KINDS = ['drone', 'satellite', 'tileset', 'photo'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

export interface NewImagery {
  kind: UploadKind;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  flightId: number | null;
  capturedAt: string | null;
  uploadedBy: number;
}

/** Inserts an imagery row in status 'uploaded'; undefined when one with that checksum exists already. */
export async function insertUploadedImagery(db: Queryable, img: NewImagery): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO imagery (kind, status, file_name, sha256, size_bytes, flight_id, captured_at, uploaded_by)
     VALUES ($1, 'uploaded', $2, $3, $4, $5, $6, $7)
     ON CONFLICT (sha256) DO NOTHING RETURNING id`,
    [img.kind, img.fileName, img.sha256, img.sizeBytes, img.flightId, img.capturedAt, img.uploadedBy],
  );
  return rows[0]?.id;
}

/**
 * Opens a failed item again for the same file uploaded anew (a retry): back to `uploaded` with the new
 * upload's details and no error. False when the item is not (or no longer) failed.
 */
export async function reopenFailedImagery(db: Queryable, id: number, img: Omit<NewImagery, 'sha256' | 'sizeBytes'>): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE imagery SET status = 'uploaded', error = NULL, error_code = NULL, error_params = NULL, kind = $2,
       file_name = $3, flight_id = $4, captured_at = $5, uploaded_by = $6, updated_at = now()
     WHERE id = $1 AND status = 'failed'`,
    [id, img.kind, img.fileName, img.flightId, img.capturedAt, img.uploadedBy],
  );
  return (rowCount ?? 0) > 0;
}

export interface ImageryStatus {
  id: number;
  status: 'uploaded' | 'ingesting' | 'ready' | 'failed';
  error: string | null;
  /** the error as a stable code and its values, for the web to word */
  errorCode: string | null;
  errorParams: Record<string, string | number> | null;
  /** metres outside the district, when the footprint lies outside it */
  outsideDistrictM: number | null;
}

const STATUS_COLUMNS = `id, status, error, error_code AS "errorCode", error_params AS "errorParams",
  outside_district_m AS "outsideDistrictM"`;

export async function findImageryStatus(db: Queryable, id: number): Promise<ImageryStatus | undefined> {
  const { rows } = await db.query<ImageryStatus>(`SELECT ${STATUS_COLUMNS} FROM imagery WHERE id = $1`, [id]);
  return rows[0];
}

export async function findImageryStatusBySha(db: Queryable, sha256: string): Promise<ImageryStatus | undefined> {
  const { rows } = await db.query<ImageryStatus>(`SELECT ${STATUS_COLUMNS} FROM imagery WHERE sha256 = $1`, [sha256]);
  return rows[0];
}

export interface UploadRecord {
  id: string;
  userId: number;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  imageryId: number;
  duplicate: boolean;
  finishedAt: string;
}

const UPLOAD_COLUMNS = `id, user_id AS "userId", file_name AS "fileName", size_bytes AS "sizeBytes", sha256,
  imagery_id AS "imageryId", duplicate, to_json(finished_at)#>>'{}' AS "finishedAt"`;

/** Records a finished upload once; a second call for the same upload returns the first record. */
export async function insertUploadRecord(db: Queryable, r: Omit<UploadRecord, 'finishedAt'>): Promise<UploadRecord> {
  const { rows } = await db.query<UploadRecord>(
    `WITH ins AS (
       INSERT INTO uploads (id, user_id, file_name, size_bytes, sha256, imagery_id, duplicate)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING *)
     SELECT ${UPLOAD_COLUMNS} FROM ins UNION ALL SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE id = $1 LIMIT 1`,
    [r.id, r.userId, r.fileName, r.sizeBytes, r.sha256, r.imageryId, r.duplicate],
  );
  return rows[0]!;
}

export async function findUploadRecord(db: Queryable, id: string): Promise<UploadRecord | undefined> {
  const { rows } = await db.query<UploadRecord>(`SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE id = $1`, [id]);
  return rows[0];
}

/** The upload whose file became this imagery (not a later duplicate of it). */
export async function findOriginalUpload(db: Queryable, imageryId: number): Promise<UploadRecord | undefined> {
  const { rows } = await db.query<UploadRecord>(
    `SELECT ${UPLOAD_COLUMNS} FROM uploads WHERE imagery_id = $1 AND NOT duplicate ORDER BY finished_at LIMIT 1`,
    [imageryId],
  );
  return rows[0];
}

export async function findFlightPilot(db: Queryable, flightId: number): Promise<number | undefined> {
  const { rows } = await db.query<{ pilotId: number }>('SELECT pilot_id AS "pilotId" FROM flights WHERE id = $1', [flightId]);
  return rows[0]?.pilotId;
}

/** A finished upload as its uploader follows it: the imagery it became, its ingest and its detection. */
export interface UploadOverview {
  uploadId: string;
  fileName: string;
  sizeBytes: number;
  imageryId: number;
  duplicate: boolean;
  finishedAt: string;
  status: ImageryStatus['status'];
  error: string | null;
  errorCode: string | null;
  errorParams: Record<string, string | number> | null;
  outsideDistrictM: number | null;
  acceptedAt: string | null;
  /** why automatic detection did not run */
  detectionError: string | null;
  detectionErrorCode: string | null;
  detectionErrorParams: Record<string, string | number> | null;
  /** the newest detection run over this imagery */
  runId: number | null;
  runStatus: string | null;
  runError: string | null;
  runErrorCode: string | null;
  runErrorParams: Record<string, string | number> | null;
  candidatesFound: number | null;
}

/** Finished uploads, newest first: one user's, or everybody's (userId null). */
export async function listUploads(db: Queryable, userId: number | null, limit: number): Promise<UploadOverview[]> {
  const { rows } = await db.query<UploadOverview>(
    `SELECT u.id AS "uploadId", u.file_name AS "fileName", u.size_bytes AS "sizeBytes", u.imagery_id AS "imageryId",
       u.duplicate, to_json(u.finished_at)#>>'{}' AS "finishedAt", i.status, i.error, i.error_code AS "errorCode",
       i.error_params AS "errorParams", i.outside_district_m AS "outsideDistrictM", to_json(i.accepted_at)#>>'{}' AS "acceptedAt",
       i.detection_error AS "detectionError", i.detection_error_code AS "detectionErrorCode",
       i.detection_error_params AS "detectionErrorParams",
       r.id AS "runId", r.status AS "runStatus", r.error AS "runError", r.error_code AS "runErrorCode",
       r.error_params AS "runErrorParams", r.candidates_found AS "candidatesFound"
     FROM uploads u JOIN imagery i ON i.id = u.imagery_id
       LEFT JOIN LATERAL (SELECT id, status, error, error_code, error_params, candidates_found FROM detection_runs
                          WHERE after_imagery_id = i.id ORDER BY id DESC LIMIT 1) r ON true
     WHERE $1::bigint IS NULL OR u.user_id = $1
     ORDER BY u.finished_at DESC LIMIT $2`,
    [userId, limit],
  );
  return rows;
}
