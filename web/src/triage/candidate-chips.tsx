import { useState } from 'react';
import { useT } from '../i18n/i18n-context';

export function chipUrl(candidateId: number, which: 'before' | 'after'): string {
  return `/api/candidates/${candidateId}/chips/${which}.webp`;
}

interface Props {
  candidateId: number;
  /** whether the before/after imagery has tiles: chips are asked for only then */
  beforeReady: boolean;
  afterReady: boolean;
}

/** Before/after crops around the candidate; a crop the server cannot make (404) just disappears. */
export function CandidateChips({ candidateId, beforeReady, afterReady }: Props) {
  const t = useT();
  const [failed, setFailed] = useState<{ id: number; which: Set<string> }>({ id: candidateId, which: new Set() });
  const gone = failed.id === candidateId ? failed.which : new Set<string>();
  const shown = (['before', 'after'] as const).filter(
    (which) => (which === 'before' ? beforeReady : afterReady) && !gone.has(which),
  );
  if (shown.length === 0) return null;
  return (
    <figure className="candidate-chips" aria-label={t('chips.title')}>
      {shown.map((which) => (
        <div key={`${candidateId}-${which}`} className="chip-image">
          <img
            src={chipUrl(candidateId, which)}
            alt={t(`chips.${which}`)}
            data-chip={which}
            onError={() => setFailed({ id: candidateId, which: new Set([...gone, which]) })}
          />
          <figcaption>{t(`chips.${which}`)}</figcaption>
        </div>
      ))}
    </figure>
  );
}
