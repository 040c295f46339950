// Where a complaint is: its coordinates (WGS84, or GCJ-02 converted), else its address matched against the
// registry's addresses; failing both, the street its address names (so a person knows where to look).
import { matchRegistryAddress, streetAt, streetNames } from '../db/complaints.js';
import type { Queryable } from '../db/pool.js';
import type { ComplaintCrs } from '../domain.js';
import { gcj02ToWgs84 } from '../geo/gcj02.js';

// Anything outside this box is not Shanghai: most likely the wrong columns, swapped axes or a bad export.
const SHANGHAI = { w: 120.8, e: 122.2, s: 30.6, n: 31.95 };
/** Registry addresses shorter than this (after cleaning) say too little to place a complaint ("兰溪路"). */
const MIN_ADDRESS_CHARS = 5;
/** Matches farther apart than this do not name one spot. */
const MAX_MATCH_SPREAD_M = 100;

export function insideShanghai([lon, lat]: [number, number]): boolean {
  return lon >= SHANGHAI.w && lon <= SHANGHAI.e && lat >= SHANGHAI.s && lat <= SHANGHAI.n;
}

export function toWgs84(p: [number, number], crs: ComplaintCrs): [number, number] {
  return crs === 'gcj02' ? gcj02ToWgs84(p) : p;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** City, district and street names and punctuation: what differs between two ways of writing one address. */
export function addressNoise(streets: { name: string }[]): string {
  const names = new Set<string>(['上海市', '上海', '普陀区', '普陀']);
  for (const s of streets) {
    names.add(s.name);
    names.add(s.name.replace(/(街道|镇)$/, ''));
  }
  const words = [...names].filter(Boolean).sort((a, b) => b.length - a.length).map(escape);
  return `${words.join('|')}|[ \t\r\n\u3000,，.。、;；:：·()（）"“”'-]`;
}

export function cleanAddress(address: string, noise: string): string {
  return address.replace(new RegExp(noise, 'g'), '');
}

/** The street whose name the address mentions, the longest name first ("长风新村街道" before "长风"). */
export function streetNamed(address: string, streets: { code: string; name: string }[]): string | null {
  const names = streets.flatMap((s) => [s.name, s.name.replace(/(街道|镇)$/, '')].map((n) => ({ n, code: s.code })));
  names.sort((a, b) => b.n.length - a.n.length);
  return names.find(({ n }) => n.length >= 2 && address.includes(n))?.code ?? null;
}

export type Placement =
  | { kind: 'coordinates'; lon: number; lat: number; streetCode: string | null }
  | { kind: 'registry_address'; lon: number; lat: number; streetCode: string | null; itemIds: number[] }
  | { kind: 'unplaced'; streetCode: string | null; ambiguous: boolean };

export interface Placer {
  place(input: { point?: [number, number]; address: string }): Promise<Placement>;
}

/** A placer for one import: the street names and the cleaning pattern are read once. */
export async function createPlacer(db: Queryable): Promise<Placer> {
  const streets = await streetNames(db);
  const noise = addressNoise(streets);
  return {
    async place({ point, address }) {
      if (point) return { kind: 'coordinates', lon: point[0], lat: point[1], streetCode: await streetAt(db, point[0], point[1]) };
      const cleaned = cleanAddress(address, noise);
      const match = cleaned.length >= MIN_ADDRESS_CHARS ? await matchRegistryAddress(db, cleaned, noise, MIN_ADDRESS_CHARS) : undefined;
      if (match && match.spreadM <= MAX_MATCH_SPREAD_M) {
        const street = (await streetAt(db, match.lon, match.lat)) ?? match.streetCode;
        return { kind: 'registry_address', lon: match.lon, lat: match.lat, streetCode: street, itemIds: match.itemIds };
      }
      return { kind: 'unplaced', streetCode: streetNamed(address, streets), ambiguous: match !== undefined };
    },
  };
}
