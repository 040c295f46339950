import { useState, type FormEvent } from 'react';
import { api, type User } from '../api';
import { LanguageSwitch } from '../app/language-switch';
import { errorText } from '../error-text';
import { useT } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/zh-CN';

interface Props {
  onLoggedIn: (user: User) => void;
  /** Shown above the form, e.g. after a session expired. */
  notice: MessageKey | null;
}

export function LoginPage({ onLoggedIn, notice }: Props) {
  const t = useT();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('login.required'));
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      onLoggedIn(await api.login(username.trim(), password));
    } catch (err) {
      setError(errorText(t, err));
      setSubmitting(false);
    }
  }

  return (
    <div className="login-page">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <form className="login-card" onSubmit={submit} aria-busy={submitting} noValidate>
        <h1>{t('app.name')}</h1>
        <p className="muted">{t('app.tagline')}</p>
        <h2>{t('login.title')}</h2>
        {notice && !error && <p className="notice">{t(notice)}</p>}
        <label>
          {t('login.username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            disabled={submitting}
            autoFocus
          />
        </label>
        <label>
          {t('login.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            disabled={submitting}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={submitting}>
          {submitting ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
