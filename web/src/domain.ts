// The contract's value lists, generated from the server's OpenAPI document (api-types.gen.ts): the web app
// talks to the server over HTTP only and copies none of them by hand.
import { CONTRACT_ENUMS } from './api-types';

const E = CONTRACT_ENUMS;
export const { CandidateStatus: CANDIDATE_STATUSES, RegistryStatus: REGISTRY_STATUSES, DismissReason: DISMISS_REASONS } = E;
export const { FlightPurpose: FLIGHT_PURPOSES, UploadKind: UPLOAD_KINDS, Disposition: DISPOSITIONS } = E;
export type Role = (typeof E.Role)[number];
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];
export type FlightPurpose = (typeof FLIGHT_PURPOSES)[number];
export type ImageryStatus = (typeof E.ImageryStatus)[number];
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/** Street boundaries generated for the demo rather than imported from an official source. */
export const DEMO_BOUNDARY_SOURCE = 'demo-partition';

export const TIME_ZONE = 'Asia/Shanghai';

/** One vector tile source per dataset, drawn bottom to top in this order. */
export const DATASETS = ['streets', 'hotspots', 'registry', 'candidates'] as const;
export type Dataset = (typeof DATASETS)[number];

/** Enum groups whose values the UI translates; each maps to its list of values. */
export const ENUMS = {
  role: E.Role,
  registryStatus: E.RegistryStatus,
  candidateStatus: E.CandidateStatus,
  buildingType: E.BuildingType,
  origin: E.RegistryOrigin,
  source: E.FindingSource,
  villaCategory: E.VillaCategory,
  streetKind: E.StreetKind,
  flightPurpose: E.FlightPurpose,
  imageryStatus: E.ImageryStatus,
  uploadKind: E.UploadKind,
  dismissReason: E.DismissReason,
  disposition: E.Disposition,
  complaintStatus: E.ComplaintStatus,
  complaintUntrueReason: E.ComplaintUntrueReason,
} as const;
export type EnumGroup = keyof typeof ENUMS;
export type EnumValue<G extends EnumGroup> = (typeof ENUMS)[G][number];
