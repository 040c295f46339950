// Bounding boxes of GeoJSON geometries, for "zoom to this street". Pure for testing.

export type Bounds = [[number, number], [number, number]];

function visit(coords: unknown, box: [number, number, number, number]): void {
  if (!Array.isArray(coords)) return;
  if (typeof coords[0] === 'number' && typeof coords[1] === 'number') {
    const [x, y] = coords as [number, number];
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
    return;
  }
  for (const part of coords) visit(part, box);
}

/** [[west, south], [east, north]] of any nesting of positions, or null when there are none. */
export function boundsOf(geometry: { coordinates: unknown } | null): Bounds | null {
  if (!geometry) return null;
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  visit(geometry.coordinates, box);
  if (!Number.isFinite(box[0])) return null;
  return [
    [box[0], box[1]],
    [box[2], box[3]],
  ];
}
