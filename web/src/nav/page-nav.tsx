import type { User } from '../api';
import { useT } from '../i18n/i18n-context';
import { navigate, usePage, type Page } from './use-page';

/** Which roles see which pages besides the map. */
const PAGE_ROLES: Record<Exclude<Page, 'map'>, User['role'][]> = {
  triage: ['admin', 'office', 'viewer'],
  squad: ['admin', 'office', 'squad'],
  flights: ['admin', 'office', 'pilot'],
  uploads: ['admin', 'office', 'pilot'],
};

export function PageNav({ user }: { user: User }) {
  const t = useT();
  const page = usePage();
  const pages = (Object.keys(PAGE_ROLES) as Exclude<Page, 'map'>[]).filter((p) => PAGE_ROLES[p].includes(user.role));
  if (pages.length === 0) return null;
  const link = (p: Page, label: string) => (
    <a
      href={p === 'map' ? '/' : `/${p}`}
      className={page === p ? 'page-link active' : 'page-link'}
      aria-current={page === p ? 'page' : undefined}
      onClick={(e) => {
        e.preventDefault();
        if (page === 'map') sessionStorage.setItem('tuban.mapHash', window.location.hash);
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
