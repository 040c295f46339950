// A form's fields kept in the browser's localStorage until it is sent: a squad on a weak phone signal can
// close the page, lose the connection or reload and find what it typed. Files are not kept (the browser
// gives no way to store a picked file and pick it again); the form says so.
import { useState } from 'react';

const PREFIX = 'tuban.draft.';

function readDraft<T extends object>(key: string, initial: T): T {
  try {
    const stored = JSON.parse(localStorage.getItem(PREFIX + key) ?? 'null') as Partial<T> | null;
    return stored && typeof stored === 'object' ? { ...initial, ...stored } : initial;
  } catch {
    return initial;
  }
}

/** The form's fields, a setter for some of them (kept at once), and `clear` for when the form was sent. */
export function useDraft<T extends object>(key: string, initial: () => T): [T, (patch: Partial<T>) => void, () => void] {
  const [value, setValue] = useState<T>(() => readDraft(key, initial()));
  const patch = (p: Partial<T>) =>
    setValue((v) => {
      const next = { ...v, ...p };
      try {
        localStorage.setItem(PREFIX + key, JSON.stringify(next));
      } catch {
        // storage full or refused (private mode): the form still works, it is just not kept
      }
      return next;
    });
  const clear = () => localStorage.removeItem(PREFIX + key);
  return [value, patch, clear];
}
