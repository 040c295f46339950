import { area, booleanPointInPolygon, feature, intersect, featureCollection } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { buildDemoStreets, DEMO_DISTRICT_OUTLINE, demoOutline, STREETS } from './streets.js';

describe('demo street partition', () => {
  const streets = buildDemoStreets();

  it('has the 10 Putuo streets with their NBS codes and kinds', () => {
    expect(streets.map((s) => s.code).sort()).toEqual([
      '310107005', '310107014', '310107015', '310107016', '310107017',
      '310107020', '310107021', '310107022', '310107102', '310107103',
    ]);
    expect(streets.filter((s) => s.kind === 'town').map((s) => s.name).sort()).toEqual(['桃浦镇', '长征镇'].sort());
    expect(new Set(streets.map((s) => s.name)).size).toBe(10);
    expect(streets.every((s) => s.boundarySource === 'demo-partition')).toBe(true);
  });

  it('tiles the outline: areas add up and no two streets overlap', () => {
    const outlineArea = area(demoOutline());
    const sum = streets.reduce((s, x) => s + area(feature(x.geometry)), 0);
    expect(Math.abs(sum - outlineArea) / outlineArea).toBeLessThan(0.001);
    for (let i = 0; i < streets.length; i++) {
      for (let j = i + 1; j < streets.length; j++) {
        const overlap = intersect(featureCollection([feature(streets[i]!.geometry), feature(streets[j]!.geometry)]));
        expect(overlap ? area(overlap) : 0).toBeLessThan(1);
      }
    }
  });

  it('stays inside the district box and keeps each seed in its own street', () => {
    for (const s of streets) {
      expect(s.geometry.type).toBe('MultiPolygon');
      for (const [lon, lat] of s.geometry.coordinates.flat(2)) {
        expect(lon).toBeGreaterThanOrEqual(121.33);
        expect(lon).toBeLessThanOrEqual(121.45);
        expect(lat).toBeGreaterThanOrEqual(31.22);
        expect(lat).toBeLessThanOrEqual(31.3);
      }
      const def = STREETS.find((d) => d.code === s.code)!;
      expect(booleanPointInPolygon(def.seed, s.geometry)).toBe(true);
    }
    expect(DEMO_DISTRICT_OUTLINE[0]).toEqual(DEMO_DISTRICT_OUTLINE.at(-1));
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildDemoStreets())).toBe(JSON.stringify(streets));
  });
});
