import { describe, expect, it } from 'vitest';
import { parseDay, parseEnum, pick } from './fields.js';
import { parseCsv } from './parse.js';

describe('registry import fields', () => {
  it('finds columns by English or Chinese name', () => {
    expect(pick({ 案件号: 'A-1', ' AREA ': 5 }, 'caseNo')).toBe('A-1');
    expect(pick({ 案件号: 'A-1', ' AREA ': 5 }, 'floorAreaM2')).toBe('5');
    expect(pick({ caseNo: '' }, 'caseNo')).toBeUndefined();
  });
  it('reads enum values and their Chinese labels', () => {
    expect(parseEnum.status('已拆除')).toBe('demolished');
    expect(parseEnum.source('12345投诉')).toBe('complaint_12345');
    expect(parseEnum.buildingType('steel_shed')).toBe('steel_shed');
    expect(parseEnum.origin('maybe')).toBeUndefined();
  });
  it('reads dates in the usual spellings and refuses impossible ones', () => {
    expect(parseDay('2026/3/5')).toBe('2026-03-05');
    expect(parseDay('20260305')).toBe('2026-03-05');
    expect(parseDay('2026-02-30')).toBeUndefined();
  });
  it('parses quoted CSV fields', () => {
    expect(parseCsv('a,b\r\n"x, ""y""",2\n\n"multi\nline",3')).toEqual([
      ['a', 'b'],
      ['x, "y"', '2'],
      ['multi\nline', '3'],
    ]);
  });
});
