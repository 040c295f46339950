// Reads one hotline row (CSV/XLSX cells under Chinese or English headers, or a JSON object) into complaint fields.
import { COMPLAINT_CRS, type ComplaintCrs } from '../domain.js';

/** Header names each field is found under (compared trimmed, case-insensitively); the first non-empty one wins. */
export const COMPLAINT_COLUMNS = {
  number: ['工单编号', '工单号', '诉求编号', '热线编号', '编号', 'number', 'order_no', 'ticket'],
  receivedAt: ['受理时间', '来电时间', '登记时间', '派单时间', '接收时间', 'received_at', 'receivedat', 'received'],
  address: ['地址', '事发地址', '诉求地址', '问题地址', '发生地址', 'address'],
  coordinates: ['坐标', '经纬度', 'coordinates', 'coords'],
  lon: ['经度', 'lon', 'lng', 'longitude', 'x'],
  lat: ['纬度', 'lat', 'latitude', 'y'],
  crs: ['坐标系', 'crs', 'datum'],
  content: ['诉求内容', '内容', '问题描述', '诉求描述', '反映内容', 'content', 'description'],
  deadline: ['办理时限', '处理时限', '办结时限', '截止时间', '办理期限', 'deadline', 'due'],
} as const;

export type ComplaintColumn = keyof typeof COMPLAINT_COLUMNS;
export type Cell = string | number | Date | null | undefined;

export function cellOf(props: Record<string, Cell>, field: ComplaintColumn): Cell {
  const keys = Object.keys(props);
  for (const alias of COMPLAINT_COLUMNS[field]) {
    const key = keys.find((k) => k.trim().toLowerCase() === alias);
    const v = key === undefined ? undefined : props[key];
    if (v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '')) return v;
  }
  return undefined;
}

export function textOf(props: Record<string, Cell>, field: ComplaintColumn): string | undefined {
  const v = cellOf(props, field);
  if (v === undefined || v === null) return undefined;
  return (v instanceof Date ? v.toISOString() : String(v)).trim();
}

/** Whether any header of the row names the field. */
export function hasColumn(headers: string[], field: ComplaintColumn): boolean {
  return headers.some((h) => (COMPLAINT_COLUMNS[field] as readonly string[]).includes(h.trim().toLowerCase()));
}

const SHANGHAI_OFFSET = '+08:00';
// Excel's day 0 is 1899-12-30; serial days count from there
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

const pad = (n: string | number) => String(n).padStart(2, '0');

/**
 * An instant from a hotline time: "2026-11-03 09:15", "2026/11/3 9:15:00", "2026年11月3日 9时15分",
 * "20261103", ISO with an offset, an Excel serial, or a date cell. Times without an offset are Shanghai time;
 * exceljs hands date cells over as UTC instants holding the wall-clock time shown in the sheet.
 */
export function parseHotlineTime(v: Cell): Date | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return undefined;
    return new Date(v.getTime() - 8 * 3600_000);
  }
  if (typeof v === 'number') {
    if (!(v > 20_000 && v < 80_000)) return undefined;
    return new Date(EXCEL_EPOCH_MS + Math.round(v * 86_400_000) - 8 * 3600_000);
  }
  const text = v.trim();
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const m = /^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?:[T\s]+(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?)?分?)?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [m[1]!, m[2] ?? m[4]!, m[3] ?? m[5]!];
  const [hh, mm, ss] = [m[6] ?? '0', m[7] ?? '0', m[8] ?? '0'];
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined;
  const iso = `${year}-${pad(month)}-${pad(day)}T${pad(hh)}:${pad(mm)}:${pad(ss)}${SHANGHAI_OFFSET}`;
  const d = new Date(iso);
  // a day that does not exist (2026-02-30) rolls over in Date; compare to refuse it
  if (Number.isNaN(d.getTime()) || shanghaiDate(d) !== `${year}-${pad(month)}-${pad(day)}`) return undefined;
  return d;
}

function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** A deadline as the Shanghai calendar day it falls on (a time of day, if given, is dropped). */
export function parseDeadline(v: Cell): string | undefined {
  const d = parseHotlineTime(v);
  return d ? shanghaiDate(d) : undefined;
}

/** Reads a datum name: WGS84 (also GPS, CGCS2000, 天地图) or GCJ-02 (also 火星, 高德, AMap). */
export function parseCrs(v: string): ComplaintCrs | undefined {
  const s = v.trim().toLowerCase().replace(/[-_\s]/g, '');
  if ((COMPLAINT_CRS as readonly string[]).includes(s)) return s as ComplaintCrs;
  if (['gps', 'cgcs2000', 'epsg4326', '4326', '天地图', 'wgs'].includes(s)) return 'wgs84';
  if (['gcj', '火星', '火星坐标', '高德', 'amap', 'gaode', '腾讯'].includes(s)) return 'gcj02';
  return undefined;
}

/**
 * "121.40,31.25" (either order: in China a longitude is always above 73 and a latitude below 54), or the two
 * separate cells. Undefined when the text holds no two numbers.
 */
export function parseCoordinates(combined: string | undefined, lon: string | undefined, lat: string | undefined): [number, number] | undefined {
  if (combined !== undefined) {
    const parts = combined.replace(/[，；;\s]+/g, ',').split(',').filter(Boolean).map(Number);
    if (parts.length !== 2 || !parts.every(Number.isFinite)) return undefined;
    const [a, b] = parts as [number, number];
    return a < b ? [b, a] : [a, b];
  }
  if (lon === undefined || lat === undefined) return undefined;
  const p: [number, number] = [Number(lon), Number(lat)];
  return p.every(Number.isFinite) ? p : undefined;
}
