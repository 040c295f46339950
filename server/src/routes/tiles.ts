import Type from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { VECTOR_LAYERS, vectorTile } from '@tuban/core/db/vector-tiles';
import { Invalid } from '@tuban/core/errors';
import { isValidTile } from '@tuban/core/geo/tiles';
import { currentUser, requireUser, streetScope } from '../auth.js';
import { errorRef } from '../schemas.js';

const MAX_VECTOR_ZOOM = 22;

export const tileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/tiles/:layer/:z/:x/:y.mvt',
    {
      preValidation: requireUser(),
      schema: {
        tags: ['tiles'],
        summary: 'A Mapbox Vector Tile of one layer, made by PostGIS ST_AsMVT; 204 when the tile is empty',
        params: Type.Object({
          layer: Type.Enum(VECTOR_LAYERS),
          z: Type.Integer({ minimum: 0, maximum: MAX_VECTOR_ZOOM, description: 'zoom' }),
          x: Type.Integer({ minimum: 0, description: 'column, west to east' }),
          y: Type.Integer({ minimum: 0, description: 'row, north to south (XYZ)' }),
        }),
        response: { 204: Type.Null({ description: 'no features in this tile' }), 400: errorRef, 401: errorRef },
      },
    },
    async (request, reply) => {
      const { layer, z, x, y } = request.params;
      if (!isValidTile({ z, x, y })) throw new Invalid(`tile ${z}/${x}/${y} is outside the grid`);
      const street = layer === 'streets' ? undefined : streetScope(currentUser(request), undefined);
      const tile = await vectorTile(app.db, layer, z, x, y, street);
      // Private: what a tile holds depends on who asks (a squad sees only its street).
      reply.header('Cache-Control', 'private, max-age=60');
      reply.header('Vary', 'Cookie, Authorization');
      if (tile.length === 0) return reply.status(204).send(null);
      return reply.type('application/vnd.mapbox-vector-tile').send(tile);
    },
  );
};
