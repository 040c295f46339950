import { useEffect, useState } from 'react';
import type { User } from '../api';
import { useI18n } from '../i18n/i18n-context';
import { PageNav } from '../nav/page-nav';
import { useLocation } from '../nav/route';
import { LanguageSwitch } from './language-switch';
import { ReportsNav } from '../reports/reports-nav';
import { SearchBox } from '../search/search-box';
import { WorkCounts } from './work-counts';

interface Props {
  user: User;
  onLogout: () => void;
  loggingOut: boolean;
}

/**
 * The app's one header line. On a narrow screen (a phone) the pages, the user and the logout fold into a
 * menu behind one button, so the header stays one line and the page gets the screen.
 */
export function Header({ user, onLogout, loggingOut }: Props) {
  const { t, tEnum } = useI18n();
  const [menuOpen, setMenuOpen] = useState(false);
  const { page } = useLocation();
  useEffect(() => setMenuOpen(false), [page]);
  const role = tEnum('role', user.role);
  return (
    <header className="app-header">
      <h1 className="app-name">{t('app.name')}</h1>
      <span className="app-tagline">{t('app.tagline')}</span>
      <WorkCounts user={user} />
      <button
        type="button"
        className="menu-toggle"
        aria-expanded={menuOpen}
        aria-controls="header-menu"
        onClick={() => setMenuOpen((open) => !open)}
      >
        {t('header.menu')}
      </button>
      <div id="header-menu" className={menuOpen ? 'header-menu open' : 'header-menu'}>
        <PageNav user={user} />
        <ReportsNav user={user} />
        <div className="header-right">
          <SearchBox />
          <span className="current-user" aria-label={t('header.user')}>
            <strong>{user.displayName}</strong>
            {user.displayName !== role && <span className="role"> {role}</span>}
          </span>
          <LanguageSwitch />
          <button type="button" onClick={onLogout} disabled={loggingOut}>
            {loggingOut ? t('header.loggingOut') : t('header.logout')}
          </button>
        </div>
      </div>
    </header>
  );
}
