// Which properties a popup lists for each dataset, and how each is put into words. Pure for testing.
import type { Dataset, EnumGroup } from '../domain';
import type { MessageKey } from '../i18n/zh-CN';

export type FieldFormat = { kind: 'text' } | { kind: 'enum'; group: EnumGroup } | { kind: 'area' } | { kind: 'date' } | { kind: 'bool' } | { kind: 'score' } | { kind: 'count' };

export interface FieldSpec {
  property: string;
  label: MessageKey;
  format: FieldFormat;
}

const text: FieldFormat = { kind: 'text' };
const area: FieldFormat = { kind: 'area' };
const date: FieldFormat = { kind: 'date' };
const enumOf = (group: EnumGroup): FieldFormat => ({ kind: 'enum', group });

function field(property: string, format: FieldFormat): FieldSpec {
  return { property, label: `field.${property}` as MessageKey, format };
}

export const FEATURE_FIELDS: Record<Dataset, FieldSpec[]> = {
  registry: [
    field('caseNo', text),
    field('status', enumOf('registryStatus')),
    field('buildingType', enumOf('buildingType')),
    field('origin', enumOf('origin')),
    field('source', enumOf('source')),
    field('streetName', text),
    field('floorAreaM2', area),
    field('footprintM2', area),
    field('foundOn', date),
    field('deadline', date),
    field('closedOn', date),
    field('villaCategory', enumOf('villaCategory')),
  ],
  candidates: [
    field('id', text),
    field('status', enumOf('candidateStatus')),
    field('scoreMean', { kind: 'score' }),
    field('scoreMax', { kind: 'score' }),
    field('areaM2', area),
    field('rebuilt', { kind: 'bool' }),
    field('streetName', text),
  ],
  hotspots: [field('name', text), field('streetName', text), field('areaM2', area), field('villaItems', { kind: 'count' })],
  streets: [field('name', text), field('code', text), field('kind', enumOf('streetKind')), field('boundarySource', text)],
};

export interface FieldFormatters {
  tEnum: (group: EnumGroup, value: unknown) => string;
  formatDate: (value: string) => string;
  formatNumber: (value: number, maxFractionDigits?: number) => string;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

/** Label/value rows for the fields a feature has; absent and empty properties are left out. */
export function featureRows(
  dataset: Dataset,
  properties: Record<string, unknown>,
  f: FieldFormatters,
): { label: string; value: string }[] {
  const rows: { label: string; value: string }[] = [];
  for (const spec of FEATURE_FIELDS[dataset]) {
    const raw = properties[spec.property];
    if (raw === undefined || raw === null || raw === '') continue;
    rows.push({ label: f.t(spec.label), value: formatValue(spec.format, raw, f) });
  }
  return rows;
}

function asNumber(raw: unknown): number | null {
  const n = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(n) ? n : null;
}

function formatValue(format: FieldFormat, raw: unknown, f: FieldFormatters): string {
  switch (format.kind) {
    case 'enum':
      return f.tEnum(format.group, raw);
    case 'date':
      return f.formatDate(String(raw));
    case 'bool':
      // MVT keeps booleans, but a GeoJSON or stringly source might send 'true'.
      return raw === true || raw === 'true' ? f.t('value.yes') : f.t('value.no');
    case 'area': {
      const n = asNumber(raw);
      return n === null ? String(raw) : f.t('value.area', { value: f.formatNumber(n, 1) });
    }
    case 'score': {
      const n = asNumber(raw);
      // always two decimals: a saturated model gives 1.00, not a bare "1"
      return n === null ? String(raw) : n.toFixed(2);
    }
    case 'count': {
      const n = asNumber(raw);
      return n === null ? String(raw) : f.formatNumber(n, 0);
    }
    case 'text':
      return String(raw);
  }
}
