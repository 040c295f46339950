// Where a complaint is: its coordinates (WGS84, or GCJ-02 converted), else its address matched against the
// registry's addresses; failing both, the street its address names (so a person knows where to look).
import { registryAddresses, streetAt, streetNames, type RegistryAddress } from '../db/complaints.js';
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
export function addressNoise(streets: { name: string }[]): RegExp {
  const names = new Set<string>(['上海市', '上海', '普陀区', '普陀']);
  for (const s of streets) {
    names.add(s.name);
    names.add(s.name.replace(/(街道|镇)$/, ''));
  }
  const words = [...names].filter(Boolean).sort((a, b) => b.length - a.length).map(escape);
  return new RegExp(`${words.join('|')}|[ \t\r\n\u3000,，.。、;；:：·()（）"“”'-]`, 'g');
}

export function cleanAddress(address: string, noise: RegExp): string {
  return address.replace(noise, '');
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

const EARTH_RADIUS_M = 6_371_008.8;

function metresBetween([lon1, lat1]: [number, number], [lon2, lat2]: [number, number]): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
}

type Cleaned = RegistryAddress & { cleaned: string };
export type AddressMatch = { itemIds: number[]; centre: [number, number]; spreadM: number; streetCode: string };

// Registry addresses are filed under their first characters (as many as the shortest address that counts), so
// a complaint address is compared only with the items whose start appears somewhere in it, not with the whole
// registry: 100,000 items cost no more per row than 10,000 (bench/complaints.ts).
const KEY_CHARS = MIN_ADDRESS_CHARS;

/**
 * A matcher over the registry's cleaned addresses: the items whose address appears inside the complaint's
 * cleaned address; only the longest such addresses count ("兰溪路88弄5号" beats "兰溪路88弄"). Their
 * centre, and how far the farthest lies from it.
 */
export function addressMatcher(items: Cleaned[]): (cleaned: string) => AddressMatch | undefined {
  const byKey = new Map<string, Cleaned[]>();
  for (const i of items) {
    if (i.cleaned.length < MIN_ADDRESS_CHARS) continue;
    const key = i.cleaned.slice(0, KEY_CHARS);
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  }
  return (cleaned) => {
    const hits = new Set<Cleaned>();
    for (let at = 0; at + KEY_CHARS <= cleaned.length; at++) {
      for (const i of byKey.get(cleaned.slice(at, at + KEY_CHARS)) ?? []) if (cleaned.startsWith(i.cleaned, at)) hits.add(i);
    }
    if (hits.size === 0) return undefined;
    const longest = Math.max(...[...hits].map((i) => i.cleaned.length));
    const best = [...hits].filter((i) => i.cleaned.length === longest).sort((a, b) => a.id - b.id);
    const centre: [number, number] = [best.reduce((a, i) => a + i.lon, 0) / best.length, best.reduce((a, i) => a + i.lat, 0) / best.length];
    return {
      itemIds: best.map((i) => i.id),
      centre,
      spreadM: Math.max(...best.map((i) => metresBetween(centre, [i.lon, i.lat]))),
      streetCode: best[0]!.streetCode,
    };
  };
}

/** A placer for one import: street names and the registry's cleaned addresses are read once. */
export async function createPlacer(db: Queryable): Promise<Placer> {
  const streets = await streetNames(db);
  const noise = addressNoise(streets);
  const match = addressMatcher((await registryAddresses(db)).map((i) => ({ ...i, cleaned: cleanAddress(i.address, noise) })));
  return {
    async place({ point, address }) {
      if (point) return { kind: 'coordinates', lon: point[0], lat: point[1], streetCode: await streetAt(db, point[0], point[1]) };
      const found = match(cleanAddress(address, noise));
      if (found && found.spreadM <= MAX_MATCH_SPREAD_M) {
        const [lon, lat] = found.centre;
        return { kind: 'registry_address', lon, lat, streetCode: (await streetAt(db, lon, lat)) ?? found.streetCode, itemIds: found.itemIds };
      }
      return { kind: 'unplaced', streetCode: streetNamed(address, streets), ambiguous: found !== undefined };
    },
  };
}
