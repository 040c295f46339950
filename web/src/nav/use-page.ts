import { useSyncExternalStore } from 'react';

/** Pages besides the map, each at its own path so a reload or a shared link lands on it. */
export const PAGES = ['map', 'triage', 'squad', 'flights', 'uploads'] as const;
export type Page = (typeof PAGES)[number];

export function pageFromPath(pathname: string): Page {
  const first = pathname.split('/')[1] ?? '';
  return (PAGES as readonly string[]).includes(first) && first !== 'map' ? (first as Page) : 'map';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
  };
}

/** Goes to a page; the map keeps its position in the URL hash, so going back to it returns to the same view. */
export function navigate(page: Page): void {
  const path = page === 'map' ? '/' : `/${page}`;
  if (window.location.pathname === path) return;
  window.history.pushState(null, '', page === 'map' ? `${path}${sessionStorage.getItem('tuban.mapHash') ?? ''}` : path);
  // popstate too: the report pages follow the location through it.
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePage(): Page {
  return useSyncExternalStore(subscribe, () => pageFromPath(window.location.pathname));
}
