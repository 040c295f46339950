// TypeBox schemas of the triage API (candidates, decisions, field checks, dispositions).
import Type from 'typebox';
import { CANDIDATE_SORTS, CANDIDATE_SOURCES } from '@tuban/core/db/candidates';
import { BUILDING_TYPES, CANDIDATE_STATUSES, DISMISS_REASONS, REGISTRY_STATUSES } from '@tuban/core/domain';
import { DECISION_STATUSES, DISPOSITION_STATUSES } from '@tuban/core/triage/rules';

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const StreetCode = Type.String({ pattern: '^[0-9]{9}$', description: 'statistical code of a sub-district' });
const Bbox = Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[west, south, east, north]' });
const DateOnly = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD (Asia/Shanghai)' });


export const CandidateFilterQuery = {
  run: Type.Optional(Type.Integer({ minimum: 1, description: 'detection run id' })),
  status: Type.Optional(Type.Enum(CANDIDATE_STATUSES)),
  street: Type.Optional(StreetCode),
  bbox: Type.Optional(Type.String({ description: 'west,south,east,north in EPSG:4326' })),
  villa: Type.Optional(Type.Boolean({ description: 'true: only inside villa compounds; false: only outside' })),
  minScore: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'lowest peak change probability' })),
  minArea: Type.Optional(Type.Number({ minimum: 0, description: 'smallest area in m²' })),
  reviewPending: Type.Optional(Type.Boolean({ description: 'true: only dismissals waiting for a second reviewer' })),
  from: Type.Optional(Type.String({ ...DateOnly, description: 'detected on or after this date (Asia/Shanghai)' })),
  to: Type.Optional(Type.String({ ...DateOnly, description: 'detected on or before this date (Asia/Shanghai)' })),
};

export const CandidateListQuery = Type.Object({
  ...CandidateFilterQuery,
  sort: Type.Enum(CANDIDATE_SORTS, {
    default: 'priority',
    description: 'priority: rebuilt spots and villa compounds first, then score × area',
  }),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});

export const CandidateSummarySchema = Type.Object({
  id: Type.Integer(),
  source: Type.Enum(CANDIDATE_SOURCES, { description: 'detection, or manual: a building the office drew because the model missed it' }),
  runId: Nullable(Type.Integer({ description: 'null for a drawn candidate' })),
  status: Type.Enum(CANDIDATE_STATUSES),
  dismissReason: Nullable(Type.Enum(DISMISS_REASONS)),
  scoreMean: Type.Number(),
  scoreMax: Type.Number(),
  areaM2: Type.Number(),
  modelVersion: Nullable(Type.String({ description: 'the change-model version that found it; null for a drawn candidate' })),
  streetCode: Nullable(Type.String()),
  streetName: Nullable(Type.String()),
  villaCompoundId: Nullable(Type.Integer()),
  villaName: Nullable(Type.String()),
  rebuilt: Type.Boolean(),
  registryItemId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  beforeImageryId: Nullable(Type.Integer()),
  afterImageryId: Nullable(Type.Integer()),
  beforeImageryReady: Type.Boolean({ description: 'the before imagery has its tiles (ready)' }),
  afterImageryReady: Type.Boolean({ description: 'the after imagery has its tiles (ready)' }),
  fieldCheckDue: Nullable(Type.String({ description: 'deadline of the field check, YYYY-MM-DD' })),
  overdue: Type.Boolean({ description: 'a field check past its deadline' }),
  reviewPending: Type.Boolean({ description: 'a dismissal waiting for a second reviewer' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  bbox: Bbox,
  centroid: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
});

const ImageryRef = Nullable(
  Type.Object({
    id: Type.Integer(),
    kind: Type.String(),
    status: Type.String(),
    capturedAt: Nullable(Type.String()),
    tileFormat: Nullable(Type.String({ description: "'mixed' (tiles as .jpg, PNG at the edges), 'webp' or 'png'" })),
    maxZoom: Nullable(Type.Integer({ description: 'deepest zoom of the tile pyramid; enlarge its tiles past it' })),
  }),
);

export const HistoryEventSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Integer(),
  actorName: Type.String(),
  actorRole: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Type.String(),
  reason: Nullable(Type.String()),
  note: Type.String(),
  registryItemId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  isUndo: Type.Boolean(),
  undone: Type.Boolean(),
  kind: Type.Enum(['decision', 'outline', 'drawn'], { description: 'a status decision, an outline correction, or a building drawn by hand' }),
  previousGeometry: Nullable(Type.Unknown({ description: 'the outline before an outline correction (GeoJSON MultiPolygon)' })),
});

