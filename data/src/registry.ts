import type { BuildingType, FindingSource, RegistryOrigin, RegistryStatus } from '@tuban/core/domain';
import { addDays, assignCaseNumbers, daysBetween, DEMO_AS_OF, floorArea, type SeedItem, type UnnumberedItem } from './items.js';
import { asMulti, DiscIndex, footprintShape, placeShape, Region, ringArea, type Xy } from './placement.js';
import { apportion, createRng, type Rng } from './prng.js';
import { buildDemoStreets, type DemoStreet } from './streets.js';
import { generateVillas, type SeedVillaCompound } from './villas.js';

export const DEFAULT_SEED = 20_240_107;
export const DEFAULT_ITEM_COUNT = 1000;

type OrdinaryType = Exclude<BuildingType, 'villa_extension'>;

/** Plausible footprint (m²), storeys and length/width ratio per building type. */
const TYPE_SPECS: Readonly<Record<OrdinaryType, { min: number; max: number; storeys: [number, number]; ratio: number }>> = {
  steel_shed: { min: 20, max: 300, storeys: [1, 1], ratio: 3 },
  rooftop_addition: { min: 30, max: 400, storeys: [1, 2], ratio: 2.2 },
  extension: { min: 10, max: 120, storeys: [1, 2], ratio: 2.5 },
  courtyard_enclosure: { min: 8, max: 60, storeys: [1, 1], ratio: 1.8 },
  standalone: { min: 50, max: 1500, storeys: [1, 3], ratio: 2 },
};

// Towns keep more old village stock (sheds, self-built houses); the inner streets more rooftop and extensions.
const TYPE_MIX: Readonly<Record<'town' | 'subdistrict', Record<OrdinaryType, number>>> = {
  town: { steel_shed: 35, standalone: 20, extension: 20, courtyard_enclosure: 15, rooftop_addition: 10 },
  subdistrict: { rooftop_addition: 35, extension: 30, courtyard_enclosure: 20, steel_shed: 10, standalone: 5 },
};

const STREET_WEIGHT: Readonly<Record<string, number>> = {
  '310107103': 20, '310107102': 20, '310107022': 10, '310107021': 7, '310107005': 8,
  '310107014': 8, '310107015': 6, '310107020': 7, '310107016': 7, '310107017': 7,
};

const STATUS_SHARE: Readonly<Record<RegistryStatus, number>> = {
  open: 70, demolished: 18, legalized: 5, confiscated: 2, annotated: 5,
};
const NEW_SHARE = 0.05;
const STOCK_SOURCES: Readonly<Partial<Record<FindingSource, number>>> = { survey: 92, patrol: 5, complaint_12345: 3 };
const NEW_SOURCES: Readonly<Partial<Record<FindingSource, number>>> = {
  drone: 35, satellite: 15, complaint_12345: 20, patrol: 15, city_patch: 15,
};

// Made-up demo addresses on roads of the right part of the district; not a survey of who lives where.
const ROADS: Readonly<Record<string, readonly string[]>> = {
  '310107005': ['曹杨路', '兰溪路', '杏山路', '花溪路'],
  '310107014': ['大渡河路', '金沙江路', '云岭东路', '白玉路'],
  '310107015': ['长寿路', '武宁路', '安远路', '昌化路'],
  '310107016': ['甘泉路', '志丹路', '黄陵路', '延长西路'],
  '310107017': ['石泉路', '岚皋路', '洛川东路', '管弄路'],
  '310107020': ['宜川路', '中潭路', '交通路', '光新路'],
  '310107021': ['万镇路', '新村路', '真华路', '富平路'],
  '310107022': ['真北路', '铜川路', '清涧路', '真如路'],
  '310107102': ['梅岭北路', '怒江北路', '同普路', '金沙江西路'],
  '310107103': ['桃浦路', '真南路', '武威路', '祁连山南路'],
};

export interface DemoGeodata {
  streets: ReturnType<typeof buildDemoStreets>;
  compounds: SeedVillaCompound[];
  items: SeedItem[];
}

