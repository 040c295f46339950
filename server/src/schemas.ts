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

/** A calendar month cut in Asia/Shanghai, 2000-01 to 2099-12. */
export const MonthSchema = Type.String({ pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$', description: 'YYYY-MM (2000–2099), cut in Asia/Shanghai' });

