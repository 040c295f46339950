import type { MultiPolygon } from 'geojson';
import type {
  BuildingType,
  FindingSource,
  RegistryOrigin,
  RegistryStatus,
  VillaCategory,
} from '@tuban/core/domain';

/**
 * The demo data are dated against a fixed day, not "today": case numbers carry the year found, so a
 * moving reference would give different case numbers on a later run and break idempotent seeding.
 */
export const DEMO_AS_OF = '2026-10-31';

export interface SeedItem {
  caseNo: string;
  streetCode: string;
  geometry: MultiPolygon;
  floorAreaM2: number;
  buildingType: BuildingType;
  origin: RegistryOrigin;
  source: FindingSource;
  status: RegistryStatus;
  /** name of the villa compound; the database id is looked up by name when seeding */
  villaCompound: string | null;
  villaCategory: VillaCategory | null;
  address: string;
  foundOn: string;
  deadline: string | null;
  closedOn: string | null;
  areaRemovedM2: number | null;
  notes: string;
}

export type UnnumberedItem = Omit<SeedItem, 'caseNo'>;

const DAY_MS = 86_400_000;

export const addDays = (iso: string, days: number): string =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/**
 * Recorded floor area: footprint times storeys, rounded up with 1% to spare, because the database
 * measures the footprint on the ellipsoid and must never find it larger than the recorded floor area.
 */
export const floorArea = (footprintM2: number, storeys: number): number =>
  Math.ceil(footprintM2 * storeys * 1.01 * 10) / 10;

/** Numbers cases per year in order found: PT-<year>-<6-digit sequence>. */
export function assignCaseNumbers(items: UnnumberedItem[]): SeedItem[] {
  const order = items.map((item, i) => ({ item, i })).sort((a, b) => a.item.foundOn.localeCompare(b.item.foundOn) || a.i - b.i);
  const perYear = new Map<string, number>();
  const numbered = new Array<SeedItem>(items.length);
  for (const { item, i } of order) {
    const year = item.foundOn.slice(0, 4);
    const seq = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, seq);
    numbered[i] = { caseNo: `PT-${year}-${String(seq).padStart(6, '0')}`, ...item };
  }
  return numbered;
}
