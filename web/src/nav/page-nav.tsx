import type { User } from '../api';
import { useT } from '../i18n/i18n-context';
import { navigate, usePage, type Page } from './use-page';

/** Roles that fly and upload; others only see the map. */
const FIELD_ROLES: User['role'][] = ['pilot', 'office', 'admin'];

export function PageNav({ user }: { user: User }) {
  const t = useT();
  const page = usePage();
  if (!FIELD_ROLES.includes(user.role)) return null;
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
      {link('flights', t('nav.flights'))}
      {link('uploads', t('nav.uploads'))}
    </nav>
  );
}
