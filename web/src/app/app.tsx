import { useCallback, useEffect, useState } from 'react';
import { useLoad } from '../use-load';
import { api, type AppConfig, type User } from '../api';
import { errorText } from '../error-text';
import { useT } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';
import { LoginPage } from '../login/login-page';
import { MapPage } from '../map/map-page';
import { PageContent } from '../nav/page-content';
import { isReportPage, navigate, useLocation } from '../nav/route';
import { SquadPage } from '../triage/squad-page';
import { TriagePage } from '../triage/triage-page';
import { Header } from './header';
import { ReportsPage } from '../reports/reports-page';
import { ComplaintsPage } from '../complaints/complaints-page';

type Session =
  | { status: 'checking' }
  | { status: 'failed'; message: string }
  | { status: 'anonymous'; notice: MessageKey | null }
  | { status: 'signedIn'; user: User };

const DEFAULT_CONFIG: AppConfig = { basemapStyleUrl: null, version: '' };

export function App() {
  const t = useT();
  const [session, setSession] = useState<Session>({ status: 'checking' });
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [configFailed, setConfigFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [loggingOut, setLoggingOut] = useState(false);
  const { page, month } = useLocation();

  // Leaving out t: a language switch must not sign the user out and back in.
  useLoad(
    () => {
      setSession({ status: 'checking' });
      return api.me();
    },
    (user) => setSession(user ? { status: 'signedIn', user } : { status: 'anonymous', notice: null }),
    (error) => setSession({ status: 'failed', message: errorText(t, error) }),
    [attempt],
  );
  useLoad(
    () => api.config(),
    setConfig,
    () => {
      // The map works without the config (plain background), so say so and carry on.
      setConfig(DEFAULT_CONFIG);
      setConfigFailed(true);
    },
    [attempt],
  );

  // A squad's work is its task list: on signing in it lands there, not on the map (the map stays in the menu).
  const signedInAs = session.status === 'signedIn' ? session.user : null;
  useEffect(() => {
    if (signedInAs?.role === 'squad' && page === 'map') navigate('squad');
  }, [signedInAs?.id]);

  const sessionExpired = useCallback(() => setSession({ status: 'anonymous', notice: 'error.sessionExpired' }), []);

  async function logout() {
    setLoggingOut(true);
    try {
      await api.logout();
    } catch {
      // The cookie may already be gone or the server down; either way the user asked to leave.
    }
    setLoggingOut(false);
    setSession({ status: 'anonymous', notice: null });
  }

  if (session.status === 'checking' || (session.status === 'signedIn' && !config)) {
    return (
      <div className="centered" role="status">
        {t('app.loading')}
      </div>
    );
  }
  if (session.status === 'failed') {
    return (
      <div className="centered" role="alert">
        <p className="error">{session.message}</p>
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>
          {t('app.retry')}
        </button>
      </div>
    );
  }
  if (session.status === 'anonymous') {
    return <LoginPage notice={session.notice} onLoggedIn={(user) => setSession({ status: 'signedIn', user })} />;
  }
  return (
    <div className="app">
      <Header user={session.user} onLogout={logout} loggingOut={loggingOut} />
      {configFailed && (
        <p className="banner" role="status">
          {t('error.config')}
        </p>
      )}
      {isReportPage(page) && <ReportsPage page={page} month={month} user={session.user} />}
      {page === 'triage' && <TriagePage user={session.user} onSessionExpired={sessionExpired} />}
      {page === 'squad' && <SquadPage user={session.user} onSessionExpired={sessionExpired} />}
      {page === 'complaints' && <ComplaintsPage user={session.user} onSessionExpired={sessionExpired} />}
      {(page === 'map' || page === 'flights' || page === 'uploads' || page === 'runs' || page === 'models' || page === 'drills') && (
        <>
          <MapPage basemapStyleUrl={config?.basemapStyleUrl || null} onSessionExpired={sessionExpired} role={session.user.role} />
          {page !== 'map' && <PageContent page={page} user={session.user} onSessionExpired={sessionExpired} />}
        </>
      )}
    </div>
  );
}
