// Calendar months cut in Asia/Shanghai (UTC+8 all year: China has had no daylight saving since 1991).
import { Invalid } from '../errors.js';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** Months the index can be asked for: wide enough for any record, narrow enough for every date type. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2099;
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

export interface MonthBounds {
  month: string;
  year: number;
  /** 1..12 */
  monthNumber: number;
  /** first day, YYYY-MM-DD */
  firstDay: string;
  /** first day of the next month, YYYY-MM-DD (exclusive) */
  nextFirstDay: string;
  /** the same two days at 00:00 Shanghai time, as instants */
  start: Date;
  end: Date;
}

export function parseMonth(month: string): MonthBounds {
  const m = MONTH.exec(month);
  if (!m) throw new Invalid(`month must be YYYY-MM, e.g. 2026-03; got "${month}"`);
  const year = Number(m[1]);
  if (year < FIRST_YEAR || year > LAST_YEAR) throw new Invalid(`month must lie between ${FIRST_YEAR}-01 and ${LAST_YEAR}-12; got "${month}"`);
  const monthNumber = Number(m[2]);
  const firstDay = `${m[1]}-${m[2]}-01`;
  const nextYear = monthNumber === 12 ? year + 1 : year;
  const nextMonth = monthNumber === 12 ? 1 : monthNumber + 1;
  const nextFirstDay = `${nextYear}-${String(nextMonth).padStart(2, '0')}-01`;
  return {
    month,
    year,
    monthNumber,
    firstDay,
    nextFirstDay,
    start: new Date(`${firstDay}T00:00:00+08:00`),
    end: new Date(`${nextFirstDay}T00:00:00+08:00`),
  };
}

/** The month before the one that holds `now` in Shanghai (what the job on the 1st builds). */
export function previousMonth(now: Date): string {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  let y = local.getUTCFullYear();
  let m = local.getUTCMonth(); // 0-based current month = 1-based previous month
  if (m === 0) {
    y -= 1;
    m = 12;
  }
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** The `count` months ending with `month`, oldest first. */
export function monthsEndingWith(month: string, count: number): string[] {
  const { year, monthNumber } = parseMonth(month);
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const total = year * 12 + (monthNumber - 1) - i;
    out.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** The Shanghai calendar day of an instant, YYYY-MM-DD. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as Shanghai wall-clock time, "YYYY-MM-DD HH:mm:ss (北京时间)", for people reading an export. */
export function shanghaiTime(at: Date): string {
  return `${new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ')} (北京时间)`;
}

/** Whole days from one YYYY-MM-DD to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
