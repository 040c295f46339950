// What a user would share lives in the URL: filters, the selected candidate and the view.
import type { paths } from '../api-types.gen';
import { CANDIDATE_STATUSES, DISMISS_REASONS, type CandidateStatus } from '../domain';

export type DismissReason = (typeof DISMISS_REASONS)[number];

export const VIEWS = ['map', 'swipe', 'side', 'blink'] as const;
export type View = (typeof VIEWS)[number];

/** The queue's filters: the query of GET /api/candidates without its paging and sorting. */
export type TriageFilters = Omit<NonNullable<paths['/api/candidates']['get']['parameters']['query']>, 'bbox' | 'limit' | 'offset' | 'sort'>;

export interface TriageUrlState {
  filters: TriageFilters;
  selected: number | null;
  view: View;
}

export const DEFAULT_FILTERS: TriageFilters = { status: 'new' };

const num = (text: string | null): number | undefined => {
  if (text === null || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
};

export function parseTriageUrl(search: string): TriageUrlState {
  const q = new URLSearchParams(search);
  const status = q.get('status');
  const filters: TriageFilters = {};
  if (status === null) Object.assign(filters, DEFAULT_FILTERS);
  else if ((CANDIDATE_STATUSES as readonly string[]).includes(status)) filters.status = status as CandidateStatus;
  const street = q.get('street');
  if (street && /^\d{9}$/.test(street)) filters.street = street;
  const villa = q.get('villa');
  if (villa === 'true' || villa === 'false') filters.villa = villa === 'true';
  filters.minScore = num(q.get('minScore'));
  filters.minArea = num(q.get('minArea'));
  filters.run = num(q.get('run'));
  if (q.get('review') === 'pending') filters.reviewPending = true;
  for (const k of ['from', 'to'] as const) {
    const d = q.get(k);
    if (d && /^\d{4}-\d{2}-\d{2}$/.test(d)) filters[k] = d;
  }
  for (const k of ['minScore', 'minArea', 'run'] as const) if (filters[k] === undefined) delete filters[k];
  const sel = num(q.get('sel'));
  const view = q.get('view');
  return {
    filters,
    selected: sel !== undefined && Number.isInteger(sel) && sel > 0 ? sel : null,
    view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : 'map',
  };
}

/** The query string for a state; `status=all` keeps "no status filter" apart from the default. */
export function triageSearch(state: TriageUrlState): string {
  const q = new URLSearchParams();
  const f = state.filters;
  q.set('status', f.status ?? 'all');
  if (f.street) q.set('street', f.street);
  if (f.villa !== undefined) q.set('villa', String(f.villa));
  if (f.minScore !== undefined) q.set('minScore', String(f.minScore));
  if (f.minArea !== undefined) q.set('minArea', String(f.minArea));
  if (f.run !== undefined) q.set('run', String(f.run));
  if (f.reviewPending) q.set('review', 'pending');
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (state.selected !== null) q.set('sel', String(state.selected));
  if (state.view !== 'map') q.set('view', state.view);
  return `?${q}`;
}
