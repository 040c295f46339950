// Links between the map, the triage screen and the street squad's tasks; plain links, one page each.
import type { User } from '../api';
import { useT } from '../i18n/i18n-context';

export type AppRoute = 'map' | 'triage' | 'squad';

export function routeOf(pathname: string): AppRoute {
  if (pathname.startsWith('/triage')) return 'triage';
  if (pathname.startsWith('/squad')) return 'squad';
  return 'map';
}

export function AppNav({ user }: { user: User }) {
  const t = useT();
  const route = routeOf(window.location.pathname);
  const links: [AppRoute, string, string][] = [
    ['map', '/', t('nav.map')],
    ...(user.role === 'squad' ? [] : [['triage', '/triage', t('nav.triage')] as [AppRoute, string, string]]),
    ...(['squad', 'office', 'admin'].includes(user.role) ? [['squad', '/squad', t('nav.squad')] as [AppRoute, string, string]] : []),
  ];
  return (
    <nav className="app-nav">
      {links.map(([r, href, label]) => (
        <a key={r} href={href} aria-current={route === r ? 'page' : undefined}>{label}</a>
      ))}
    </nav>
  );
}
