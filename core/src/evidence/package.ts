// The evidence package: one ZIP per candidate or registry case, built so that the same inputs give the same bytes
// (entries in a fixed order with a fixed date, lossless crops, PDF dated by its contents) and sealed by a manifest
// with every file's SHA-256.
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { proj4ForEpsg, toLonLat } from '../geo/crs.js';
import { shanghaiTime } from '../monthly-index/month.js';
import type { EvidenceInputs, ImageryEvidence } from './gather.js';
import { zh } from './labels.js';
import { CRS_NOTE, evidenceSummaryPdf } from './summary-pdf.js';

export const EVIDENCE_FORMAT = 'tuban-evidence/1';
const ZIP_ENTRY_DATE = new Date('2000-01-01T00:00:00Z');
// CGCS2000 / 3-degree Gauss-Krüger CM 120E (Shanghai's zone 40, without the zone number in the easting)
const GAUSS_KRUGER_EPSG = 4549;

export interface EvidenceFile {
  path: string;
  data: Buffer;
}

export interface EvidencePackage {
  fileName: string;
  zip: Buffer;
  manifestSha256: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8');

function csv(rows: (string | number | null)[][]): Buffer {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  // a BOM so that Excel reads the Chinese
  return Buffer.from(`\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`, 'utf8');
}

function extensionOf(mimeType: string, fileName: string): string {
  const byType: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/heic': 'heic' };
  return byType[mimeType] ?? (fileName.split('.').pop()?.toLowerCase() || 'bin');
}

/** The file name of the package: ASCII only, so every browser and unzip tool keeps it. */
export function evidenceFileName(inputs: EvidenceInputs): string {
  const s = inputs.subject;
  if (s.kind === 'candidate') return `evidence-candidate-${s.id}.zip`;
  const ascii = (s.caseNo ?? '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');
  return `evidence-case-${s.id}${ascii ? `-${ascii}` : ''}.zip`;
}

function polygonFiles(inputs: EvidenceInputs): EvidenceFile[] {
  const s = inputs.subject;
  const properties = { kind: s.kind, id: s.id, caseNo: s.caseNo, areaM2: s.areaM2, asOf: inputs.asOf };
  const feature = { type: 'Feature', id: s.id, properties, geometry: s.geometry };
  const gk = toLonLat(proj4ForEpsg(GAUSS_KRUGER_EPSG)!);
  const rows: (string | number | null)[][] = [['part', 'ring', 'vertex', 'lon_deg_EPSG4490', 'lat_deg_EPSG4490',
    'easting_m_EPSG4549', 'northing_m_EPSG4549']];
  s.geometry.coordinates.forEach((polygon, part) => polygon.forEach((ring, r) => ring.forEach((p, v) => {
    const [e, n] = gk.inverse([p[0]!, p[1]!]);
    rows.push([part + 1, r + 1, v + 1, p[0]!.toFixed(9), p[1]!.toFixed(9), e!.toFixed(3), n!.toFixed(3)]);
  })));
  return [
    // RFC 7946: WGS84 longitude/latitude, no crs member
    { path: 'polygon.geojson', data: json({ type: 'FeatureCollection', features: [feature] }) },
    // the same numbers named as CGCS2000 for GIS software that reads the (2008) crs member
    {
      path: 'polygon-cgcs2000.geojson',
      data: json({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4490' } }, features: [feature] }),
    },
    { path: 'polygon-cgcs2000.csv', data: csv(rows) },
  ];
}

function imageryPart(which: 'before' | 'after', e: ImageryEvidence | null): { files: EvidenceFile[]; record: unknown } {
  if (!e) return { files: [], record: null };
  const path = `imagery/${which}-imagery-${e.imagery.id}.png`;
  const { png: _png, ...crop } = e.crop ?? { png: null };
  return {
    files: e.crop ? [{ path, data: e.crop.png }] : [],
    record: { ...e.imagery, crop: e.crop ? { file: path, ...crop } : null },
  };
}

function historyCsv(inputs: EvidenceInputs): Buffer {
  return csv([
    ['时间(北京时间)', '时间(UTC)', '对象', '操作人', '角色', '操作', '原状态', '新状态', '排除原因', '案件编号', '撤销', '已被撤销', '备注'],
    ...inputs.history.map((e) => [
      shanghaiTime(new Date(e.at)).slice(0, 19), e.at, e.source === 'candidate' ? `图斑 #${e.subjectId}` : `案件 ${e.caseNo ?? e.subjectId}`,
      e.actorName, zh.role(e.actorRole), zh.action(e.action), zh.status(e.source, e.fromStatus), zh.status(e.source, e.toStatus),
      e.reason ? zh.dismissReason(e.reason) : '', e.caseNo ?? '', e.isUndo ? '是' : '', e.undone ? '是' : '', e.note,
    ]),
  ]);
}

/** Every file of the package but the manifest, by path. */
export async function evidenceFiles(inputs: EvidenceInputs): Promise<EvidenceFile[]> {
  const before = imageryPart('before', inputs.before);
  const after = imageryPart('after', inputs.after);
  const drone = inputs.dronePhotos.map((d) => ({
    base: `drone-photos/photo-${d.photo.id}`,
    ...d,
  }));
  const field = inputs.fieldPhotos.map((f) => ({ path: `field-photos/photo-${f.photo.id}.${extensionOf(f.photo.mimeType, f.photo.fileName)}`, ...f }));
  const caseRecord = {
    format: EVIDENCE_FORMAT,
    asOf: inputs.asOf,
    crs: {
      note: CRS_NOTE,
      'polygon.geojson': 'EPSG:4326 (WGS84), RFC 7946',
      'polygon-cgcs2000.*': 'EPSG:4490 (CGCS2000 geographic, numerically equal to the WGS84 coordinates at this precision); projected columns EPSG:4549',
    },
    subject: inputs.subject,
    imagery: { before: before.record, after: after.record },
    dronePhotos: drone.map((d) => ({ ...d.photo, file: `${d.base}.jpg`, exifFile: `${d.base}.exif.json` })),
    fieldPhotos: field.map(({ photo: { storedPath: _p, ...photo }, path }) => ({ ...photo, file: path })),
    history: inputs.history,
  };
  return [
    { path: 'summary.pdf', data: await evidenceSummaryPdf(inputs) },
    { path: 'case.json', data: json(caseRecord) },
    { path: 'history.csv', data: historyCsv(inputs) },
    ...polygonFiles(inputs),
    ...before.files,
    ...after.files,
    ...drone.flatMap((d) => [{ path: `${d.base}.jpg`, data: d.jpeg }, { path: `${d.base}.exif.json`, data: json(d.exif) }]),
    ...field.map((f) => ({ path: f.path, data: f.bytes })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function evidenceManifest(inputs: EvidenceInputs, files: EvidenceFile[]): Buffer {
  return json({
    format: EVIDENCE_FORMAT,
    subject: { kind: inputs.subject.kind, id: inputs.subject.id, caseNo: inputs.subject.caseNo },
    asOf: inputs.asOf,
    algorithm: 'SHA-256',
    files: files.map((f) => ({ path: f.path, bytes: f.data.length, sha256: sha256(f.data) })),
  });
}

// Images are compressed already; storing them keeps building fast.
const STORED = /\.(png|jpe?g|webp|heic|pdf)$/i;

export async function buildEvidencePackage(inputs: EvidenceInputs): Promise<EvidencePackage> {
  const files = await evidenceFiles(inputs);
  const manifest = evidenceManifest(inputs, files);
  const zip = new JSZip();
  for (const f of [...files, { path: 'manifest.json', data: manifest }]) {
    zip.file(f.path, f.data, { date: ZIP_ENTRY_DATE, createFolders: false, compression: STORED.test(f.path) ? 'STORE' : 'DEFLATE' });
  }
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
  return { fileName: evidenceFileName(inputs), zip: bytes, manifestSha256: sha256(manifest) };
}
