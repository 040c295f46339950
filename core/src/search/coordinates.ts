// A coordinate as people paste it from a phone map or a GPS app: "31.2304,121.4737", "121.4737, 31.2304",
// "31.2304°N 121.4737°E", "N31.2304 E121.4737". Which number is the latitude is read from N/S/E/W letters
// where given, otherwise from the ranges (a value beyond ±90 can only be a longitude; inside China a
// longitude is 72–138 and a latitude 1–56, so "121.47,31.23" and "31.23,121.47" both read right).
import { gcj02ToWgs84, isInsideChina, type LonLat } from '../geo/gcj02.js';

export type Datum = 'wgs84' | 'gcj02';
export const DATUMS: readonly Datum[] = ['gcj02', 'wgs84'];

const NUMBER = String.raw`[-+]?\d{1,3}(?:\.\d+)?`;
const PART = new RegExp(String.raw`^([NSEW])?\s*(${NUMBER})\s*°?\s*([NSEW])?$`, 'i');

interface Part {
  value: number;
  axis: 'lat' | 'lon' | null;
}

function readPart(text: string): Part | null {
  const m = PART.exec(text.trim());
  if (!m) return null;
  const letter = (m[1] ?? m[3] ?? '').toUpperCase();
  if (m[1] && m[3]) return null;
  let value = Number(m[2]);
  if (!Number.isFinite(value)) return null;
  if (letter === 'S' || letter === 'W') value = -Math.abs(value);
  const axis = letter === 'N' || letter === 'S' ? 'lat' : letter === 'E' || letter === 'W' ? 'lon' : null;
  return { value, axis };
}

/** Splits on a comma (ASCII or full-width), a semicolon or white space between the two numbers. */
function splitPair(text: string): [string, string] | null {
  const t = text.trim().replace(/，/g, ',').replace(/；/g, ';');
  const bySeparator = t.split(/\s*[,;]\s*/);
  if (bySeparator.length === 2) return [bySeparator[0]!, bySeparator[1]!];
  const bySpace = t.split(/\s+/);
  if (bySpace.length === 2) return [bySpace[0]!, bySpace[1]!];
  // "N31.23 E121.47" splits into four when letters stand apart from the numbers
  if (bySpace.length === 4) return [`${bySpace[0]}${bySpace[1]}`, `${bySpace[2]}${bySpace[3]}`];
  return null;
}

const inRange = (v: number, lo: number, hi: number) => v >= lo && v <= hi;
const chinaLon = (v: number) => inRange(v, 72, 138);
const chinaLat = (v: number) => inRange(v, 1, 56);

/** The two numbers as [lon, lat], or null when the text is no coordinate pair. */
export function parseCoordinate(text: string): LonLat | null {
  const pair = splitPair(text);
  if (!pair) return null;
  const a = readPart(pair[0]);
  const b = readPart(pair[1]);
  if (!a || !b) return null;
  let lonLat: LonLat;
  if (a.axis || b.axis) {
    if (a.axis === b.axis) return null;
    const aIsLat = a.axis === 'lat' || b.axis === 'lon';
    lonLat = aIsLat ? [b.value, a.value] : [a.value, b.value];
  } else if (Math.abs(a.value) > 90) {
    lonLat = [a.value, b.value];
  } else if (Math.abs(b.value) > 90) {
    lonLat = [b.value, a.value];
  } else if (chinaLon(a.value) && chinaLat(b.value) && !(chinaLat(a.value) && chinaLon(b.value))) {
    lonLat = [a.value, b.value];
  } else {
    // the order of Google, Apple and most GPS apps
    lonLat = [b.value, a.value];
  }
  const [lon, lat] = lonLat;
  return inRange(lon, -180, 180) && inRange(lat, -90, 90) ? lonLat : null;
}

/** WGS84 position of a coordinate read in the given datum; outside China GCJ-02 is WGS84. */
export function toWgs84(lonLat: LonLat, datum: Datum): LonLat {
  return datum === 'gcj02' && isInsideChina(lonLat) ? gcj02ToWgs84(lonLat) : lonLat;
}
