// Maps a row's properties (English or Chinese column names, enum values or their Chinese labels) to item fields.
import { BUILDING_TYPES, FINDING_SOURCES, REGISTRY_ORIGINS, REGISTRY_STATUSES } from '../../domain.js';
import { BUILDING_ZH, ORIGIN_ZH, SOURCE_ZH, STATUS_ZH } from '../../monthly-index/export-columns.js';

const ALIASES: Record<string, string[]> = {
  caseNo: ['case_no', 'caseno', 'case', '案件号', '案号', '编号'],
  street: ['street_code', 'streetcode', 'street', 'street_name', '街镇代码', '街镇', '所属街镇'],
  floorAreaM2: ['floor_area_m2', 'floorarea', 'floor_area', 'area_m2', 'area', '建筑面积', '面积'],
  buildingType: ['building_type', 'buildingtype', 'type', '建筑类型'],
  origin: ['origin', '类别', '存量/新增'],
  source: ['source', '发现来源', '来源'],
  status: ['status', '状态'],
  foundOn: ['found_on', 'foundon', 'found', '发现日期'],
  deadline: ['deadline', '处置期限'],
  closedOn: ['closed_on', 'closedon', '销项日期'],
  address: ['address', '地址'],
  notes: ['notes', 'note', '备注'],
};

export type FieldName = keyof typeof ALIASES;

export function pick(props: Record<string, unknown>, field: FieldName): string | undefined {
  const keys = Object.keys(props);
  for (const alias of ALIASES[field]!) {
    const key = keys.find((k) => k.trim().toLowerCase() === alias);
    const v = key === undefined ? undefined : props[key];
    if (v !== undefined && v !== null && String(v).trim() !== '') return String(v).trim();
  }
  return undefined;
}

function enumValue(value: string, values: readonly string[], labels: Record<string, string>): string | undefined {
  if (values.includes(value)) return value;
  return Object.entries(labels).find(([, zh]) => zh === value || `已${zh}` === value)?.[0];
}

export const parseEnum = {
  buildingType: (v: string) => enumValue(v, BUILDING_TYPES, BUILDING_ZH),
  origin: (v: string) => enumValue(v, REGISTRY_ORIGINS, ORIGIN_ZH),
  source: (v: string) => enumValue(v, FINDING_SOURCES, SOURCE_ZH),
  status: (v: string) => enumValue(v, REGISTRY_STATUSES, STATUS_ZH),
};

/** YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD (as DBF dates come) → YYYY-MM-DD; undefined when not a real date. */
export function parseDay(v: string): string | undefined {
  const m = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})(?:[T ].*)?$/.exec(v);
  if (!m) return undefined;
  const day = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day ? day : undefined;
}
