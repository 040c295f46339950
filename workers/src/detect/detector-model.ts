import type { ChangeDetector } from '@tuban/core/change/detector';
import type { ChangeModel } from './model.js';

/**
 * Any ChangeDetector (such as the classical CVA baseline) as a detection model: planar float input is
 * turned back into 8-bit interleaved pairs and the probabilities stacked in the model's output layout.
 */
export function detectorModel(detector: ChangeDetector, card: { threshold: number; metresPerPixel: number }): ChangeModel {
  return {
    name: detector.name,
    version: detector.version,
    threshold: card.threshold,
    metresPerPixel: card.metresPerPixel,
    async predict(input, n, size) {
      const plane = size * size;
      const pairs = Array.from({ length: n }, (_, i) => {
        const base = i * 6 * plane;
        const image = (offset: number) => {
          const rgb = new Uint8Array(plane * 3);
          for (let k = 0; k < plane; k++) {
            for (let c = 0; c < 3; c++) rgb[k * 3 + c] = Math.round(input[base + offset + c * plane + k]! * 255);
          }
          return rgb;
        };
        return { width: size, height: size, before: image(0), after: image(3 * plane) };
      });
      const out = new Float32Array(n * plane);
      (await detector.detect(pairs)).forEach((p, i) => out.set(p, i * plane));
      return out;
    },
  };
}
