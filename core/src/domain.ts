// Contract values from the design (§4). The database check constraints hold the same lists.

export const ROLES = ['admin', 'office', 'squad', 'pilot', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const CANDIDATE_STATUSES = ['new', 'confirmed', 'known', 'dismissed', 'field_check'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

export const DISMISS_REASONS = ['legal_permit', 'temporary', 'false_positive', 'imagery_problem'] as const;
export type DismissReason = (typeof DISMISS_REASONS)[number];

export const REGISTRY_STATUSES = ['open', 'demolished', 'legalized', 'confiscated', 'annotated'] as const;
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];

/** Statuses that close an item out of the registry (销项). */
export const CLOSED_OUT_STATUSES: readonly RegistryStatus[] = ['demolished', 'legalized', 'confiscated'];

export const BUILDING_TYPES = [
  'steel_shed',
  'rooftop_addition',
  'extension',
  'courtyard_enclosure',
  'standalone',
  'villa_extension',
] as const;
export type BuildingType = (typeof BUILDING_TYPES)[number];

export const REGISTRY_ORIGINS = ['stock', 'new'] as const;
export type RegistryOrigin = (typeof REGISTRY_ORIGINS)[number];

export const FINDING_SOURCES = ['survey', 'drone', 'satellite', 'complaint_12345', 'patrol', 'city_patch'] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

/** The villa "three batches" policy (三个一批). */
export const VILLA_CATEGORIES = ['demolish_confiscate', 'restrict_freeze', 'policy_guidance'] as const;
export type VillaCategory = (typeof VILLA_CATEGORIES)[number];

export const FLIGHT_PURPOSES = ['routine', 'hotspot', 'complaint', 'campaign'] as const;
export type FlightPurpose = (typeof FLIGHT_PURPOSES)[number];

export const STREET_KINDS = ['subdistrict', 'town'] as const;
export type StreetKind = (typeof STREET_KINDS)[number];

/** Roles that may change data; viewers and pilots only read the map. */
export const OFFICE_ROLES: readonly Role[] = ['admin', 'office'];

export const TIME_ZONE = 'Asia/Shanghai';

/** 12345 hotline complaints (§4): received → placed → dispatched → true (属实) | untrue (不属实). */
export const COMPLAINT_STATUSES = ['received', 'placed', 'dispatched', 'true', 'untrue'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

/** Why a complaint was found untrue (不属实). */
export const COMPLAINT_UNTRUE_REASONS = ['no_violation', 'legal_permit', 'already_handled', 'not_found', 'other'] as const;
export type ComplaintUntrueReason = (typeof COMPLAINT_UNTRUE_REASONS)[number];

/** A true complaint names a new violation or one already in the registry. */
export const COMPLAINT_VIOLATIONS = ['new', 'existing'] as const;
export type ComplaintViolation = (typeof COMPLAINT_VIOLATIONS)[number];

/** Datums complaint coordinates come in; GCJ-02 is converted to WGS84 on import. */
export const COMPLAINT_CRS = ['wgs84', 'gcj02'] as const;
export type ComplaintCrs = (typeof COMPLAINT_CRS)[number];
