// The squad's field-check result: a decision plus the evidence photos, written together.
import { withTransaction, type Pool } from '../db/pool.js';
import { insertFieldPhoto, type StoredFieldPhoto } from '../db/field-photos.js';
import type { User } from '../db/users.js';
import { Invalid } from '../errors.js';
import { applyDecision, type DecisionResult, type TriageSettings } from './decide.js';

// The caller removes the photo files again if recording fails.
export type { StoredFieldPhoto } from '../db/field-photos.js';

export interface FieldCheckInput {
  result: 'confirmed' | 'dismissed';
  reason?: string;
  note?: string;
  photos: StoredFieldPhoto[];
}

export async function recordFieldCheck(
  pool: Pool,
  user: User,
  id: number,
  input: FieldCheckInput,
  settings: TriageSettings,
): Promise<DecisionResult & { photoIds: number[] }> {
  if (input.result !== 'confirmed' && input.result !== 'dismissed') {
    throw new Invalid(`a field check ends confirmed or dismissed; got ${String(input.result)}`);
  }
  for (const p of input.photos) {
    if ((p.lon === null) !== (p.lat === null)) throw new Invalid(`photo ${p.fileName}: give both lon and lat, or neither`);
    if (p.lon !== null && (p.lon < -180 || p.lon > 180 || p.lat! < -90 || p.lat! > 90)) {
      throw new Invalid(`photo ${p.fileName}: position ${p.lon},${p.lat} is outside lon/lat range`);
    }
  }
  return withTransaction(pool, async (client) => {
    const decision = await applyDecision(
      client, user, id, { status: input.result, reason: input.reason, note: input.note }, settings, 'field_check',
    );
    const photoIds: number[] = [];
    for (const p of input.photos) {
      photoIds.push(await insertFieldPhoto(client, { ...p, candidateId: id, registryItemId: null, uploadedBy: user.id }));
    }
    return { ...decision, photoIds };
  });
}
