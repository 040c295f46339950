// The evidence package's one-page summary in Chinese: what and where, the before/after crops, the decisions.
import sharp from 'sharp';
import { cjkPdf } from '../monthly-index/cjk-font.js';
import { shanghaiTime } from '../monthly-index/month.js';
import type { EvidenceInputs, ImageryEvidence } from './gather.js';
import { zh } from './labels.js';

type Doc = PDFKit.PDFDocument;
const MARGIN = 40;
const PAGE_W = 595.28; // A4
const PAGE_H = 841.89;
const WIDTH = PAGE_W - 2 * MARGIN;
const BOTTOM = PAGE_H - 36;

export const CRS_NOTE =
  '坐标系：CGCS2000 地理坐标（EPSG:4490）。平台按 WGS84（EPSG:4326）存储，两者在本精度下数值相同（差异为厘米级），故直接标注为 EPSG:4490。';

const num = (x: number | null, digits = 1) => (x === null ? '—' : x.toFixed(digits));
const day = (iso: string | null) => (iso ? shanghaiTime(new Date(iso)).slice(0, 10) : '—');

export function subjectTitle(inputs: EvidenceInputs): string {
  const s = inputs.subject;
  return s.kind === 'candidate'
    ? `图斑 #${s.id}${s.caseNo ? `（案件 ${s.caseNo}）` : ''}`
    : `案件 ${s.caseNo}`;
}

function facts(inputs: EvidenceInputs): [string, string][] {
  const s = inputs.subject;
  const rows: [string, string][] = [
    ['状态', s.kind === 'candidate'
      ? `${zh.candidateStatus(s.status)}${s.dismissReason ? `（${zh.dismissReason(s.dismissReason)}）` : ''}`
      : zh.registryStatus(s.status)],
    ['街镇', s.streetName ?? '—'],
    ['别墅区', s.villaName ?? '—'],
    ['地址', s.address || '—'],
    ['占地面积', `${num(s.areaM2)} m²`],
  ];
  if (s.floorAreaM2 !== null) rows.push(['建筑面积（台账）', `${num(s.floorAreaM2)} m²`]);
  if (s.buildingType) rows.push(['建筑类型', zh.buildingType(s.buildingType)]);
  rows.push(['发现方式', zh.source(s.kind, s.source)]);
  if (s.kind === 'candidate') {
    rows.push(['识别时间', shanghaiTime(new Date(s.createdAt))]);
    if (s.scoreMax !== null) rows.push(['模型 / 得分', `${s.modelVersion ?? '—'}，最高 ${num(s.scoreMax, 2)}，平均 ${num(s.scoreMean, 2)}`]);
    if (s.rebuilt) rows.push(['复建', '已拆除后在原处复建']);
  }
  if (s.foundOn) rows.push(['发现日期', s.foundOn]);
  if (s.fieldCheckDue) rows.push(['核查期限', s.fieldCheckDue]);
  if (s.deadline) rows.push(['处置期限', s.deadline]);
  if (s.closedOn) rows.push(['销项日期', `${s.closedOn}${s.areaRemovedM2 !== null ? `，拆除 ${num(s.areaRemovedM2)} m²` : ''}`]);
  return rows;
}

function imageryCaption(label: string, e: ImageryEvidence | null): string {
  if (!e) return `${label}：无影像`;
  const i = e.imagery;
  const res = e.crop ? `，${e.crop.metresPerPixel.toFixed(2)} m/像素` : '，无可裁切的瓦片';
  return `${label}：${zh.imageryKind(i.kind)}影像 #${i.id}，${day(i.capturedAt)}${res}`;
}

