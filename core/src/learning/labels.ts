// Which office decisions teach the change model what, and which of them are the district's validation set.
// The rule is written out for operators in docs/learning.md ("Training sets and the trainer").
import { createHash } from 'node:crypto';
import type { CandidateStatus, DismissReason } from '../domain.js';

export type Label = 'change' | 'no-change';

/** Statuses that say a building really appeared here (a field check that confirms ends `confirmed`). */
export const CHANGE_STATUSES: readonly CandidateStatus[] = ['confirmed', 'known'];

/**
 * What each dismissal reason says about the pixels. A permitted building is still a new building (the model
 * finds buildings, the office decides legality); a false positive is no change in its footprint; a temporary
 * structure or an imagery problem says nothing reliable about the building either way, so it teaches nothing.
 */
export const DISMISSAL_LABEL: Readonly<Record<DismissReason, Label | null>> = {
  legal_permit: 'change',
  false_positive: 'no-change',
  temporary: null,
  imagery_problem: null,
};

export const dismissalsLabelled = (label: Label): DismissReason[] =>
  (Object.entries(DISMISSAL_LABEL) as [DismissReason, Label | null][]).filter(([, l]) => l === label).map(([r]) => r);

/** The label a decided candidate gives, or null when its decision teaches nothing. */
export function labelOf(status: CandidateStatus, dismissReason: DismissReason | null): Label | null {
  if (CHANGE_STATUSES.includes(status)) return 'change';
  if (status === 'dismissed' && dismissReason) return DISMISSAL_LABEL[dismissReason];
  return null;
}

/** The share of decisions kept out of training as the district's own validation set. */
export const VALIDATION_SHARE = 0.2;

/**
 * A stable position in [0, 1) for a key: the first four bytes of its SHA-256. The same key lands in the same
 * split in every export, whatever else changed, so a validation decision is never trained on later.
 */
export function stableFraction(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32;
}

export type Split = 'train' | 'val';

export const candidateSplit = (candidateId: number): Split =>
  stableFraction(`candidate:${candidateId}`) < VALIDATION_SHARE ? 'val' : 'train';
