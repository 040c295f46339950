import { describe, expect, it } from 'vitest';
import { FRESHNESS_BANDS, NEVER_FLOWN_COLOR, freshnessColor } from './freshness-layer';

/** Evaluates the step expression as MapLibre does: the output of the last stop at or below the input. */
function colorFor(days: number): string {
  const [, , base, ...stops] = freshnessColor() as [string, unknown, string, ...(number | string)[]];
  let color = base;
  for (let i = 0; i < stops.length; i += 2) if (days >= (stops[i] as number)) color = stops[i + 1] as string;
  return color;
}

describe('freshness colours', () => {
  it('go from green to orange by days since, dark red for never flown (−1)', () => {
    expect(colorFor(-1)).toBe(NEVER_FLOWN_COLOR);
    expect([0, 30, 31, 60, 61, 120, 121, 2000].map(colorFor)).toEqual([
      FRESHNESS_BANDS[0].color, FRESHNESS_BANDS[0].color, FRESHNESS_BANDS[1].color, FRESHNESS_BANDS[1].color,
      FRESHNESS_BANDS[2].color, FRESHNESS_BANDS[2].color, FRESHNESS_BANDS[3].color, FRESHNESS_BANDS[3].color,
    ]);
  });
});
