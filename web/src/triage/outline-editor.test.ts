import { describe, expect, it } from 'vitest';
import { editFeatures, firstRing, ringPolygon, withFirstRing, type MultiPolygonGeometry } from './outline-editor';

const square: MultiPolygonGeometry = {
  type: 'MultiPolygon',
  coordinates: [
    [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]],
    [[[5, 5], [6, 5], [6, 6], [5, 5]]],
  ],
};

describe('outline editing', () => {
  it('edits the first outer ring open and puts it back closed, keeping holes and other parts', () => {
    const ring = firstRing(square);
    expect(ring).toEqual([[0, 0], [1, 0], [1, 1], [0, 1]]);
    ring[2] = [1.5, 1.5];
    const out = withFirstRing(square, ring);
    expect(out.coordinates[0]![0]).toEqual([[0, 0], [1, 0], [1.5, 1.5], [0, 1], [0, 0]]);
    expect(out.coordinates[0]![1]).toEqual(square.coordinates[0]![1]);
    expect(out.coordinates[1]).toEqual(square.coordinates[1]);
    expect(ringPolygon([[0, 0], [1, 0], [1, 1]]).coordinates[0]).toHaveLength(4);
  });

  it('draws a line for two vertices, a polygon from three, and every vertex with its index', () => {
    expect(editFeatures([[0, 0]]).features.map((f) => f.geometry.type)).toEqual(['Point']);
    expect(editFeatures([[0, 0], [1, 0]]).features.map((f) => f.geometry.type)).toEqual(['LineString', 'Point', 'Point']);
    const three = editFeatures([[0, 0], [1, 0], [1, 1]]).features;
    expect(three.map((f) => f.geometry.type)).toEqual(['Polygon', 'Point', 'Point', 'Point']);
    expect(three.slice(1).map((f) => f.properties.index)).toEqual([0, 1, 2]);
  });
});
