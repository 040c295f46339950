import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiTypesSource } from '../src/api-types.js';
import { useHarness } from './harness.js';

const h = useHarness('api_types');

describe("the web's generated API types", () => {
  it('are current with the OpenAPI document (npm run gen:api rewrites them)', async () => {
    const committed = await readFile(API_TYPES_FILE, 'utf8');
    const current = await apiTypesSource(h.app);
    expect(committed === current, 'web/src/api-types.gen.ts is out of date: run npm run gen:api').toBe(true);
    expect(current).toContain('export const CONTRACT_ENUMS');
  });
});
