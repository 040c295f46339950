import type { MouseEvent } from 'react';
import type { User } from '../api';
import { useT } from '../i18n/i18n-context';
import { navigate, pathOf, useLocation, type ReportPage } from '../nav/route';

/** Links to the report pages; squads and pilots have no reports beyond their index row. */
export function ReportsNav({ user }: { user: User }) {
  const t = useT();
  const { page } = useLocation();
  // The map link is the page navigation's.
  const pages: ReportPage[] = ['index'];
  if (['admin', 'office', 'viewer'].includes(user.role)) pages.push('exports', 'dashboard', 'registry');
  const go = (p: ReportPage) => (e: MouseEvent) => {
    e.preventDefault();
    navigate(p);
  };
  return (
    <nav className="reports-nav">
      {pages.map((p) => (
        <a key={p} href={pathOf(p)} onClick={go(p)} aria-current={p === page ? 'page' : undefined}>
          {t(`nav.${p}`)}
        </a>
      ))}
    </nav>
  );
}
