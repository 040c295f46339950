import { ENUMS, TIME_ZONE, type EnumGroup } from '../domain';
import { en } from './en';
import { zhCN, type MessageKey, type Messages } from './zh-CN';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';

export const MESSAGES: Record<Lang, Messages> = { 'zh-CN': zhCN, en };

export type Params = Record<string, string | number>;

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** Whether the message table has this key (server error codes arrive as plain strings). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

export function translate(messages: Messages, key: MessageKey, params?: Params): string {
  const text = messages[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Translates an enum value; a value the UI does not know yet is shown as it came. */
export function translateEnum(messages: Messages, group: EnumGroup, value: unknown): string {
  const known: readonly string[] = ENUMS[group];
  if (typeof value !== 'string' || !known.includes(value)) return value == null ? '' : String(value);
  return messages[`${group}.${value}` as MessageKey];
}

export function formatNumber(lang: Lang, value: number, maxFractionDigits = 1): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: maxFractionDigits }).format(value);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Calendar dates (YYYY-MM-DD) are shown as they are: converting them through a time zone could move
 * them by a day. Instants are shown in Asia/Shanghai whatever the browser's own zone.
 */
export function formatDate(lang: Lang, value: string): string {
  if (DATE_ONLY.test(value)) return value;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return value;
  return new Intl.DateTimeFormat(lang, {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(instant);
}