async function thumbnail(e: ImageryEvidence | null): Promise<Buffer | null> {
  if (!e?.crop) return null;
  return sharp(e.crop.png).resize({ width: 640, height: 640, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
}

function keyFacts(doc: Doc, rows: [string, string][]): void {
  doc.fontSize(9);
  const colW = WIDTH / 2;
  rows.forEach(([k, v], i) => {
    const x = MARGIN + (i % 2) * colW;
    const y = doc.y;
    doc.fillColor('#555').text(k, x, y, { width: 78, lineBreak: false });
    doc.fillColor('#000').text(v, x + 80, y, { width: colW - 86, height: 12, ellipsis: true, lineBreak: false });
    doc.y = i % 2 === 0 && i < rows.length - 1 ? y : y + 14;
  });
  doc.x = MARGIN;
}

async function crops(doc: Doc, inputs: EvidenceInputs): Promise<void> {
  const top = doc.y + 4;
  const w = (WIDTH - 10) / 2;
  const h = 200;
  const pairs: [string, ImageryEvidence | null][] = [['前时相', inputs.before], ['后时相', inputs.after]];
  for (const [i, [label, e]] of pairs.entries()) {
    const x = MARGIN + i * (w + 10);
    doc.rect(x, top, w, h).lineWidth(0.5).stroke('#999');
    const jpeg = await thumbnail(e);
    if (jpeg) doc.image(jpeg, x + 1, top + 1, { fit: [w - 2, h - 2], align: 'center', valign: 'center' });
    else doc.fontSize(9).fillColor('#777').text('无影像', x, top + h / 2 - 5, { width: w, align: 'center', lineBreak: false });
    doc.fontSize(8).fillColor('#000').text(imageryCaption(label, e), x, top + h + 3, { width: w, height: 11, ellipsis: true, lineBreak: false });
  }
  doc.x = MARGIN;
  doc.y = top + h + 18;
  doc.fontSize(7.5).fillColor('#555')
    .text('截图为影像原始分辨率（金字塔最深层级）裁切，黄色为图斑轮廓，附比例尺与指北针；原图见 imagery/ 目录。', MARGIN, doc.y, { width: WIDTH });
}

function coordinates(doc: Doc, inputs: EvidenceInputs): void {
  const points = inputs.subject.geometry.coordinates.flat(2);
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  doc.fontSize(9).fillColor('#000').text(
    `范围中心 ${cx.toFixed(6)}°E，${cy.toFixed(6)}°N；多边形顶点 ${points.length} 个，全部坐标见 polygon-cgcs2000.csv 与 polygon-cgcs2000.geojson。`,
    MARGIN, doc.y, { width: WIDTH },
  );
  doc.fontSize(7.5).fillColor('#555').text(CRS_NOTE, { width: WIDTH });
}

function history(doc: Doc, inputs: EvidenceInputs): void {
  const events = inputs.history;
  const rowH = 11;
  const photoRows = inputs.dronePhotos.length + inputs.fieldPhotos.length;
  const free = Math.floor((BOTTOM - 40 - doc.y - 16) / rowH);
  // the photos' list below gets what the history leaves, and at least a few lines when there are photos
  const room = Math.max(1, photoRows > 0 ? Math.min(free - Math.min(photoRows, 8) - 3, free) : free);
  const shown = events.length > room ? events.slice(events.length - (room - 1)) : events;
  doc.moveDown(0.5);
  doc.fontSize(11).fillColor('#000').text(`研判与处置记录（共 ${events.length} 条）`, MARGIN, doc.y);
  doc.moveDown(0.2);
  doc.fontSize(8);
  if (events.length === 0) doc.fillColor('#777').text('暂无记录', MARGIN, doc.y);
  if (shown.length < events.length) {
    doc.fillColor('#777').text(`……较早的 ${events.length - shown.length} 条见 history.csv`, MARGIN, doc.y, { lineBreak: false });
    doc.y += rowH;
  }
  for (const e of shown) {
    const y = doc.y;
    const change = `${zh.status(e.source, e.fromStatus)} → ${zh.status(e.source, e.toStatus)}`;
    const extra = [e.reason ? zh.dismissReason(e.reason) : '', e.caseNo ?? '', e.isUndo ? '撤销' : '', e.undone ? '已被撤销' : '', e.note]
      .filter(Boolean).join('；');
    doc.fillColor('#000').text(shanghaiTime(new Date(e.at)).slice(0, 16), MARGIN, y, { width: 80, lineBreak: false });
    doc.text(`${e.actorName}（${zh.role(e.actorRole)}）`, MARGIN + 82, y, { width: 110, height: rowH, ellipsis: true, lineBreak: false });
    doc.text(`${zh.action(e.action)} ${change}`, MARGIN + 194, y, { width: 150, height: rowH, ellipsis: true, lineBreak: false });
    doc.fillColor('#444').text(extra, MARGIN + 346, y, { width: WIDTH - 346, height: rowH, ellipsis: true, lineBreak: false });
    doc.y = y + rowH;
  }
}

function attachments(doc: Doc, inputs: EvidenceInputs): void {
  const rowH = 11;
  const lines = [
    ...inputs.dronePhotos.map(({ photo: p }) =>
      `无人机照片 #${p.id} ${p.fileName}：${p.capturedAt ? shanghaiTime(new Date(p.capturedAt)).slice(0, 16) : '时间不详'}，` +
      `距图斑 ${p.distanceM.toFixed(1)} m，${p.camera ?? '相机不详'}，高度 ${p.altitudeM === null ? '—' : `${p.altitudeM.toFixed(1)} m`}` +
      `${p.altitudeRef === 'takeoff' ? '（相对起飞点）' : ''}`),
    ...inputs.fieldPhotos.map(({ photo: p }) =>
      `现场照片 #${p.id} ${p.fileName}：${p.uploadedBy} 上传于 ${shanghaiTime(new Date(p.uploadedAt)).slice(0, 16)}` +
      `${p.lon !== null && p.lat !== null ? `，拍摄位置 ${p.lon.toFixed(6)}°E ${p.lat.toFixed(6)}°N` : ''}`),
  ];
  const room = Math.floor((BOTTOM - 34 - doc.y - 20) / rowH);
  if (lines.length === 0 || room < 2) return;
  doc.moveDown(0.5);
  doc.fontSize(11).fillColor('#000').text('取证照片', MARGIN, doc.y);
  doc.moveDown(0.2);
  doc.fontSize(8);
  const shown = lines.length > room ? [...lines.slice(0, room - 1), `……另 ${lines.length - room + 1} 张见 case.json`] : lines;
  for (const line of shown) {
    const y = doc.y;
    doc.fillColor('#000').text(line, MARGIN, y, { width: WIDTH, height: rowH, ellipsis: true, lineBreak: false });
    doc.y = y + rowH;
  }
}

function footer(doc: Doc, inputs: EvidenceInputs): void {
  const text = `附件：无人机取证照片 ${inputs.dronePhotos.length} 张（原图，含 EXIF）；现场照片 ${inputs.fieldPhotos.length} 张；` +
    '完整记录见 history.csv，案情数据见 case.json；包内每个文件的 SHA-256 见 manifest.json。';
  doc.fontSize(8).fillColor('#000').text(text, MARGIN, BOTTOM - 28, { width: WIDTH, height: 24 });
}

/**
 * One A4 page. The document dates are the package's as-of time and PDFKit derives the document id from them, so
 * the same inputs give the same bytes.
 */
export async function evidenceSummaryPdf(inputs: EvidenceInputs): Promise<Buffer> {
  const asOf = new Date(inputs.asOf);
  const title = `违法建设证据包 ${subjectTitle(inputs)}`;
  const { doc, bytes: done } = cjkPdf({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: 10 },
    info: { Title: title, Creator: 'Tuban', Producer: 'Tuban', CreationDate: asOf, ModDate: asOf },
  });
  doc.fontSize(18).fillColor('#000').text('违法建设证据包摘要', MARGIN, MARGIN, { width: WIDTH });
  doc.fontSize(12).text(subjectTitle(inputs), { width: WIDTH });
  doc.fontSize(8).fillColor('#666').text(`资料截至 ${shanghaiTime(asOf)}`, { width: WIDTH });
  doc.moveDown(0.6);
  keyFacts(doc, facts(inputs));
  await crops(doc, inputs);
  doc.moveDown(0.4);
  coordinates(doc, inputs);
  history(doc, inputs);
  attachments(doc, inputs);
  footer(doc, inputs);
  doc.end();
  return done;
}
