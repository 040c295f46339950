// A request that fails its route's JSON schema, as a coded error naming the field, so the web app can say in
// the user's language which field is wrong and how (Fastify's own message is English).
import type { ErrorRef } from '@tuban/core/errors';

/** The part of an Ajv error this needs. */
export interface SchemaViolation {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

const CODE_BY_KEYWORD: Record<string, string> = {
  required: 'validation_required',
  type: 'validation_type',
  enum: 'validation_enum',
  const: 'validation_enum',
  anyOf: 'validation_invalid',
  minimum: 'validation_minimum',
  exclusiveMinimum: 'validation_minimum',
  maximum: 'validation_maximum',
  exclusiveMaximum: 'validation_maximum',
  minLength: 'validation_min_length',
  maxLength: 'validation_max_length',
  minItems: 'validation_min_items',
  maxItems: 'validation_max_items',
  pattern: 'validation_pattern',
  format: 'validation_format',
  additionalProperties: 'validation_unknown_field',
};

/** `body`, `querystring`, … as a person would call them: the field's path, or the part when the whole is wrong. */
function fieldName(v: SchemaViolation, part: string): string {
  const path = v.instancePath.split('/').filter(Boolean).join('.');
  const child = v.params.missingProperty ?? v.params.additionalProperty;
  if (typeof child === 'string') return path ? `${path}.${child}` : child;
  return path || part;
}

export function validationErrorRef(violations: readonly SchemaViolation[], part: string | undefined): ErrorRef {
  const v = violations[0];
  if (!v) return { code: 'validation_invalid', params: { field: part ?? 'body' } };
  const field = fieldName(v, part ?? 'body');
  const code = CODE_BY_KEYWORD[v.keyword] ?? 'validation_invalid';
  const params: Record<string, string | number> = { field };
  const { limit, type, allowedValues, allowedValue, format } = v.params as Record<string, unknown>;
  if (typeof limit === 'number') params.limit = limit;
  if (typeof type === 'string') params.type = type;
  if (typeof format === 'string') params.format = format;
  const values = Array.isArray(allowedValues) ? allowedValues : allowedValue !== undefined ? [allowedValue] : null;
  if (values) params.values = values.join(', ');
  return { code, params };
}
