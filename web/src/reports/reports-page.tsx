import type { User } from '../api';
import { DashboardPage } from './dashboard-page';
import { ExportsPage } from './exports-page';
import { IndexPage } from './index-page';
import { RegistryPage } from './registry-page';
import type { ReportPage } from '../nav/route';
import { lastShanghaiMonth } from '../uploads/http';
import './reports.css';

export function ReportsPage({ page, month, user }: { page: ReportPage; month: string | null; user: User }) {
  const m = month ?? lastShanghaiMonth();
  if (page === 'exports') return <ExportsPage user={user} month={month} />;
  if (page === 'dashboard') return <DashboardPage month={m} />;
  if (page === 'registry') return <RegistryPage user={user} />;
  return <IndexPage month={m} />;
}
