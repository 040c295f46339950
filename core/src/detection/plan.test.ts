import { describe, expect, it } from 'vitest';
import { detectionZoom } from './plan.js';

const SHANGHAI = 31.25;

describe('the detection zoom for imagery of a given GSD', () => {
  const model = { metresPerPixel: 0.5, gsdRange: [0.4, 0.8] as [number, number] };

  it('reduces drone imagery to the model resolution and takes satellite imagery up to 2x enlargement', () => {
    for (const gsd of [0.03, 0.1, 0.5, 0.75, 1.0]) expect(detectionZoom(model, gsd, SHANGHAI), `${gsd} m/px`).toBe(18);
    expect(detectionZoom(model, null, SHANGHAI)).toBe(18);
  });

  it('refuses imagery the model would have to enlarge more than 2x', () => {
    expect(detectionZoom(model, 1.2, SHANGHAI)).toBeNull();
    expect(detectionZoom(model, 2, SHANGHAI)).toBeNull();
  });

  it('detects coarse satellite imagery at its own zoom with a model trained across 0.3-2 m', () => {
    const wide = { metresPerPixel: 0.5, gsdRange: [0.3, 2.1] as [number, number] };
    expect(detectionZoom(wide, 0.5, SHANGHAI)).toBe(18);
    expect(detectionZoom(wide, 1, SHANGHAI)).toBe(17);
    expect(detectionZoom(wide, 2, SHANGHAI)).toBe(16);
  });
});
