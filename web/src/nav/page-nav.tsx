import type { User } from '../api';
import { useT } from '../i18n/i18n-context';
import { navigate, pathOf, useLocation, type Page, type WorkPage } from './route';

/** Which roles see which pages besides the map. */
const PAGE_ROLES: Record<WorkPage, User['role'][]> = {
  triage: ['admin', 'office', 'viewer'],
  squad: ['admin', 'office', 'squad'],
  flights: ['admin', 'office', 'pilot'],
  uploads: ['admin', 'office', 'pilot'],
  runs: ['admin', 'office', 'viewer'],
  models: ['admin', 'office'],
  drills: ['admin', 'office'],
  complaints: ['admin', 'office', 'squad'],
};

export function PageNav({ user }: { user: User }) {
  const t = useT();
  const { page } = useLocation();
  const pages = (Object.keys(PAGE_ROLES) as WorkPage[]).filter((p) => PAGE_ROLES[p].includes(user.role));
  if (pages.length === 0) return null;
  const link = (p: Page, label: string) => (
    <a
      href={pathOf(p)}
      className={page === p ? 'page-link active' : 'page-link'}
      aria-current={page === p ? 'page' : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigate(p);
      }}
    >
      {label}
    </a>
  );
  return (
    <nav className="page-nav" aria-label={t('nav.label')}>
      {link('map', t('nav.map'))}
      {pages.map((p) => (
        <span key={p}>{link(p, t(`nav.${p}`))}</span>
      ))}
    </nav>
  );
}
