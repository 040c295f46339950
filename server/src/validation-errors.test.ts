import { describe, expect, it } from 'vitest';
import { validationErrorRef } from './validation-errors.js';

describe('validationErrorRef', () => {
  it('names the missing or unknown field inside the part that was sent', () => {
    expect(validationErrorRef([{ keyword: 'required', instancePath: '', params: { missingProperty: 'status' } }], 'body'))
      .toEqual({ code: 'validation_required', params: { field: 'status' } });
    expect(validationErrorRef([{ keyword: 'additionalProperties', instancePath: '/filter', params: { additionalProperty: 'colour' } }], 'body'))
      .toEqual({ code: 'validation_unknown_field', params: { field: 'filter.colour' } });
  });

  it('passes on the limit, type, format or allowed values the message needs', () => {
    expect(validationErrorRef([{ keyword: 'maximum', instancePath: '/limit', params: { comparison: '<=', limit: 1000 } }], 'querystring'))
      .toEqual({ code: 'validation_maximum', params: { field: 'limit', limit: 1000 } });
    expect(validationErrorRef([{ keyword: 'type', instancePath: '/id', params: { type: 'integer' } }], 'params'))
      .toEqual({ code: 'validation_type', params: { field: 'id', type: 'integer' } });
    expect(validationErrorRef([{ keyword: 'enum', instancePath: '/status', params: { allowedValues: ['new', 'confirmed'] } }], 'body'))
      .toEqual({ code: 'validation_enum', params: { field: 'status', values: 'new, confirmed' } });
    expect(validationErrorRef([{ keyword: 'format', instancePath: '/takenAt', params: { format: 'date-time' } }], 'body'))
      .toEqual({ code: 'validation_format', params: { field: 'takenAt', format: 'date-time' } });
  });

  it('falls back to the part itself and a general code', () => {
    expect(validationErrorRef([{ keyword: 'type', instancePath: '', params: { type: 'object' } }], 'body'))
      .toEqual({ code: 'validation_type', params: { field: 'body', type: 'object' } });
    expect(validationErrorRef([{ keyword: 'uniqueItems', instancePath: '/ids', params: {} }], 'body'))
      .toEqual({ code: 'validation_invalid', params: { field: 'ids' } });
    expect(validationErrorRef([], undefined)).toEqual({ code: 'validation_invalid', params: { field: 'body' } });
  });
});
