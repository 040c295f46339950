// OGC API – Features (Part 1: Core, GeoJSON) at /ogc, so QGIS, ArcGIS and GDAL can read the data directly.
// Clients authenticate with a personal API token: `Authorization: Bearer …`.
import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { OGC_COLLECTIONS, ogcExtent, ogcFeatures, type OgcCollection } from '@tuban/core/db/ogc-features';
import { Invalid, NotFound } from '@tuban/core/errors';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { errorRef } from '../schemas.js';
import { parseBbox } from './geodata.js';

const MAX_LIMIT = 10_000;
const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
];
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const Loose = Type.Object({}, { additionalProperties: true });
const F = Type.Optional(Type.String({ description: 'output format; only json' }));

function base(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/ogc`;
}

function collectionOf(id: string): OgcCollection {
  if (!Object.hasOwn(OGC_COLLECTIONS, id)) throw new NotFound(`no collection ${id}; there are ${Object.keys(OGC_COLLECTIONS).join(', ')}`);
  return id as OgcCollection;
}

/** RFC 3339 instant or interval (`a/b`, either end `..` or empty); a date alone means that whole day in Shanghai. */
export function parseDatetime(text: string): { from?: Date; to?: Date } {
  const one = (s: string, end: boolean): Date | undefined => {
    if (s === '..' || s === '') return undefined;
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T${end ? '23:59:59.999' : '00:00:00'}+08:00` : s;
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) throw new Invalid(`datetime "${text}" is not an RFC 3339 instant or interval`);
    return d;
  };
  const parts = text.split('/');
  if (parts.length === 1) return { from: one(parts[0]!, false), to: one(parts[0]!, true) };
  if (parts.length !== 2) throw new Invalid(`datetime "${text}" has more than one "/"`);
  return { from: one(parts[0]!, false), to: one(parts[1]!, true) };
}

export const ogcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const collectionDoc = async (request: FastifyRequest, id: OgcCollection) => {
    const extent = await ogcExtent(app.db, id);
    return {
      id,
      title: OGC_COLLECTIONS[id].title,
      itemType: 'feature',
      crs: [CRS84],
      extent: { spatial: { bbox: extent ? [extent] : [], crs: CRS84 } },
      links: [
        { href: `${base(request)}/collections/${id}`, rel: 'self', type: 'application/json', title: id },
        { href: `${base(request)}/collections/${id}/items`, rel: 'items', type: 'application/geo+json', title: id },
      ],
    };
  };

  const opts = (summary: string, extra: Record<string, unknown> = {}) => ({
    preValidation: requireUser(),
    schema: { tags: ['ogc'], summary, querystring: Type.Object({ f: F }), response: { 200: Loose, 401: errorRef, 404: errorRef }, ...extra },
  });

  app.get('/ogc', opts('OGC API – Features landing page'), async (request) => ({
    title: 'Tuban 图斑',
    description: 'Registry, candidates, villa hotspots and streets as OGC API – Features',
    links: [
      { href: base(request), rel: 'self', type: 'application/json', title: 'this document' },
      { href: `${base(request)}/conformance`, rel: 'conformance', type: 'application/json', title: 'conformance' },
      { href: `${base(request)}/collections`, rel: 'data', type: 'application/json', title: 'collections' },
      { href: `${request.protocol}://${request.host}/docs/json`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'API definition' },
    ],
  }));

  app.get('/ogc/conformance', opts('Conformance classes'), async () => ({ conformsTo: CONFORMANCE }));

  app.get('/ogc/collections', opts('The collections'), async (request) => ({
    links: [{ href: `${base(request)}/collections`, rel: 'self', type: 'application/json', title: 'collections' }],
    collections: await Promise.all((Object.keys(OGC_COLLECTIONS) as OgcCollection[]).map((id) => collectionDoc(request, id))),
  }));

  app.get(
    '/ogc/collections/:id',
    opts('One collection', { params: Type.Object({ id: Type.String() }) }),
    async (request) => collectionDoc(request, collectionOf((request.params as { id: string }).id)),
  );

  app.get(
    '/ogc/collections/:id/items',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['ogc'],
        summary: 'Features of a collection (GeoJSON), filtered by bbox and datetime, paged by limit/offset',
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          bbox: Type.Optional(Type.String({ description: 'west,south,east,north (CRS84)' })),
          datetime: Type.Optional(Type.String({ description: 'RFC 3339 instant or interval, e.g. 2026-03-01/2026-03-31 or 2026-01-01/..' })),
          limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 100 }),
          offset: Type.Integer({ minimum: 0, default: 0 }),
          f: F,
        }),
        response: { 200: Loose, 400: errorRef, 401: errorRef, 403: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const id = collectionOf(request.params.id);
      const q = request.query;
      const street = id === 'streets' ? undefined : streetScope(currentUser(request), undefined);
      const time = q.datetime ? parseDatetime(q.datetime) : {};
      const page = await ogcFeatures(app.db, id, { bbox: q.bbox ? parseBbox(q.bbox) : undefined, ...time, street, limit: q.limit, offset: q.offset });
      const url = (offset: number) => {
        const p = new URLSearchParams({ limit: String(q.limit), offset: String(offset) });
        if (q.bbox) p.set('bbox', q.bbox);
        if (q.datetime) p.set('datetime', q.datetime);
        return `${base(request)}/collections/${id}/items?${p}`;
      };
      const links = [{ href: url(q.offset), rel: 'self', type: 'application/geo+json' }];
      if (q.offset + page.features.length < page.matched) links.push({ href: url(q.offset + q.limit), rel: 'next', type: 'application/geo+json' });
      if (q.offset > 0) links.push({ href: url(Math.max(0, q.offset - q.limit)), rel: 'prev', type: 'application/geo+json' });
      return reply.type('application/geo+json').send({
        type: 'FeatureCollection',
        features: page.features,
        numberMatched: page.matched,
        numberReturned: page.features.length,
        timeStamp: new Date().toISOString(),
        links,
      });
    },
  );

  app.get(
    '/ogc/collections/:id/items/:fid',
    opts('One feature', { params: Type.Object({ id: Type.String(), fid: Type.String() }) }),
    async (request, reply) => {
      const { id: name, fid } = request.params as { id: string; fid: string };
      const id = collectionOf(name);
      const street = id === 'streets' ? undefined : streetScope(currentUser(request), undefined);
      const { features } = await ogcFeatures(app.db, id, { id: fid, street, limit: 1, offset: 0 });
      if (!features[0]) throw new NotFound(`no feature ${fid} in ${id}`);
      return reply.type('application/geo+json').send({
        ...features[0],
        links: [{ href: `${base(request)}/collections/${id}/items/${fid}`, rel: 'self', type: 'application/geo+json' }],
      });
    },
  );
};
