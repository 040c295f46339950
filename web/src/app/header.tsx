import type { User } from '../api';
import { useI18n } from '../i18n/i18n-context';
import { PageNav } from '../nav/page-nav';
import { LanguageSwitch } from './language-switch';
import { ReportsNav } from '../reports/reports-nav';

interface Props {
  user: User;
  onLogout: () => void;
  loggingOut: boolean;
}

export function Header({ user, onLogout, loggingOut }: Props) {
  const { t, tEnum } = useI18n();
  return (
    <header className="app-header">
      <h1 className="app-name">{t('app.name')}</h1>
      <span className="app-tagline">{t('app.tagline')}</span>
      <PageNav user={user} />
      <ReportsNav user={user} />
      <div className="header-right">
        <span className="current-user" aria-label={t('header.user')}>
          <strong>{user.displayName}</strong> <span className="role">{tEnum('role', user.role)}</span>
        </span>
        <LanguageSwitch />
        <button type="button" onClick={onLogout} disabled={loggingOut}>
          {loggingOut ? t('header.loggingOut') : t('header.logout')}
        </button>
      </div>
    </header>
  );
}
