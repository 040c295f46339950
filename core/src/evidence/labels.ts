// Chinese words for the values an evidence package shows (the registry's own come from the monthly export's).
import { BUILDING_ZH, SOURCE_ZH, STATUS_ZH } from '../monthly-index/export-columns.js';

export const CANDIDATE_STATUS_ZH: Record<string, string> = {
  new: '新发现',
  confirmed: '已确认违建',
  known: '已在台账',
  dismissed: '已排除',
  field_check: '待现场核查',
};

export const DISMISS_REASON_ZH: Record<string, string> = {
  legal_permit: '合法/已有许可',
  temporary: '临时设施',
  false_positive: '误报',
  imagery_problem: '影像问题',
};

const ACTION_ZH: Record<string, string> = {
  decision: '研判',
  drawn: '人工勾绘',
  outline: '修正轮廓',
  created: '立案',
  disposition: '处置',
};

const ROLE_ZH: Record<string, string> = { admin: '管理员', office: '拆违专办', squad: '街镇中队', pilot: '飞手', viewer: '领导' };

const IMAGERY_KIND_ZH: Record<string, string> = { drone: '无人机正射', satellite: '卫星', tileset: '瓦片影像', photo: '照片' };

const CANDIDATE_SOURCE_ZH: Record<string, string> = { detection: '自动识别', manual: '人工勾绘' };

const word = (table: Record<string, string>, value: string | null | undefined): string =>
  value === null || value === undefined ? '—' : (table[value] ?? value);

export const zh = {
  candidateStatus: (v: string | null) => word(CANDIDATE_STATUS_ZH, v),
  registryStatus: (v: string | null) => word(STATUS_ZH, v),
  /** a status of either kind, told apart by the event's source */
  status: (source: 'candidate' | 'registry', v: string | null) => word(source === 'candidate' ? CANDIDATE_STATUS_ZH : STATUS_ZH, v),
  dismissReason: (v: string | null) => word(DISMISS_REASON_ZH, v),
  action: (v: string) => word(ACTION_ZH, v),
  role: (v: string) => word(ROLE_ZH, v),
  buildingType: (v: string | null) => word(BUILDING_ZH, v),
  imageryKind: (v: string) => word(IMAGERY_KIND_ZH, v),
  source: (kind: 'candidate' | 'registry', v: string) => word(kind === 'candidate' ? CANDIDATE_SOURCE_ZH : SOURCE_ZH, v),
};
