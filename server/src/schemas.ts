import Type from 'typebox';
import { ROLES } from '@tuban/core/domain';

export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { $id: 'ErrorResponse', description: 'Every error answer has this shape' },
);

export const UserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.Enum(ROLES),
  streetCode: Type.Union([Type.String(), Type.Null()]),
});

/** A GeoJSON FeatureCollection; features are passed through as PostGIS built them. */
export const FeatureCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Unknown()),
  },
  { additionalProperties: true },
);

export const errorRef = Type.Ref('ErrorResponse');

