import { describe, expect, it } from 'vitest';
import { parseCoordinates, parseCrs, parseDeadline, parseHotlineTime, textOf } from './fields.js';
import { addressMatcher, addressNoise, cleanAddress, streetNamed } from './place.js';

const iso = (d: Date | undefined) => d?.toISOString();

describe('hotline fields', () => {
  it('reads the times hotline exports write, as Shanghai time', () => {
    expect(iso(parseHotlineTime('2026-11-03 09:15'))).toBe('2026-11-03T01:15:00.000Z');
    expect(iso(parseHotlineTime('2026/11/3 9:15:30'))).toBe('2026-11-03T01:15:30.000Z');
    expect(iso(parseHotlineTime('2026年11月3日 9时15分'))).toBe('2026-11-03T01:15:00.000Z');
    expect(iso(parseHotlineTime('20261103'))).toBe('2026-11-02T16:00:00.000Z');
    expect(iso(parseHotlineTime('2026-11-03T09:15:00Z'))).toBe('2026-11-03T09:15:00.000Z');
    // an Excel date cell as exceljs hands it over (wall-clock time in UTC fields), and an Excel serial
    expect(iso(parseHotlineTime(new Date('2026-11-03T09:15:00Z')))).toBe('2026-11-03T01:15:00.000Z');
    expect(iso(parseHotlineTime(46329.5))).toBe('2026-11-03T04:00:00.000Z');
  });

  it('refuses what is not a time', () => {
    for (const bad of ['昨天', '2026-02-30 10:00', '2026-11-03 25:00', '3/11/2026', '', 12]) expect(parseHotlineTime(bad), String(bad)).toBeUndefined();
  });

  it('keeps the Shanghai day of a deadline', () => {
    expect(parseDeadline('2026-11-30 17:00')).toBe('2026-11-30');
    expect(parseDeadline('2026-11-30')).toBe('2026-11-30');
  });

  it('reads coordinates in either order, and the datum names people use', () => {
    expect(parseCoordinates('121.4, 31.25', undefined, undefined)).toEqual([121.4, 31.25]);
    expect(parseCoordinates('31.25，121.4', undefined, undefined)).toEqual([121.4, 31.25]);
    expect(parseCoordinates(undefined, '121.4', '31.25')).toEqual([121.4, 31.25]);
    expect(parseCoordinates('121.4', undefined, undefined)).toBeUndefined();
    expect(parseCoordinates(undefined, 'abc', '31')).toBeUndefined();
    expect(parseCrs('GCJ-02')).toBe('gcj02');
    expect(parseCrs('高德')).toBe('gcj02');
    expect(parseCrs('CGCS2000')).toBe('wgs84');
    expect(parseCrs('Beijing54')).toBeUndefined();
  });

  it('finds a field under any of its headers', () => {
    expect(textOf({ ' 工单号 ': ' A-1 ' }, 'number')).toBe('A-1');
    expect(textOf({ 受理时间: '', 来电时间: 'x' }, 'receivedAt')).toBe('x');
    expect(textOf({ 地址: 'x' }, 'content')).toBeUndefined();
  });
});

describe('addresses', () => {
  const streets = [{ code: '310107005', name: '曹杨新村街道' }, { code: '310107102', name: '长征镇' }];
  const noise = addressNoise(streets);
  it('drop city, district, street names and punctuation before comparing', () => {
    expect(cleanAddress('上海市普陀区曹杨新村街道 兰溪路88弄5号（门口）', noise)).toBe('兰溪路88弄5号门口');
    expect(cleanAddress('长征镇金沙江路1号', noise)).toBe('金沙江路1号');
    expect(cleanAddress('曹杨新村兰溪路88弄5号', noise)).toBe('兰溪路88弄5号');
  });
  it('match the longest registry addresses inside a complaint address, with how far apart they lie', () => {
    const item = (id: number, address: string, lon: number) => ({ id, streetCode: '310107005', address, lon, lat: 31.25, cleaned: cleanAddress(address, noise) });
    const items = [item(1, '曹杨新村街道兰溪路88弄', 121.38), item(2, '兰溪路88弄5号', 121.381), item(3, '曹杨新村兰溪路88弄5号', 121.382), item(4, '兰溪', 121.39)];
    const match = addressMatcher(items);
    const m = match(cleanAddress('上海市普陀区兰溪路88弄5号门口', noise))!;
    expect(m.itemIds).toEqual([2, 3]);
    expect(m.centre[0]).toBeCloseTo(121.3815, 6);
    expect(m.spreadM).toBeGreaterThan(40);
    expect(m.spreadM).toBeLessThan(50);
    expect(match('枣阳路1号')).toBeUndefined();
    // a number is not matched inside a longer one
    expect(match('兰溪路188弄5号')).toBeUndefined();
  });

  it('name the street an address mentions', () => {
    expect(streetNamed('普陀区长征镇某小区', streets)).toBe('310107102');
    expect(streetNamed('曹杨新村某弄', streets)).toBe('310107005');
    expect(streetNamed('某小区', streets)).toBeNull();
  });
});
