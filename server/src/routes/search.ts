import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { searchById, searchRegistryText, searchStreets, streetAt, type SearchHit } from '@tuban/core/db/search';
import type { Queryable } from '@tuban/core/db/pool';
import { DATUMS, parseCoordinate, toWgs84, type Datum } from '@tuban/core/search/coordinates';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { errorRef } from '../schemas.js';

const LIMIT = 8;
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const SearchResultSchema = Type.Object({
  kind: Type.Union([
    Type.Literal('case'), Type.Literal('candidate'), Type.Literal('registry'), Type.Literal('street'), Type.Literal('coordinate'),
  ]),
  id: Type.String({ description: 'the item id, street code, or the coordinate as read' }),
  label: Type.String(),
  streetCode: Nullable(Type.String()),
  streetName: Nullable(Type.String()),
  status: Nullable(Type.String()),
  datum: Type.Union([Type.Enum(DATUMS), Type.Null()], { description: 'for a coordinate: the datum it was read in' }),
  lon: Type.Number({ description: 'WGS84' }),
  lat: Type.Number({ description: 'WGS84' }),
  bbox: Type.Union([Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }), Type.Null()]),
});

type SearchResult = Omit<SearchHit, 'kind' | 'bbox'> & {
  kind: SearchHit['kind'] | 'coordinate';
  bbox: SearchHit['bbox'] | null;
  datum: Datum | null;
};

/** The pasted coordinate read in both datums, the preferred one first, each with the street it lands in. */
async function coordinateResults(db: Queryable, pasted: [number, number], preferred: Datum): Promise<SearchResult[]> {
  const order: Datum[] = preferred === 'gcj02' ? ['gcj02', 'wgs84'] : ['wgs84', 'gcj02'];
  const results: SearchResult[] = [];
  for (const datum of order) {
    const [lon, lat] = toWgs84(pasted, datum);
    // outside China both readings are the same place
    if (results.some((r) => r.lon === lon && r.lat === lat)) continue;
    const street = await streetAt(db, lon, lat);
    results.push({
      kind: 'coordinate', id: `${pasted[1]},${pasted[0]}`, label: `${pasted[1]}, ${pasted[0]}`, datum,
      streetCode: street?.code ?? null, streetName: street?.name ?? null, status: null, lon, lat, bbox: null,
    });
  }
  return results;
}

export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/search',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['search'],
        summary: 'Find a case number, candidate or registry number, street, or a pasted coordinate',
        description:
          'A coordinate pair in either order (decided by range, or by N/S/E/W letters) is read as GCJ-02 (Chinese phone ' +
          'maps) and as WGS84 (GPS), `datum` first, and answered in WGS84. A squad finds only its own street\'s ' +
          'candidates and registry items.',
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 100 }),
          datum: Type.Optional(Type.Enum(DATUMS, { default: 'gcj02', description: 'how to read a pasted coordinate first' })),
        }),
        response: { 200: Type.Object({ results: Type.Array(SearchResultSchema) }), 400: errorRef, 401: errorRef },
      },
    },
    async (request) => {
      const q = request.query.q.trim();
      const scope = { street: streetScope(currentUser(request), undefined) ?? null, limit: LIMIT };
      const coordinate = parseCoordinate(q);
      if (coordinate) return { results: await coordinateResults(app.db, coordinate, request.query.datum ?? 'gcj02') };
      const number = /^#?\s*(\d{1,15})$/.exec(q)?.[1];
      // streets first: a street's name also turns up in many registry addresses
      const hits: SearchHit[] = [
        ...(number ? await searchById(app.db, Number(number), scope) : await searchStreets(app.db, q, LIMIT)),
        ...(await searchRegistryText(app.db, number ?? q, scope)),
      ];
      // a registry item found by its id is not listed again for its case number
      const unique = hits.filter((h, i) => h.kind !== 'case' || !hits.some((x, j) => j < i && x.kind === 'registry' && x.id === h.id));
      return { results: unique.slice(0, LIMIT).map((h): SearchResult => ({ ...h, datum: null })) };
    },
  );
};
