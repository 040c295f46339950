// Everything one monthly export shows, read once and handed to each file writer.
import type { Queryable } from '../db/pool.js';
import { monthExportItems, streetOutlines, type ExportItem, type StreetOutline } from '../db/monthly-export.js';
import type { IndexRow, MonthlyIndex } from './compute.js';
import { monthlyIndexTrend } from './index.js';

export interface ExportData {
  month: string;
  /** ISO instant; the one field that differs between two exports of the same data */
  generatedAt: string;
  index: MonthlyIndex;
  items: ExportItem[];
  streets: StreetOutline[];
  /** the district row of the last 12 months, oldest first (the month itself last) */
  trend: { month: string; row: IndexRow }[];
}

/** What an item is counted as in the month, for the per-item sheet and the map legend. */
export function itemRoles(row: IndexRow): Map<number, string[]> {
  const roles = new Map<number, string[]>();
  const add = (ids: number[], role: string) => {
    for (const id of ids) roles.set(id, [...(roles.get(id) ?? []), role]);
  };
  add(row.drill.newItems, '新增');
  add(row.drill.dueItems, '到期');
  add(row.drill.handledOnTime, '按期处置');
  add(row.drill.disposedItems, '处置');
  add(row.drill.closedOutItems, '销项');
  return roles;
}

export async function loadExportData(db: Queryable, month: string, generatedAt: Date): Promise<ExportData> {
  const months = await monthlyIndexTrend(db, month, 12);
  const index = months[months.length - 1]!;
  const district = index.rows[0]!;
  const ids = [...itemRoles(district).keys()].sort((a, b) => a - b);
  const trend: ExportData['trend'] = months.map((m) => ({ month: m.month, row: m.rows[0]! }));
  return {
    month,
    generatedAt: generatedAt.toISOString(),
    index,
    items: await monthExportItems(db, ids),
    streets: await streetOutlines(db),
    trend,
  };
}
