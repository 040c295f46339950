// Integers in requests are bounded at the schema, so that no value reaches PostgreSQL that its column types
// cannot hold ("bigint out of range" as a 500). Ids are bigint; 2^53 - 1 also keeps them exact in JSON.
import type { FastifyInstance } from 'fastify';

const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

type JsonSchema = Record<string, unknown>;

/** Gives every integer without a maximum (or minimum) in a schema one, in place; walks nested schemas. */
export function boundIntegers(schema: unknown): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as JsonSchema;
  if (s.type === 'integer') {
    s.maximum ??= MAX_INTEGER;
    s.minimum ??= -MAX_INTEGER;
  }
  for (const key of ['properties', 'patternProperties', '$defs']) {
    const children = s[key];
    if (children && typeof children === 'object') for (const child of Object.values(children)) boundIntegers(child);
  }
  for (const key of ['items', 'additionalProperties', 'not']) boundIntegers(s[key]);
  for (const key of ['anyOf', 'allOf', 'oneOf']) if (Array.isArray(s[key])) for (const child of s[key] as unknown[]) boundIntegers(child);
}

/** Bounds the integers of every route's params, query and body as the route is added. */
export function registerSchemaLimits(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { params?: unknown; querystring?: unknown; body?: unknown } | undefined;
    if (!schema) return;
    boundIntegers(schema.params);
    boundIntegers(schema.querystring);
    boundIntegers(schema.body);
  });
}