/** The whole demo data set, identical for the same seed. */
export function generateDemoGeodata(seed = DEFAULT_SEED, itemCount = DEFAULT_ITEM_COUNT): DemoGeodata {
  const rng = createRng(seed);
  const streets = buildDemoStreets();
  const taken = new DiscIndex();
  const villas = generateVillas(rng, streets, taken);
  const ordinary = generateOrdinaryItems(rng, streets, taken, itemCount - villas.items.length);
  return { streets, compounds: villas.compounds, items: assignCaseNumbers([...villas.items, ...ordinary]) };
}

/** Exact shares, shuffled: keeps the mix on target even for small counts. */
function dealt<T extends string>(rng: Rng, total: number, shares: Readonly<Partial<Record<T, number>>>): T[] {
  const keys = Object.keys(shares) as T[];
  const counts = apportion(total, keys.map((k) => shares[k]!));
  return rng.shuffle(keys.flatMap((k, i) => Array.from({ length: counts[i]! }, () => k)));
}

function generateOrdinaryItems(rng: Rng, streets: readonly DemoStreet[], taken: DiscIndex, total: number): UnnumberedItem[] {
  const perStreet = apportion(total, streets.map((s) => STREET_WEIGHT[s.code] ?? 5));
  const statuses = dealt(rng, total, STATUS_SHARE);
  const origins = dealt<RegistryOrigin>(rng, total, { stock: 1 - NEW_SHARE, new: NEW_SHARE });
  const items: UnnumberedItem[] = [];
  streets.forEach((street, si) => {
    const region = new Region(street.geometry);
    for (let n = 0; n < perStreet[si]!; n++) {
      const k = items.length;
      items.push(makeItem(rng, street, region, taken, statuses[k]!, origins[k]!));
    }
  });
  return items;
}

function makeItem(
  rng: Rng,
  street: DemoStreet,
  region: Region,
  taken: DiscIndex,
  status: RegistryStatus,
  origin: RegistryOrigin,
): UnnumberedItem {
  const buildingType = rng.weighted(TYPE_MIX[street.kind]);
  const spec = TYPE_SPECS[buildingType];
  // skewed towards the small end, as real registries are
  const target = spec.min * (spec.max / spec.min) ** (rng.next() ** 1.4);
  const ratio = rng.float(1, spec.ratio);
  const notch = buildingType !== 'steel_shed' && rng.chance(0.25) ? { a: rng.float(0.3, 0.5), b: rng.float(0.3, 0.5) } : null;
  const gross = notch ? target / (1 - notch.a * notch.b) : target;
  const w = Math.sqrt(gross * ratio);
  const d = gross / w;
  const shape = footprintShape(w, d, notch ? { fw: w * notch.a, fd: d * notch.b } : undefined);
  let centre: Xy | undefined;
  for (let tries = 0; tries < 5000 && !centre; tries++) {
    const c = region.randomPoint(rng);
    if (region.holdsDisc(c, shape.radius + 2) && taken.isFree(c, shape.radius, 3)) centre = c;
  }
  if (!centre) throw new Error(`no room left in ${street.name} for a ${buildingType}`);
  taken.add(centre, shape.radius);

  const foundOn =
    origin === 'new' ? addDays(DEMO_AS_OF, -rng.int(0, 720)) : addDays(DEMO_AS_OF, -rng.int(0, 1094));
  const age = daysBetween(foundOn, DEMO_AS_OF);
  const closed = status === 'demolished' || status === 'legalized' || status === 'confiscated';
  const fa = floorArea(ringArea(shape.ring), rng.int(spec.storeys[0], spec.storeys[1]));
  const road = rng.pick(ROADS[street.code] ?? ['中心路']);
  const address = rng.chance(0.6)
    ? `${street.name}${road}${rng.int(1, 2200)}弄${rng.int(1, 120)}号`
    : `${street.name}${road}${rng.int(1, 3000)}号`;
  return {
    streetCode: street.code,
    geometry: asMulti(placeShape(shape, centre, rng.float(0, Math.PI))),
    floorAreaM2: fa,
    buildingType,
    origin,
    source: rng.weighted(origin === 'new' ? NEW_SOURCES : STOCK_SOURCES),
    status,
    villaCompound: null,
    villaCategory: null,
    address,
    foundOn,
    deadline: origin === 'new' && status === 'open' ? addDays(foundOn, 60) : null,
    closedOn: closed ? addDays(foundOn, rng.int(Math.min(age, 7), age)) : null,
    areaRemovedM2: status === 'demolished' ? fa : null,
    notes: '',
  };
}
