import type { User } from '../api';
import { DashboardPage } from './dashboard-page';
import { ExportsPage } from './exports-page';
import { IndexPage } from './index-page';
import { RegistryPage } from './registry-page';
import { lastMonth, type Page } from './route';
import './reports.css';

export function ReportsPage({ page, month, user }: { page: Exclude<Page, 'map'>; month: string | null; user: User }) {
  const m = month ?? lastMonth();
  if (page === 'exports') return <ExportsPage user={user} />;
  if (page === 'dashboard') return <DashboardPage month={m} />;
  if (page === 'registry') return <RegistryPage user={user} />;
  return <IndexPage month={m} />;
}
