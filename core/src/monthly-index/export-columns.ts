// Column headers (Chinese, as the bureau's reports use them) and cell values shared by the CSV, XLSX and PDF.
import type { ExportItem } from '../db/monthly-export.js';
import type { IndexRow } from './compute.js';

export const SOURCE_ZH: Record<string, string> = {
  drone: '无人机',
  satellite: '卫星',
  complaint_12345: '12345投诉',
  patrol: '巡查',
  city_patch: '市级下发',
  survey: '普查',
};
export const STATUS_ZH: Record<string, string> = {
  open: '库内',
  demolished: '拆除',
  legalized: '补证',
  confiscated: '没收',
  annotated: '注记',
};
export const ORIGIN_ZH: Record<string, string> = { stock: '存量', new: '新增' };
export const VILLA_ZH: Record<string, string> = {
  demolish_confiscate: '拆除没收',
  restrict_freeze: '限制冻结',
  policy_guidance: '政策疏导',
};
export const BUILDING_ZH: Record<string, string> = {
  steel_shed: '钢棚',
  rooftop_addition: '屋顶加层',
  extension: '扩建',
  courtyard_enclosure: '院落围合',
  standalone: '独立建筑',
  villa_extension: '别墅扩建',
};

export type Cell = string | number | null;
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  width?: number;
}

/** The month's 12345 complaints (see complaints/monthly-counts.ts). */
const COMPLAINT_COLUMNS: Column<IndexRow>[] = [
  { header: '12345受理(件)', value: (r) => r.complaints.received },
  { header: '12345办结(件)', value: (r) => r.complaints.closed },
  { header: '12345属实(件)', value: (r) => r.complaints.true },
  { header: '其中新增违建(件)', value: (r) => r.complaints.trueNew },
  { header: '其中存量违建(件)', value: (r) => r.complaints.trueExisting },
  { header: '12345不属实(件)', value: (r) => r.complaints.untrue },
  { header: '12345到期(件)', value: (r) => r.complaints.due },
  { header: '12345按期办结(件)', value: (r) => r.complaints.onTime },
  { header: '12345按期办结率(%)', value: (r) => pct(r.complaints.completionRate) },
];

export const INDEX_COLUMNS: Column<IndexRow>[] = [
  { header: '街镇代码', value: (r) => (r.scope === 'district' ? '' : r.scope), width: 12 },
  { header: '街镇', value: (r) => r.name, width: 14 },
  { header: '新增违建(处)', value: (r) => r.newCount },
  ...Object.entries(SOURCE_ZH).map(([k, zh]) => ({
    header: `其中${zh}(处)`,
    value: (r: IndexRow) => r.newBySource[k as keyof IndexRow['newBySource']],
  })),
  { header: '主动发现率(%)', value: (r) => pct(r.proactiveShare) },
  { header: '到期应处置(处)', value: (r) => r.dueCount },
  { header: '按期处置(处)', value: (r) => r.handledOnTimeCount },
  { header: '依法处置率(%)', value: (r) => pct(r.handlingRate) },
  { header: '研判(件)', value: (r) => r.decisionCount },
  { header: '发现至研判中位天数', value: (r) => r.medianDecisionDays },
  { header: '处置(处)', value: (r) => r.dispositionCount },
  { header: '确认至处置中位天数', value: (r) => r.medianDispositionDays },
  { header: '新增面积(m²)', value: (r) => r.areaFoundM2 },
  { header: '拆除面积(m²)', value: (r) => r.areaRemovedM2 },
  { header: '本月销项(处)', value: (r) => r.closedOutCount },
  { header: '本月销项面积(m²)', value: (r) => r.closedOutM2 },
  { header: '年度累计销项(m²)', value: (r) => r.ytdClosedOutM2 },
  { header: '年度目标(m²)', value: (r) => r.annualTargetM2 },
  { header: '目标完成率(%)', value: (r) => pct(r.targetProgress) },
  { header: '无人机架次', value: (r) => r.sorties },
  { header: '飞手人次', value: (r) => r.pilotShifts },
  { header: '影像覆盖率(%)', value: (r) => pct(r.coverageShare) },
  { header: '综合得分', value: (r) => r.score },
  { header: '等级', value: (r) => r.grade },
  ...COMPLAINT_COLUMNS,
];

export const ITEM_COLUMNS: Column<ExportItem & { roles: string }>[] = [
  { header: '编号', value: (i) => i.id },
  { header: '案件号', value: (i) => i.caseNo, width: 16 },
  { header: '街镇', value: (i) => i.streetName, width: 14 },
  { header: '本月计入', value: (i) => i.roles, width: 20 },
  { header: '状态', value: (i) => STATUS_ZH[i.status] ?? i.status },
  { header: '类别', value: (i) => ORIGIN_ZH[i.origin] ?? i.origin },
  { header: '发现来源', value: (i) => SOURCE_ZH[i.source] ?? i.source },
  { header: '建筑类型', value: (i) => BUILDING_ZH[i.buildingType] ?? i.buildingType },
  { header: '建筑面积(m²)', value: (i) => i.floorAreaM2 },
  { header: '占地面积(m²)', value: (i) => i.footprintM2 },
  { header: '拆除面积(m²)', value: (i) => i.areaRemovedM2 },
  { header: '发现日期', value: (i) => i.foundOn, width: 12 },
  { header: '处置期限', value: (i) => i.deadline, width: 12 },
  { header: '销项日期', value: (i) => i.closedOn, width: 12 },
  { header: '三个一批', value: (i) => (i.villaCategory ? VILLA_ZH[i.villaCategory]! : null) },
  { header: '地址', value: (i) => i.address, width: 30 },
];
