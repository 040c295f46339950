import { describe, expect, it } from 'vitest';
import { IMAGERY_BENEATH, clampOpacity, imageryLayer, imageryLayerId, imagerySource, isImageryLayerId } from './imagery-layers';
import { buildLayers } from './layers';

const item = {
  id: 7,
  opacity: 0.6,
  tileFormat: 'webp',
  minZoom: 14,
  maxZoom: 20,
  footprint: { type: 'MultiPolygon', coordinates: [[[[121.3, 31.2], [121.4, 31.2], [121.4, 31.3], [121.3, 31.2]]]] },
};

describe('imagery layers', () => {
  it('names one raster source and layer per item', () => {
    expect(imageryLayerId(7)).toBe('imagery-7');
    expect(isImageryLayerId('imagery-7')).toBe(true);
    expect(isImageryLayerId('imagery-')).toBe(false);
    expect(isImageryLayerId('streets-fill')).toBe(false);
    expect(imageryLayer(item)).toEqual({
      id: 'imagery-7',
      type: 'raster',
      source: 'imagery-7',
      paint: { 'raster-opacity': 0.6, 'raster-fade-duration': 0 },
    });
  });

  it('asks for tiles only inside the footprint and between the pyramid zooms', () => {
    expect(imagerySource('http://x.test', item)).toEqual({
      type: 'raster',
      tiles: ['http://x.test/tiles/imagery/7/{z}/{x}/{y}.webp'],
      tileSize: 256,
      bounds: [121.3, 31.2, 121.4, 31.3],
      minzoom: 14,
      maxzoom: 20,
    });
    const bare = imagerySource('http://x.test', { ...item, tileFormat: 'png', minZoom: null, maxZoom: null, footprint: null });
    expect(bare).toEqual({ type: 'raster', tiles: ['http://x.test/tiles/imagery/7/{z}/{x}/{y}.png'], tileSize: 256 });
    const mixed = imagerySource('http://x.test', { ...item, tileFormat: 'mixed' });
    expect(mixed).toMatchObject({ tiles: ['http://x.test/tiles/imagery/7/{z}/{x}/{y}.jpg'] });
  });

  it('puts rasters under the lowest vector layer', () => {
    expect(buildLayers()[0]!.id).toBe(IMAGERY_BENEATH);
  });

  it('keeps opacity between 0 and 1', () => {
    expect([clampOpacity(-1), clampOpacity(0.3), clampOpacity(2), clampOpacity(Number.NaN)]).toEqual([0, 0.3, 1, 0.9]);
  });
});
