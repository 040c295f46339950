import { useSyncExternalStore } from 'react';

// Every page has its own path, so a reload or a shared link lands on it: the map at / (its view in the URL
// hash), the work pages at /triage etc., the reports at /reports/index etc. with the month as ?month=.
export const WORK_PAGES = ['triage', 'squad', 'flights', 'uploads', 'runs', 'models', 'drills', 'complaints'] as const;
export const REPORT_PAGES = ['index', 'exports', 'dashboard', 'registry'] as const;
export type WorkPage = (typeof WORK_PAGES)[number];
export type ReportPage = (typeof REPORT_PAGES)[number];
export type Page = 'map' | WorkPage | ReportPage;

export interface Location {
  page: Page;
  /** a report's month, YYYY-MM */
  month: string | null;
}

const MAP_HASH_KEY = 'tuban.mapHash';

const isOneOf = <T extends string>(list: readonly T[], value: string | undefined): value is T =>
  (list as readonly string[]).includes(value ?? '');

export const isReportPage = (page: Page): page is ReportPage => isOneOf(REPORT_PAGES, page);

export function pageOf(pathname: string): Page {
  const first = pathname.split('/')[1];
  if (isOneOf(WORK_PAGES, first)) return first;
  const report = /^\/reports\/([a-z]+)\/?$/.exec(pathname)?.[1];
  return isOneOf(REPORT_PAGES, report) ? report : 'map';
}

export function pathOf(page: Page, month?: string | null): string {
  if (page === 'map') return '/';
  if (isOneOf(WORK_PAGES, page)) return `/${page}`;
  return month ? `/reports/${page}?month=${month}` : `/reports/${page}`;
}

/** Goes to a page; the map's view is kept on leaving it and given back on return. */
export function navigate(page: Page, month?: string | null): void {
  const path = pathOf(page, month);
  if (`${window.location.pathname}${window.location.search}` === path) return;
  if (pageOf(window.location.pathname) === 'map') sessionStorage.setItem(MAP_HASH_KEY, window.location.hash);
  window.history.pushState(null, '', page === 'map' ? `${path}${sessionStorage.getItem(MAP_HASH_KEY) ?? ''}` : path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  return () => window.removeEventListener('popstate', onChange);
}

// A string snapshot, so that React sees no change while the location stays the same.
const snapshot = () => `${window.location.pathname}${window.location.search}`;

export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, 'http://localhost');
  return { page: pageOf(url.pathname), month: url.searchParams.get('month') };
}
