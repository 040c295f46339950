import { describe, expect, it } from 'vitest';
import { CANDIDATE_STATUSES, DATASETS, REGISTRY_STATUSES } from '../domain';
import {
  CANDIDATE_STATUS_COLORS,
  CLICKABLE_LAYER_IDS,
  REGISTRY_STATUS_COLORS,
  TILE_MAX_ZOOM,
  TILE_MIN_ZOOM,
  buildLayers,
  buildStyle,
  type LayerSpecification,
} from './layers';

const ORIGIN = 'http://example.test';

function layer(id: string): LayerSpecification {
  const found = buildLayers().find((l) => l.id === id);
  if (!found) throw new Error(`no layer ${id}`);
  return found;
}

/** The status values named as `match` arms anywhere in a paint property. */
function matchedStatuses(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  if (value[0] === 'match' && JSON.stringify(value[1]) === JSON.stringify(['get', 'status'])) {
    const arms = value.slice(2, -1);
    return arms.filter((_, i) => i % 2 === 0) as string[];
  }
  return value.flatMap(matchedStatuses);
}

describe('buildLayers', () => {
  it('produces the predictable layer ids in drawing order', () => {
    expect(buildLayers().map((l) => l.id)).toEqual([
      'streets-fill',
      'streets-line',
      'hotspots-fill',
      'hotspots-line',
      'registry-fill',
      'registry-line',
      'candidates-fill',
      'candidates-line',
    ]);
  });

  it('reads each layer from the same-named source and source-layer', () => {
    for (const l of buildLayers()) {
      if (l.type === 'background' || !('source-layer' in l)) throw new Error(`unexpected layer ${l.id}`);
      const dataset = l.id.replace(/-(fill|line)$/, '');
      expect(l.source).toBe(dataset);
      expect(l['source-layer']).toBe(dataset);
    }
  });

  it.each(['registry-fill', 'registry-line'])('%s colours every registry status', (id) => {
    const l = layer(id);
    const paint = l.type === 'fill' ? l.paint?.['fill-color'] : l.type === 'line' ? l.paint?.['line-color'] : undefined;
    expect(matchedStatuses(paint).sort()).toEqual([...REGISTRY_STATUSES].sort());
  });

  it.each(['candidates-fill', 'candidates-line'])('%s colours every candidate status', (id) => {
    const l = layer(id);
    const paint = l.type === 'fill' ? l.paint?.['fill-color'] : l.type === 'line' ? l.paint?.['line-color'] : undefined;
    expect(matchedStatuses(paint).sort()).toEqual([...CANDIDATE_STATUSES].sort());
  });

  it('gives each status a distinct colour', () => {
    for (const colors of [REGISTRY_STATUS_COLORS, CANDIDATE_STATUS_COLORS]) {
      const values = Object.values(colors);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('draws hotspots with a dashed outline', () => {
    const l = layer('hotspots-line');
    expect(l.type === 'line' && l.paint?.['line-dasharray']).toBeTruthy();
  });

  it('lets every fill layer be clicked, topmost first', () => {
    expect(CLICKABLE_LAYER_IDS).toEqual(['candidates-fill', 'registry-fill', 'hotspots-fill', 'streets-fill']);
  });
});

describe('buildStyle', () => {
  const style = buildStyle(ORIGIN);

  it('is self-contained: no glyphs, sprites or symbol layers', () => {
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(style.layers.some((l) => l.type === 'symbol')).toBe(false);
    expect(style.layers[0]?.type).toBe('background');
  });

  it('has one same-origin vector source per dataset with zoom range and promoted id', () => {
    expect(Object.keys(style.sources).sort()).toEqual([...DATASETS].sort());
    for (const dataset of DATASETS) {
      const source = style.sources[dataset];
      if (source?.type !== 'vector') throw new Error(`${dataset} is not a vector source`);
      expect(source.tiles).toEqual([`${ORIGIN}/tiles/${dataset}/{z}/{x}/{y}.mvt`]);
      expect(source.minzoom).toBe(TILE_MIN_ZOOM);
      expect(source.maxzoom).toBe(TILE_MAX_ZOOM);
      expect(source.promoteId).toBe(dataset === 'streets' ? 'code' : 'id');
    }
  });

  it('names no external URL', () => {
    const urls = JSON.stringify(style).match(/https?:\/\/[^"/]+/g) ?? [];
    expect(urls.every((u) => u === ORIGIN)).toBe(true);
  });
});
