import type { User } from '../api';
import { useT } from '../i18n/i18n-context';

/** Roles the server gives evidence packages to (a squad: its own street's). */
type Role = User['role'];
const EVIDENCE_ROLES: readonly Role[] = ['admin', 'office', 'squad', 'viewer'];

export const mayDownloadEvidence = (role: Role): boolean => EVIDENCE_ROLES.includes(role);

export function evidenceUrl(kind: 'candidate' | 'registry', id: number): string {
  return kind === 'candidate' ? `/api/candidates/${id}/evidence.zip` : `/api/registry/${id}/evidence.zip`;
}

/** Downloads the sealed evidence package (ZIP with crops, photos, history, PDF summary and SHA-256 manifest). */
export function EvidenceLink({ kind, id, className = 'evidence-download' }: { kind: 'candidate' | 'registry'; id: number; className?: string }) {
  const t = useT();
  return (
    <a className={className} href={evidenceUrl(kind, id)} download title={t('evidence.hint')}>
      {t('evidence.download')}
    </a>
  );
}
