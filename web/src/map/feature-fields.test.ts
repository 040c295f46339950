import { describe, expect, it } from 'vitest';
import { DATASETS } from '../domain';
import { en } from '../i18n/en';
import { formatDate, formatNumber, translate, translateEnum } from '../i18n/translate';
import { zhCN } from '../i18n/zh-CN';
import { FEATURE_FIELDS, featureRows, type FieldFormatters } from './feature-fields';

const english: FieldFormatters = {
  t: (key, params) => translate(en, key, params),
  tEnum: (group, value) => translateEnum(en, group, value),
  formatDate: (value) => formatDate('en', value),
  formatNumber: (value, digits) => formatNumber('en', value, digits),
};

describe('FEATURE_FIELDS', () => {
  it('labels every field with an existing translation', () => {
    for (const dataset of DATASETS) {
      for (const spec of FEATURE_FIELDS[dataset]) expect(zhCN[spec.label], spec.label).toBeTruthy();
    }
  });
});

describe('featureRows', () => {
  it('translates labels and enum values and formats areas', () => {
    const rows = featureRows(
      'registry',
      { id: 7, caseNo: 'PT-2024-001', status: 'demolished', buildingType: 'steel_shed', floorAreaM2: 1234.56, foundOn: '2024-05-01' },
      english,
    );
    expect(rows).toEqual([
      { label: 'Case no.', value: 'PT-2024-001' },
      { label: 'Status', value: 'Demolished' },
      { label: 'Building type', value: 'Steel shed' },
      { label: 'Floor area', value: '1,234.6 m²' },
      { label: 'Found on', value: '2024-05-01' },
    ]);
  });

  it('leaves out absent fields and words booleans', () => {
    const rows = featureRows('candidates', { id: 'c1', status: 'field_check', rebuilt: false, streetCode: '' }, english);
    expect(rows).toEqual([
      { label: 'ID', value: 'c1' },
      { label: 'Status', value: 'Field check' },
      { label: 'Rebuilt after demolition', value: 'No' },
    ]);
  });
});
