// The PDF report in Chinese: key figures, the per-street table, a map of the month's items and a 12-month trend.
import type { IndexRow } from './compute.js';
import type { ExportData } from './export-data.js';
import { itemRoles } from './export-data.js';
import { cjkPdf } from './cjk-font.js';
import { shanghaiTime } from './month.js';

type Doc = PDFKit.PDFDocument;
const MARGIN = 40;
const PAGE_W = 595.28; // A4
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null, digits = 0) => (x === null ? '—' : x.toFixed(digits));

function title(doc: Doc, text: string, size = 13): void {
  doc.fontSize(size).fillColor('#000').text(text, MARGIN, doc.y, { width: PAGE_W - 2 * MARGIN });
  doc.moveDown(0.4);
}

function complaintLine({ complaints: c }: IndexRow): string {
  return `受理 ${c.received} 件；办结 ${c.closed} 件：属实 ${c.true}（新增 ${c.trueNew}，存量 ${c.trueExisting}），` +
    `不属实 ${c.untrue}；按期办结 ${c.onTime}/${c.due}（${pct(c.completionRate)}）`;
}

function keyFigures(doc: Doc, d: IndexRow): void {
  const figures: [string, string][] = [
    ['综合得分', `${num(d.score, 1)}（${d.grade ?? '—'}）`],
    ['新增违建', `${d.newCount} 处，${num(d.areaFoundM2, 1)} m²`],
    ['主动发现率', pct(d.proactiveShare)],
    ['依法处置率', `${pct(d.handlingRate)}（${d.handledOnTimeCount}/${d.dueCount}）`],
    ['发现至研判中位天数', num(d.medianDecisionDays, 1)],
    ['确认至处置中位天数', num(d.medianDispositionDays, 1)],
    ['本月销项', `${d.closedOutCount} 处，${num(d.closedOutM2, 1)} m²；拆除 ${num(d.areaRemovedM2, 1)} m²`],
    ['年度累计销项 / 目标', `${num(d.ytdClosedOutM2, 1)} / ${num(d.annualTargetM2, 0)} m²（${pct(d.targetProgress)}）`],
    ['无人机架次 / 飞手人次', `${d.sorties} / ${d.pilotShifts}`],
    ['影像覆盖率', pct(d.coverageShare)],
    ['12345投诉', complaintLine(d)],
  ];
  doc.fontSize(10);
  for (const [k, v] of figures) {
    const y = doc.y;
    doc.fillColor('#555').text(k, MARGIN, y, { width: 150 });
    doc.fillColor('#000').text(v, MARGIN + 155, y, { width: PAGE_W - 2 * MARGIN - 155 });
  }
  doc.moveDown(0.8);
}

function streetTable(doc: Doc, rows: IndexRow[]): void {
  const cols: [string, number, (r: IndexRow) => string][] = [
    ['街镇', 80, (r) => r.name],
    ['新增', 36, (r) => String(r.newCount)],
    ['主动发现率', 56, (r) => pct(r.proactiveShare)],
    ['依法处置率', 56, (r) => pct(r.handlingRate)],
    ['销项(m²)', 60, (r) => num(r.closedOutM2, 1)],
    ['目标完成率', 56, (r) => pct(r.targetProgress)],
    ['架次', 34, (r) => String(r.sorties)],
    ['人次', 34, (r) => String(r.pilotShifts)],
    ['得分', 40, (r) => num(r.score, 1)],
    ['等级', 46, (r) => r.grade ?? '—'],
  ];
  doc.fontSize(9);
  const rowH = 16;
  const drawRow = (cells: string[], y: number, bold: boolean) => {
    let x = MARGIN;
    if (bold) doc.rect(MARGIN, y - 3, PAGE_W - 2 * MARGIN, rowH).fill('#e8eef5');
    doc.fillColor('#000');
    cells.forEach((c, i) => {
      doc.text(c, x + 2, y, { width: cols[i]![1] - 4, lineBreak: false });
      x += cols[i]![1];
    });
  };
  let y = doc.y;
  drawRow(cols.map((c) => c[0]), y, true);
  for (const r of rows) {
    y += rowH;
    drawRow(cols.map((c) => c[2](r)), y, r.scope === 'district');
  }
  doc.y = y + rowH + 6;
  doc.x = MARGIN;
}

const ROLE_COLORS: [string, string][] = [
  ['新增', '#d7301f'],
  ['销项', '#1a9850'],
  ['到期', '#fc8d59'],
  ['处置', '#4575b4'],
];

