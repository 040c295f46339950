import { UPLOAD_KINDS, type UploadKind } from '@tuban/core/db/uploads';

/** What a client tells us about a file in the tus Upload-Metadata header. */
export interface UploadMeta {
  fileName: string;
  kind: UploadKind;
  flightId: number | null;
  capturedAt: string | null;
}

/** A refusal answered to the tus client with this status and our usual JSON error body. */
export class UploadRejection {
  readonly body: string;
  constructor(
    readonly status_code: number,
    code: string,
    readonly message: string,
  ) {
    this.body = JSON.stringify({ error: { code, message } });
  }
}

const invalid = (message: string) => new UploadRejection(400, 'invalid', message);

/** Checks the metadata of a new upload; every problem is named so a pilot can fix it. */
export function parseUploadMeta(raw: Record<string, string | null> | undefined): UploadMeta {
  const m = raw ?? {};
  const fileName = (m.filename ?? m.name ?? '').trim();
  if (!fileName) throw invalid('upload metadata needs "filename"');
  if (fileName.length > 255 || /[\\/\0]/.test(fileName)) {
    throw invalid(`filename "${fileName.slice(0, 80)}" must be a plain file name of at most 255 characters`);
  }
  const kind = (m.kind ?? 'drone') as UploadKind;
  if (!UPLOAD_KINDS.includes(kind)) throw invalid(`kind "${m.kind}" is not one of ${UPLOAD_KINDS.join(', ')}`);
  let flightId: number | null = null;
  if (m.flightId) {
    flightId = Number(m.flightId);
    if (!Number.isSafeInteger(flightId) || flightId < 1) throw invalid(`flightId "${m.flightId}" is not a sortie id`);
  }
  let capturedAt: string | null = null;
  if (m.capturedAt) {
    // An offset is required: a bare local time would be read in the server's zone, not the pilot's.
    const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(m.capturedAt);
    const t = Date.parse(m.capturedAt);
    const [y, mo, d] = m.capturedAt.slice(0, 10).split('-').map(Number) as [number, number, number];
    const realDay = new Date(Date.UTC(y, mo - 1, d)).getUTCDate() === d;
    if (!ok || Number.isNaN(t) || !realDay) {
      throw invalid(`capturedAt "${m.capturedAt}" is not an ISO 8601 time with offset, e.g. 2025-03-10T09:30:00+08:00`);
    }
    capturedAt = new Date(t).toISOString();
  }
  return { fileName, kind, flightId, capturedAt };
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 21474836480 -> "20 GB" (binary units, as file managers show them). */
export function formatBytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${UNITS[i]}`;
}
