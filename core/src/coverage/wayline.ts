// A mapping (lawnmower) route over one polygon: parallel passes along the area's longer side, spaced by the
// camera's ground footprint and the side overlap, photos every footprint length less the front overlap.

export interface Camera {
  /** sensor width and height in mm, focal length in mm, image width in px */
  sensorWidthMm: number;
  sensorHeightMm: number;
  focalMm: number;
  imageWidthPx: number;
}

/** DJI Mavic 3 Enterprise (M3E), the bureau's mapping drone: 4/3" sensor, 24 mm equivalent lens. */
export const M3E_CAMERA: Camera = { sensorWidthMm: 17.3, sensorHeightMm: 13.0, focalMm: 12.29, imageWidthPx: 5280 };

export interface MappingParams {
  /** flight height above the take-off point, m */
  altitudeM: number;
  /** along-track (front) and across-track (side) overlap, percent */
  frontOverlap: number;
  sideOverlap: number;
  speedMs: number;
  /** passes extend this far beyond the polygon so its edges are photographed too, m */
  marginM: number;
}

export interface MappingRoute {
  /** [lon, lat] of the waypoints in flying order: start and end of every pass */
  waypoints: [number, number][];
  /** the outline flown over (convex hull of the input), closed ring of [lon, lat] */
  outline: [number, number][];
  /** 0 = passes run east–west, 90 = north–south (degrees from east, counter-clockwise) */
  directionDeg: number;
  passSpacingM: number;
  photoSpacingM: number;
  gsdCm: number;
  distanceM: number;
  durationS: number;
}

const M_PER_DEG_LAT = 111_320;

/** Convex hull (monotone chain) of points, counter-clockwise, not closed. */
export function convexHull(points: [number, number][]): [number, number][] {
  const p = [...new Map(points.map((q) => [`${q[0]},${q[1]}`, q])).values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: number[], a: number[], b: number[]) => (a[0]! - o[0]!) * (b[1]! - o[1]!) - (a[1]! - o[1]!) * (b[0]! - o[0]!);
  const half = (pts: [number, number][]) => {
    const h: [number, number][] = [];
    for (const q of pts) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, q) <= 0) h.pop();
      h.push(q);
    }
    return h.slice(0, -1);
  };
  return [...half(p), ...half([...p].reverse())];
}

export function footprintM(camera: Camera, altitudeM: number): { widthM: number; heightM: number; gsdCm: number } {
  const widthM = (altitudeM * camera.sensorWidthMm) / camera.focalMm;
  return { widthM, heightM: (altitudeM * camera.sensorHeightMm) / camera.focalMm, gsdCm: (100 * widthM) / camera.imageWidthPx };
}

/** Plans the passes over the convex hull of `geometry` (the polygon's outer rings). */
export function planMappingRoute(geometry: GeoJSON.MultiPolygon, params: MappingParams, camera = M3E_CAMERA): MappingRoute {
  const hull = convexHull(geometry.coordinates.flatMap((poly) => poly[0]!.map(([x, y]) => [x!, y!] as [number, number])));
  if (hull.length < 3) throw new Error('the area to map has no extent');
  const lat0 = hull.reduce((a, q) => a + q[1], 0) / hull.length;
  const lon0 = hull.reduce((a, q) => a + q[0], 0) / hull.length;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
  const toLocal = ([x, y]: [number, number]) => [(x - lon0) * mPerDegLon, (y - lat0) * M_PER_DEG_LAT] as [number, number];
  const toLonLat = ([u, v]: [number, number]) => [lon0 + u / mPerDegLon, lat0 + v / M_PER_DEG_LAT] as [number, number];
  const local = hull.map(toLocal);
  const xs = local.map((q) => q[0]);
  const ys = local.map((q) => q[1]);
  const eastWest = Math.max(...xs) - Math.min(...xs) >= Math.max(...ys) - Math.min(...ys);
  // work in a frame where passes run along u; v steps across them
  const uv = local.map(([x, y]) => (eastWest ? [x, y] : [y, x]) as [number, number]);
  const back = ([u, v]: [number, number]) => toLonLat(eastWest ? [u, v] : [v, u]);

  const fp = footprintM(camera, params.altitudeM);
  const passSpacingM = fp.widthM * (1 - params.sideOverlap / 100);
  const photoSpacingM = fp.heightM * (1 - params.frontOverlap / 100);
  const vMin = Math.min(...uv.map((q) => q[1]));
  const vMax = Math.max(...uv.map((q) => q[1]));
  // enough passes that the outermost ones' footprints reach the hull's edges
  const passes = Math.max(1, Math.ceil((vMax - vMin) / passSpacingM) + 1);
  const start = (vMin + vMax) / 2 - ((passes - 1) * passSpacingM) / 2;

  const waypoints: [number, number][] = [];
  for (let i = 0; i < passes; i++) {
    const v = start + i * passSpacingM;
    const [u0, u1] = spanAt(uv, Math.min(Math.max(v, vMin), vMax));
    const ends: [number, number][] = [[u0 - params.marginM, v], [u1 + params.marginM, v]];
    if (i % 2 === 1) ends.reverse();
    waypoints.push(...ends.map(back));
  }
  let distanceM = 0;
  for (let i = 1; i < waypoints.length; i++) {
    const [a, b] = [toLocal(waypoints[i - 1]!), toLocal(waypoints[i]!)];
    distanceM += Math.hypot(b[0] - a[0], b[1] - a[1]);
  }
  return {
    waypoints,
    outline: [...hull, hull[0]!],
    directionDeg: eastWest ? 0 : 90,
    passSpacingM,
    photoSpacingM,
    gsdCm: fp.gsdCm,
    distanceM,
    durationS: distanceM / params.speedMs,
  };
}

/** Where the horizontal line at `v` enters and leaves a convex polygon (u-range). */
function spanAt(poly: [number, number][], v: number): [number, number] {
  const us: number[] = [];
  for (let i = 0; i < poly.length; i++) {
    const [a, b] = [poly[i]!, poly[(i + 1) % poly.length]!];
    if ((a[1] <= v && b[1] >= v) || (b[1] <= v && a[1] >= v)) {
      us.push(a[1] === b[1] ? a[0] : a[0] + ((v - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
      if (a[1] === b[1]) us.push(b[0]);
    }
  }
  return [Math.min(...us), Math.max(...us)];
}
