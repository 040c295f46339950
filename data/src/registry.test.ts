import { booleanPointInPolygon, feature } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { CLOSED_OUT_STATUSES } from '@tuban/core/domain';
import { toXy, Region } from './placement.js';
import { generateDemoGeodata } from './registry.js';
import { VILLA_SPLIT } from './villas.js';

const data = generateDemoGeodata(42);
const ordinary = data.items.filter((i) => i.buildingType !== 'villa_extension');
const villas = data.items.filter((i) => i.buildingType === 'villa_extension');
const share = (pred: (i: (typeof data.items)[number]) => boolean, items = ordinary) => items.filter(pred).length / items.length;

describe('demo registry', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(JSON.stringify(generateDemoGeodata(42))).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateDemoGeodata(43).items)).not.toBe(JSON.stringify(data.items));
  });

  it('has about 1,000 items with unique case numbers', () => {
    expect(data.items.length).toBeGreaterThanOrEqual(950);
    expect(data.items.length).toBeLessThanOrEqual(1050);
    expect(new Set(data.items.map((i) => i.caseNo)).size).toBe(data.items.length);
    for (const i of data.items) expect(i.caseNo).toMatch(new RegExp(`^PT-${i.foundOn.slice(0, 4)}-\\d{6}$`));
  });

  it('holds exactly 79 villa items in 6–8 compounds with the three-batches split', () => {
    expect(villas).toHaveLength(79);
    expect(data.compounds.length).toBeGreaterThanOrEqual(6);
    expect(data.compounds.length).toBeLessThanOrEqual(8);
    for (const [category, n] of Object.entries(VILLA_SPLIT)) {
      expect(villas.filter((v) => v.villaCategory === category)).toHaveLength(n);
    }
    expect(villas.filter((v) => v.villaCategory === 'restrict_freeze').every((v) => v.status === 'annotated')).toBe(true);
    expect(villas.filter((v) => v.villaCategory === 'policy_guidance').every((v) => ['open', 'legalized'].includes(v.status))).toBe(true);
    const dc = villas.filter((v) => v.villaCategory === 'demolish_confiscate');
    expect(share((v) => v.status === 'demolished' || v.status === 'confiscated', dc)).toBeGreaterThan(0.8);
    for (const v of villas) {
      const compound = data.compounds.find((c) => c.name === v.villaCompound)!;
      expect(compound.streetCode).toBe(v.streetCode);
      for (const p of v.geometry.coordinates[0]![0]!) expect(booleanPointInPolygon(p, compound.geometry)).toBe(true);
    }
    expect(ordinary.every((i) => i.villaCompound === null && i.villaCategory === null)).toBe(true);
  });

  it('places every item inside its street', () => {
    for (const item of data.items) {
      const street = data.streets.find((s) => s.code === item.streetCode)!;
      const region = new Region(street.geometry);
      for (const p of item.geometry.coordinates[0]![0]!) expect(region.contains(toXy(p))).toBe(true);
      expect(booleanPointInPolygon(item.geometry.coordinates[0]![0]![0]!, feature(street.geometry))).toBe(true);
    }
  });

  it('never lets two footprints overlap (vertex-in-polygon check on a grid of neighbours)', () => {
    const cell = 0.002;
    const grid = new Map<string, number[]>();
    const key = (lon: number, lat: number) => `${Math.floor(lon / cell)}:${Math.floor(lat / cell)}`;
    data.items.forEach((item, i) => {
      const [lon, lat] = item.geometry.coordinates[0]![0]![0]!;
      const k = key(lon!, lat!);
      grid.set(k, [...(grid.get(k) ?? []), i]);
    });
    let compared = 0;
    data.items.forEach((item, i) => {
      const [lon, lat] = item.geometry.coordinates[0]![0]![0]!;
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const j of grid.get(key(lon! + dx * cell, lat! + dy * cell)) ?? []) {
            if (j === i) continue;
            compared++;
            for (const p of data.items[j]!.geometry.coordinates[0]![0]!) {
              expect(booleanPointInPolygon(p, item.geometry)).toBe(false);
            }
          }
        }
      }
    });
    expect(compared).toBeGreaterThan(100);
  });

  it('has plausible footprints, floor areas and dates', () => {
    for (const i of data.items) {
      expect(i.floorAreaM2).toBeGreaterThan(0);
      expect(i.closedOn !== null).toBe(CLOSED_OUT_STATUSES.includes(i.status));
      if (i.closedOn) expect(i.closedOn >= i.foundOn).toBe(true);
      expect(i.areaRemovedM2 !== null).toBe(i.status === 'demolished');
      expect(i.foundOn >= '2023-11-01' && i.foundOn <= '2026-10-31').toBe(true);
      if (i.origin === 'new' && i.status === 'open') expect(i.deadline).not.toBeNull();
      expect(i.address.startsWith(data.streets.find((s) => s.code === i.streetCode)!.name)).toBe(true);
    }
  });

  it('keeps the mixes near their targets', () => {
    expect(share((i) => i.status === 'open')).toBeCloseTo(0.7, 1);
    expect(share((i) => i.status === 'demolished')).toBeCloseTo(0.18, 1);
    expect(Math.abs(share((i) => i.status === 'legalized') - 0.05)).toBeLessThan(0.02);
    expect(Math.abs(share((i) => i.status === 'confiscated') - 0.02)).toBeLessThan(0.01);
    expect(Math.abs(share((i) => i.status === 'annotated') - 0.05)).toBeLessThan(0.02);
    expect(Math.abs(share((i) => i.origin === 'new') - 0.05)).toBeLessThan(0.02);
    expect(share((i) => i.source === 'survey', ordinary.filter((i) => i.origin === 'stock'))).toBeGreaterThan(0.8);
    expect(ordinary.filter((i) => i.origin === 'new').every((i) => i.source !== 'survey')).toBe(true);
    const towns = ordinary.filter((i) => i.streetCode === '310107102' || i.streetCode === '310107103').length;
    expect(towns / ordinary.length).toBeGreaterThan(0.3);
  });
});