export const PhotoSchema = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  mimeType: Type.String(),
  sizeBytes: Type.Integer(),
  takenAt: Nullable(Type.String({ format: 'date-time' })),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  uploadedAt: Type.String({ format: 'date-time' }),
  uploadedBy: Type.String(),
  url: Type.String(),
});

export const CandidateDetailSchema = Type.Intersect([
  CandidateSummarySchema,
  Type.Object({
    geometry: Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Unknown() }),
    beforeImagery: ImageryRef,
    afterImagery: ImageryRef,
    history: Type.Array(HistoryEventSchema, { description: 'audit events, oldest first' }),
    photos: Type.Array(PhotoSchema),
  }),
]);

export const DecisionBody = Type.Object({
  status: Type.Enum(DECISION_STATUSES),
  reason: Type.Optional(Type.Enum(DISMISS_REASONS, { description: 'required for dismissed' })),
  registryItemId: Type.Optional(Type.Integer({ minimum: 1, description: 'required for known' })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  buildingType: Type.Optional(Type.Enum(BUILDING_TYPES, { description: 'for confirmed: type of the new registry item' })),
});

/** A GeoJSON polygon in WGS84 lon/lat; PostGIS checks it (valid, 1 m² to 5 ha) and says what is wrong. */
export const OutlineSchema = Type.Object(
  {
    type: Type.Enum(['Polygon', 'MultiPolygon']),
    coordinates: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 100 }),
  },
  { description: 'GeoJSON Polygon or MultiPolygon, WGS84 lon/lat' },
);

export const OutlineBody = Type.Object(
  { geometry: OutlineSchema, note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const OutlineResultSchema = Type.Object({ candidateId: Type.Integer(), eventId: Type.Integer() });

export const DrawnBuildingBody = Type.Object(
  {
    geometry: OutlineSchema,
    status: Type.Enum(['confirmed', 'known']),
    registryItemId: Type.Optional(Type.Integer({ minimum: 1, description: 'for known; the registry item under the outline when left out' })),
    buildingType: Type.Optional(Type.Enum(BUILDING_TYPES, { description: 'for confirmed: type of the new registry item' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    afterImageryId: Type.Optional(Type.Integer({ minimum: 1, description: 'default: the newest ready imagery covering the outline' })),
    beforeImageryId: Type.Optional(Type.Integer({ minimum: 1, description: 'default: the newest ready imagery before it covering the outline' })),
  },
  { additionalProperties: false },
);

export const DecisionResultSchema = Type.Object({
  candidateId: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  eventId: Type.Integer(),
  registryItemId: Nullable(Type.Integer()),
  caseNo: Nullable(Type.String()),
  deadline: Nullable(Type.String({ description: 'YYYY-MM-DD: the squad deadline a confirmation or field check set' })),
  streetCode: Nullable(Type.String()),
  streetName: Nullable(Type.String({ description: 'the street whose squad the case or field check went to' })),
});

export const BulkDecisionBody = Type.Object({
  ...DecisionBody.properties,
  ids: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 1000 })),
  filter: Type.Optional(Type.Object({ ...CandidateFilterQuery }, { additionalProperties: false })),
  expectedCount: Type.Optional(
    Type.Integer({ minimum: 0, description: 'refuse when the filter now matches a different number (the queue moved)' }),
  ),
});

export const UndoResultSchema = Type.Object({
  candidateId: Type.Integer(),
  from: Type.String(),
  to: Type.String(),
  undoneEventId: Type.Integer(),
  eventId: Type.Integer(),
});

export const DispositionBody = Type.Object({
  status: Type.Enum(DISPOSITION_STATUSES),
  date: DateOnly,
  areaRemovedM2: Type.Optional(Type.Number({ minimum: 0.01, description: "m², more than 0" })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const RegistryWorkItemSchema = Type.Object({
  id: Type.Integer(),
  caseNo: Type.String(),
  status: Type.Enum(REGISTRY_STATUSES),
  streetCode: Type.String(),
  origin: Type.String(),
  source: Type.String(),
  buildingType: Type.String(),
  floorAreaM2: Type.Number(),
  footprintM2: Type.Number(),
  foundOn: Type.String(),
  deadline: Nullable(Type.String()),
  overdue: Type.Boolean(),
  address: Type.String(),
  bbox: Bbox,
});

export const ReviewBody = Type.Object({
  approve: Type.Boolean({ description: 'true keeps the dismissal; false sends the candidate back to the queue (new)' }),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const ReviewResultSchema = Type.Object({
  candidateId: Type.Integer(),
  approved: Type.Boolean(),
  to: Type.String(),
  eventId: Type.Integer(),
});
