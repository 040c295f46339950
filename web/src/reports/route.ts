import { useEffect, useState } from 'react';

// Report pages live at their own paths (the map keeps its view in the URL hash); the month is a query
// parameter so a link to a month's index can be shared.
export const PAGES = ['map', 'index', 'exports', 'dashboard', 'registry'] as const;
export type Page = (typeof PAGES)[number];

export function pageOf(pathname: string): Page {
  const m = /^\/reports\/(index|exports|dashboard|registry)\/?$/.exec(pathname);
  return (m?.[1] as Page | undefined) ?? 'map';
}

export function pathOf(page: Page, month?: string): string {
  const base = page === 'map' ? '/' : `/reports/${page}`;
  return month ? `${base}?month=${month}` : base;
}

export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useLocation(): { page: Page; month: string | null } {
  const read = () => ({
    page: pageOf(window.location.pathname),
    month: new URLSearchParams(window.location.search).get('month'),
  });
  const [loc, setLoc] = useState(read);
  useEffect(() => {
    const on = () => setLoc(read());
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return loc;
}

/** The month before the current one in Asia/Shanghai, YYYY-MM. */
export function lastMonth(now = new Date()): string {
  const local = new Date(now.getTime() + 8 * 3600_000);
  const total = local.getUTCFullYear() * 12 + local.getUTCMonth() - 1;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}
