import Type from 'typebox';
import { IMAGERY_STATUSES } from '@tuban/core/db/imagery';
import { UPLOAD_KINDS } from '@tuban/core/db/uploads';
import {
  BUILDING_TYPES,
  CANDIDATE_STATUSES,
  COMPLAINT_STATUSES,
  COMPLAINT_UNTRUE_REASONS,
  DISMISS_REASONS,
  FINDING_SOURCES,
  FLIGHT_PURPOSES,
  REGISTRY_ORIGINS,
  REGISTRY_STATUSES,
  ROLES,
  STREET_KINDS,
  VILLA_CATEGORIES,
} from '@tuban/core/domain';
import { CANDIDATE_TRANSITIONS, DISPOSITION_STATUSES, REGISTRY_TRANSITIONS } from '@tuban/core/triage/rules';

/**
 * The contract's value lists, published as named schemas of the OpenAPI document, from which the web app's
 * types and lists are generated (web/src/api-types.gen.ts).
 */
export const CONTRACT_ENUMS = {
  Role: ROLES,
  RegistryStatus: REGISTRY_STATUSES,
  CandidateStatus: CANDIDATE_STATUSES,
  BuildingType: BUILDING_TYPES,
  RegistryOrigin: REGISTRY_ORIGINS,
  FindingSource: FINDING_SOURCES,
  VillaCategory: VILLA_CATEGORIES,
  StreetKind: STREET_KINDS,
  FlightPurpose: FLIGHT_PURPOSES,
  ImageryStatus: IMAGERY_STATUSES,
  UploadKind: UPLOAD_KINDS,
  DismissReason: DISMISS_REASONS,
  Disposition: DISPOSITION_STATUSES,
  ComplaintStatus: COMPLAINT_STATUSES,
  ComplaintUntrueReason: COMPLAINT_UNTRUE_REASONS,
} as const;

/** For a status enum, the statuses each status may move to; published with it as `x-transitions`. */
const CONTRACT_TRANSITIONS: Partial<Record<keyof typeof CONTRACT_ENUMS, Readonly<Record<string, readonly string[]>>>> = {
  CandidateStatus: CANDIDATE_TRANSITIONS,
  RegistryStatus: REGISTRY_TRANSITIONS,
};

export const contractEnumSchemas = Object.entries(CONTRACT_ENUMS).map(([name, values]) => {
  const transitions = CONTRACT_TRANSITIONS[name as keyof typeof CONTRACT_ENUMS];
  return { $id: name, type: 'string', enum: [...values], ...(transitions ? { 'x-transitions': transitions } : {}) };
});

/** The values a coded message needs (error answers, import notes, imagery problems). */
export const ErrorParamsSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
  description: 'the values the message of `code` needs',
});

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'stable: the kind (invalid, not_found, conflict, …) or a precise code such as detection_run_too_large' }),
      message: Type.String({ description: 'in English, for logs and scripts' }),
      params: Type.Optional(ErrorParamsSchema),
    }),
  },
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

/** A value or null. */
export const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** The `:id` of a route that names one row. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** A calendar month cut in Asia/Shanghai, 2000-01 to 2099-12. */
export const MonthSchema = Type.String({ pattern: '^20[0-9]{2}-(0[1-9]|1[0-2])$', description: 'YYYY-MM (2000–2099), cut in Asia/Shanghai' });

