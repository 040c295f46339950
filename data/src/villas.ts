import type { MultiPolygon } from 'geojson';
import type { RegistryStatus, VillaCategory } from '@tuban/core/domain';
import { addDays, DEMO_AS_OF, floorArea, type UnnumberedItem } from './items.js';
import { asMulti, DiscIndex, footprintShape, placeShape, Region, ringArea, type Xy } from './placement.js';
import type { Rng } from './prng.js';
import type { DemoStreet } from './streets.js';

export interface SeedVillaCompound {
  name: string;
  streetCode: string;
  geometry: MultiPolygon;
}

/** Made-up compounds in the streets where detached villas plausibly stand; 79 villas in all. */
const COMPOUND_PLAN: readonly { name: string; streetCode: string; villas: number }[] = [
  { name: '云栖别墅区', streetCode: '310107102', villas: 16 },
  { name: '绿溪别墅区', streetCode: '310107102', villas: 12 },
  { name: '桃溪别墅区', streetCode: '310107103', villas: 14 },
  { name: '锦桃别墅区', streetCode: '310107103', villas: 9 },
  { name: '如意别墅区', streetCode: '310107022', villas: 11 },
  { name: '风荷别墅区', streetCode: '310107014', villas: 10 },
  { name: '万和别墅区', streetCode: '310107021', villas: 7 },
];

export const VILLA_TOTAL = 79;
/** The three batches (三个一批) mid-campaign: how many villas fall in each. */
export const VILLA_SPLIT: Readonly<Record<VillaCategory, number>> = {
  demolish_confiscate: 50,
  restrict_freeze: 20,
  policy_guidance: 9,
};

const LOT_M = 30;
const EDGE_M = 15;

function categoryStatuses(): { category: VillaCategory; status: RegistryStatus }[] {
  const repeat = (category: VillaCategory, status: RegistryStatus, n: number) =>
    Array.from({ length: n }, () => ({ category, status }));
  return [
    ...repeat('demolish_confiscate', 'demolished', 40),
    ...repeat('demolish_confiscate', 'confiscated', 6),
    ...repeat('demolish_confiscate', 'open', VILLA_SPLIT.demolish_confiscate - 46),
    ...repeat('restrict_freeze', 'annotated', VILLA_SPLIT.restrict_freeze),
    ...repeat('policy_guidance', 'legalized', 4),
    ...repeat('policy_guidance', 'open', VILLA_SPLIT.policy_guidance - 4),
  ];
}

/**
 * Places the compounds (as rectangles of villa lots) and one villa extension per used lot.
 * Everything placed is added to `taken`, so ordinary registry items keep clear of the compounds.
 */
export function generateVillas(
  rng: Rng,
  streets: readonly DemoStreet[],
  taken: DiscIndex,
): { compounds: SeedVillaCompound[]; items: UnnumberedItem[] } {
  const fates = rng.shuffle(categoryStatuses());
  const compounds: SeedVillaCompound[] = [];
  const items: UnnumberedItem[] = [];
  for (const plan of COMPOUND_PLAN) {
    const street = streets.find((s) => s.code === plan.streetCode);
    if (!street) throw new Error(`villa compound ${plan.name}: no street ${plan.streetCode}`);
    const region = new Region(street.geometry);
    const cols = Math.ceil(Math.sqrt(plan.villas * 1.3));
    const rows = Math.ceil((plan.villas * 1.15) / cols);
    const w = cols * LOT_M + 2 * EDGE_M;
    const d = rows * LOT_M + 2 * EDGE_M;
    const shape = footprintShape(w, d);
    let centre: Xy | undefined;
    for (let tries = 0; tries < 5000 && !centre; tries++) {
      const c = region.randomPoint(rng);
      if (region.holdsDisc(c, shape.radius + 20) && taken.isFree(c, shape.radius, 40)) centre = c;
    }
    if (!centre) throw new Error(`no room for villa compound ${plan.name}`);
    taken.add(centre, shape.radius);
    const angle = rng.float(-0.5, 0.5);
    compounds.push({ name: plan.name, streetCode: plan.streetCode, geometry: asMulti(placeShape(shape, centre, angle)) });

    const lots = rng.shuffle(
      Array.from({ length: cols * rows }, (_, k) => [k % cols, Math.floor(k / cols)] as const),
    ).slice(0, plan.villas);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    lots.forEach(([col, row], n) => {
      const lx = -w / 2 + EDGE_M + (col + 0.5) * LOT_M + rng.float(-3, 3);
      const ly = -d / 2 + EDGE_M + (row + 0.5) * LOT_M + rng.float(-3, 3);
      const at: Xy = [centre![0] + lx * cos - ly * sin, centre![1] + lx * sin + ly * cos];
      const fw = rng.float(4, 10);
      const fd = rng.float(3.5, 8);
      const ext = footprintShape(fw, fd, rng.chance(0.25) ? { fw: fw * 0.4, fd: fd * 0.4 } : undefined);
      taken.add(at, ext.radius);
      const footprint = ringArea(ext.ring);
      const { category, status } = fates[items.length]!;
      const foundOn = addDays(DEMO_AS_OF, -rng.int(500, 1090));
      const closed = status === 'demolished' || status === 'confiscated' || status === 'legalized';
      const closedOn = closed ? addDays(DEMO_AS_OF, -rng.int(20, 330)) : null;
      const fa = floorArea(footprint, rng.chance(0.3) ? 2 : 1);
      items.push({
        streetCode: plan.streetCode,
        geometry: asMulti(placeShape(ext, at, angle + rng.float(-0.05, 0.05))),
        floorAreaM2: fa,
        buildingType: 'villa_extension',
        origin: 'stock',
        source: 'survey',
        status,
        villaCompound: plan.name,
        villaCategory: category,
        address: `${street.name}${plan.name}${n + 1}号`,
        foundOn,
        deadline: status === 'open' ? addDays(DEMO_AS_OF, rng.int(15, 120)) : null,
        closedOn,
        areaRemovedM2: status === 'demolished' ? fa : null,
        notes: '',
      });
    });
  }
  return { compounds, items };
}
