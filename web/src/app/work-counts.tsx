import { useEffect, useState } from 'react';
import { request, type User } from '../api';
import type { ApiResponse } from '../api-types';
import { useI18n } from '../i18n/i18n-context';
import { navigate, pathOf, useLocation } from '../nav/route';
import { WORK_CHANGED } from '../triage/work-changed';

type Counts = ApiResponse<'/api/squad/counts'>;

const REFRESH_MS = 60_000;

/**
 * The header's field checks waiting and items past their deadline (a squad: its own street), linking to the
 * squad's task list. Counted again on every page change, after decisions and once a minute.
 */
export function WorkCounts({ user }: { user: User }) {
  const { t } = useI18n();
  const { page } = useLocation();
  const [counts, setCounts] = useState<Counts | null>(null);
  const [tick, setTick] = useState(0);
  const counted = ['admin', 'office', 'squad'].includes(user.role);

  useEffect(() => {
    const again = () => setTick((n) => n + 1);
    const timer = setInterval(again, REFRESH_MS);
    window.addEventListener(WORK_CHANGED, again);
    return () => {
      clearInterval(timer);
      window.removeEventListener(WORK_CHANGED, again);
    };
  }, []);

  useEffect(() => {
    if (!counted) return;
    let current = true;
    // The counts are a convenience: when they cannot be had, the header just leaves them out.
    request<Counts>('GET', '/api/squad/counts').then(
      (c) => current && setCounts(c),
      () => current && setCounts(null),
    );
    return () => {
      current = false;
    };
  }, [counted, page, tick]);

  if (!counted || !counts) return null;
  const overdue = counts.fieldChecksOverdue + counts.itemsOverdue;
  const title = t('counts.title', { fieldChecks: counts.fieldChecks, fieldChecksOverdue: counts.fieldChecksOverdue, itemsOverdue: counts.itemsOverdue });
  return (
    <a
      className="work-counts"
      href={pathOf('squad')}
      title={title}
      aria-label={`${t('counts.label')}: ${title}`}
      onClick={(e) => {
        e.preventDefault();
        navigate('squad');
      }}
    >
      <span className="work-count" data-testid="count-field-checks">{t('counts.fieldChecks', { count: counts.fieldChecks })}</span>
      <span className={overdue > 0 ? 'work-count overdue' : 'work-count'} data-testid="count-overdue">
        {t('counts.overdue', { count: overdue })}
      </span>
    </a>
  );
}
