import type { User } from '../api';
import { RunsPage } from '../detection/runs-page';
import { DrillsPage } from '../drills/drills-page';
import { FlightsPage } from '../flights/flights-page';
import { ModelsPage } from '../models/models-page';
import { UploadsPage } from '../uploads/uploads-page';
import type { WorkPage } from './route';
import './pages.css';

interface Props {
  page: WorkPage;
  user: User;
  onSessionExpired: () => void;
}

/** A page shown in place of the map; the map stays mounted underneath so it keeps its state. */
export function PageContent({ page, user, onSessionExpired }: Props) {
  return (
    <main className="page-content">
      {page === 'flights' && <FlightsPage user={user} onSessionExpired={onSessionExpired} />}
      {page === 'uploads' && <UploadsPage user={user} onSessionExpired={onSessionExpired} />}
      {page === 'runs' && <RunsPage user={user} onSessionExpired={onSessionExpired} />}
      {page === 'models' && <ModelsPage user={user} onSessionExpired={onSessionExpired} />}
      {page === 'drills' && <DrillsPage user={user} onSessionExpired={onSessionExpired} />}
    </main>
  );
}
