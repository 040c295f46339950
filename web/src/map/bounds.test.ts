import { describe, expect, it } from 'vitest';
import { boundsOf } from './bounds';

describe('boundsOf', () => {
  it('covers every ring of a multipolygon', () => {
    const multi = {
      coordinates: [
        [[[121.3, 31.2], [121.4, 31.2], [121.4, 31.3], [121.3, 31.2]]],
        [[[121.45, 31.25], [121.46, 31.25], [121.46, 31.26], [121.45, 31.25]]],
      ],
    };
    expect(boundsOf(multi)).toEqual([[121.3, 31.2], [121.46, 31.3]]);
  });

  it('returns null for empty or missing geometry', () => {
    expect(boundsOf(null)).toBeNull();
    expect(boundsOf({ coordinates: [] })).toBeNull();
  });
});