function rings(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): number[][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

function map(doc: Doc, data: ExportData, top: number, height: number): void {
  const width = PAGE_W - 2 * MARGIN;
  const all = [...data.streets.flatMap((s) => rings(s.geometry)), ...data.items.flatMap((i) => rings(i.geometry))].flat();
  doc.rect(MARGIN, top, width, height).lineWidth(0.5).stroke('#999');
  if (all.length === 0) return;
  const xs = all.map((p) => p[0]!);
  const ys = all.map((p) => p[1]!);
  const [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = Math.min((width - 20) / Math.max((e - w) * k, 1e-9), (height - 20) / Math.max(n - s, 1e-9));
  const ox = MARGIN + (width - (e - w) * k * scale) / 2;
  const oy = top + (height - (n - s) * scale) / 2;
  const at = (p: number[]): [number, number] => [ox + (p[0]! - w) * k * scale, oy + (n - p[1]!) * scale];
  const path = (ring: number[][]) => {
    ring.forEach((p, i) => (i === 0 ? doc.moveTo(...at(p)) : doc.lineTo(...at(p))));
    doc.closePath();
  };
  for (const st of data.streets) {
    for (const r of rings(st.geometry)) path(r);
    doc.lineWidth(0.6).fillAndStroke('#f4f4f4', '#888');
  }
  doc.fontSize(7).fillColor('#666');
  for (const st of data.streets) {
    const pts = rings(st.geometry)[0]!;
    const c = at([pts.reduce((a, p) => a + p[0]!, 0) / pts.length, pts.reduce((a, p) => a + p[1]!, 0) / pts.length]);
    doc.text(st.name, c[0] - 30, c[1] - 4, { width: 60, align: 'center', lineBreak: false });
  }
  const roles = itemRoles(data.index.rows[0]!);
  for (const item of data.items) {
    const r = roles.get(item.id) ?? [];
    const color = ROLE_COLORS.find(([role]) => r.includes(role))?.[1] ?? '#333';
    for (const ring of rings(item.geometry)) path(ring);
    doc.fill(color);
    // buildings are a few metres across: a dot keeps each visible at district scale
    doc.circle(...at(rings(item.geometry)[0]![0]!), 2).fill(color);
  }
  let lx = MARGIN + 8;
  doc.fontSize(8);
  for (const [role, color] of ROLE_COLORS) {
    doc.circle(lx + 3, top + height - 10, 3).fill(color);
    doc.fillColor('#000').text(role, lx + 9, top + height - 14, { lineBreak: false });
    lx += 50;
  }
}

function trendChart(doc: Doc, trend: ExportData['trend'], top: number, height: number): void {
  const left = MARGIN + 30;
  const width = PAGE_W - 2 * MARGIN - 60;
  const maxNew = Math.max(1, ...trend.map((t) => t.row.newCount));
  const step = width / trend.length;
  doc.lineWidth(0.5).moveTo(left, top + height).lineTo(left + width, top + height).stroke('#999');
  doc.fontSize(7);
  trend.forEach((t, i) => {
    const h = (t.row.newCount / maxNew) * (height - 10);
    const x = left + i * step + step * 0.2;
    if (h > 0) doc.rect(x, top + height - h, step * 0.6, h).fill('#9ecae1');
    doc.fillColor('#000').text(String(t.row.newCount), x - 4, top + height - h - 9, { width: step * 0.6 + 8, align: 'center', lineBreak: false });
    doc.text(t.month.slice(2), x - 6, top + height + 3, { width: step * 0.6 + 12, align: 'center', lineBreak: false });
  });
  const scored = trend.map((t, i) => [i, t.row.score] as const).filter((p): p is readonly [number, number] => p[1] !== null);
  const py = (score: number) => top + height - (score / 100) * (height - 10);
  scored.forEach(([i, score], j) => {
    const x = left + i * step + step / 2;
    if (j === 0) doc.moveTo(x, py(score));
    else doc.lineTo(x, py(score));
  });
  if (scored.length > 1) doc.lineWidth(1.5).stroke('#d7301f');
  for (const [i, score] of scored) doc.circle(left + i * step + step / 2, py(score), 2).fill('#d7301f');
  doc.fontSize(8).fillColor('#000');
  doc.text('柱：新增违建（处）　线：综合得分（0–100）', left, top + height + 16, { lineBreak: false });
}

export async function indexPdf(data: ExportData): Promise<Buffer> {
  const generated = new Date(data.generatedAt);
  const { doc, bytes: done } = cjkPdf({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `新增违建动态监测指数 ${data.month}`, Creator: 'Tuban', Producer: 'Tuban', CreationDate: generated, ModDate: generated },
  });
  const [y, m] = data.month.split('-');
  title(doc, `新增违建动态监测指数　${y}年${Number(m)}月`, 18);
  doc.fontSize(8).fillColor('#666').text(`生成时间 ${shanghaiTime(new Date(data.generatedAt))}　月份按北京时间（Asia/Shanghai）划分`);
  doc.moveDown(0.8);
  title(doc, '全区');
  keyFigures(doc, data.index.rows[0]!);
  title(doc, '分街镇');
  streetTable(doc, data.index.rows);

  doc.addPage();
  title(doc, `本月图斑分布（${data.items.length} 处）`);
  const mapTop = doc.y;
  map(doc, data, mapTop, 420);
  // text drawn inside the map moves the cursor; place the chart from the map's top instead
  doc.x = MARGIN;
  doc.y = mapTop + 440;
  title(doc, '近12个月趋势');
  trendChart(doc, data.trend, doc.y + 10, 170);
  doc.end();
  return done;
}
