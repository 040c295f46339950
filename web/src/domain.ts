// The web app talks to the server over HTTP only, so it keeps its own copy of the contract enums
// (the same lists as core/src/domain.ts and the database check constraints).

export const ROLES = ['admin', 'office', 'squad', 'pilot', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const REGISTRY_STATUSES = ['open', 'demolished', 'legalized', 'confiscated', 'annotated'] as const;
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];

export const CANDIDATE_STATUSES = ['new', 'confirmed', 'known', 'dismissed', 'field_check'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

export const BUILDING_TYPES = [
  'steel_shed',
  'rooftop_addition',
  'extension',
  'courtyard_enclosure',
  'standalone',
  'villa_extension',
] as const;

export const REGISTRY_ORIGINS = ['stock', 'new'] as const;

export const FINDING_SOURCES = ['survey', 'drone', 'satellite', 'complaint_12345', 'patrol', 'city_patch'] as const;

export const VILLA_CATEGORIES = ['demolish_confiscate', 'restrict_freeze', 'policy_guidance'] as const;

export const STREET_KINDS = ['subdistrict', 'town'] as const;

export const FLIGHT_PURPOSES = ['routine', 'hotspot', 'complaint', 'campaign'] as const;
export type FlightPurpose = (typeof FLIGHT_PURPOSES)[number];

export const IMAGERY_STATUSES = ['uploaded', 'ingesting', 'ready', 'failed'] as const;
export type ImageryStatus = (typeof IMAGERY_STATUSES)[number];

export const UPLOAD_KINDS = ['drone', 'satellite', 'tileset', 'photo'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];
export const DISMISS_REASONS = ['legal_permit', 'temporary', 'false_positive', 'imagery_problem'] as const;
export const DISPOSITIONS = ['demolished', 'legalized', 'confiscated', 'annotated'] as const;

/** Street boundaries generated for the demo rather than imported from an official source. */
export const DEMO_BOUNDARY_SOURCE = 'demo-partition';

export const TIME_ZONE = 'Asia/Shanghai';

/** One vector tile source per dataset, drawn bottom to top in this order. */
export const DATASETS = ['streets', 'hotspots', 'registry', 'candidates'] as const;
export type Dataset = (typeof DATASETS)[number];

/** Enum groups whose values the UI translates; each maps to its list of values. */
export const ENUMS = {
  role: ROLES,
  registryStatus: REGISTRY_STATUSES,
  candidateStatus: CANDIDATE_STATUSES,
  buildingType: BUILDING_TYPES,
  origin: REGISTRY_ORIGINS,
  source: FINDING_SOURCES,
  villaCategory: VILLA_CATEGORIES,
  streetKind: STREET_KINDS,
  flightPurpose: FLIGHT_PURPOSES,
  imageryStatus: IMAGERY_STATUSES,
  uploadKind: UPLOAD_KINDS,
  dismissReason: DISMISS_REASONS,
  disposition: DISPOSITIONS,
} as const;
export type EnumGroup = keyof typeof ENUMS;
export type EnumValue<G extends EnumGroup> = (typeof ENUMS)[G][number];
