import { describe, expect, it } from 'vitest';
import { ENUMS, type EnumGroup } from '../domain';
import { en } from './en';
import { MESSAGES, formatDate, translate, translateEnum } from './translate';
import { zhCN } from './zh-CN';

describe('translation tables', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('have no empty strings', () => {
    for (const [lang, table] of Object.entries(MESSAGES)) {
      for (const [key, text] of Object.entries(table)) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });

  it('translate every enum value', () => {
    for (const group of Object.keys(ENUMS) as EnumGroup[]) {
      for (const value of ENUMS[group]) {
        expect(translateEnum(zhCN, group, value)).not.toBe(value);
        expect(translateEnum(en, group, value)).toBeTruthy();
      }
    }
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate(en, 'streets.zoomTo', { name: 'Wanli' })).toBe('Zoom to Wanli');
  });

  it('shows unknown enum values as they came', () => {
    expect(translateEnum(en, 'registryStatus', 'something_new')).toBe('something_new');
    expect(translateEnum(en, 'registryStatus', undefined)).toBe('');
  });
});

describe('formatDate', () => {
  it('keeps calendar dates unchanged', () => {
    expect(formatDate('en', '2024-03-01')).toBe('2024-03-01');
  });

  it('shows instants in Asia/Shanghai', () => {
    // 16:30 UTC is 00:30 the next day in Shanghai.
    expect(formatDate('en', '2024-03-01T16:30:00Z')).toContain('03/02/2024');
  });
});
