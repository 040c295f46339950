import { useEffect, useRef } from 'react';

// Keyboard shortcuts of the triage screen: one table, shown in the help overlay as well.
export const TRIAGE_ACTIONS = [
  'next', 'prev', 'confirm', 'known', 'dismiss', 'fieldCheck', 'undo', 'mark', 'markAll', 'bulk', 'view', 'help', 'close',
] as const;
export type TriageAction = (typeof TRIAGE_ACTIONS)[number];

/** Keys per action, as KeyboardEvent.key values; the first is the one shown. */
export const TRIAGE_KEYS: Readonly<Record<TriageAction, readonly string[]>> = {
  next: ['j', 'ArrowDown'],
  prev: ['k', 'ArrowUp'],
  confirm: ['c'],
  known: ['m'],
  dismiss: ['d'],
  fieldCheck: ['f'],
  undo: ['u'],
  mark: ['x'],
  markAll: ['A'],
  bulk: ['B'],
  view: ['v'],
  help: ['?'],
  close: ['Escape'],
};

export function actionForKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): TriageAction | null {
  if (e.altKey) return null;
  if (e.ctrlKey || e.metaKey) return e.key === 'z' ? 'undo' : null;
  for (const action of TRIAGE_ACTIONS) if (TRIAGE_KEYS[action].includes(e.key)) return action;
  return null;
}

// A focused slider or checkbox must not swallow the shortcuts.
const NON_TEXT_INPUTS = ['range', 'checkbox', 'radio', 'button', 'submit'];

/** Keys typed into a form field belong to the field, not to the shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLInputElement;
  if (el.tagName === 'INPUT') return !NON_TEXT_INPUTS.includes(el.type);
  return el.isContentEditable || ['TEXTAREA', 'SELECT'].includes(el.tagName);
}

/**
 * Calls `onAction` for shortcut keys pressed outside text fields; while a dialog is open only help and
 * close pass (the dialog takes its own keys). The latest handler is used without re-subscribing.
 */
export function useTriageKeys(dialogOpen: boolean, onAction: (action: TriageAction) => void): void {
  const latest = useRef({ dialogOpen, onAction });
  latest.current = { dialogOpen, onAction };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target)) return;
      const action = actionForKey(e);
      if (!action) return;
      if (latest.current.dialogOpen && action !== 'close' && action !== 'help') return;
      e.preventDefault();
      latest.current.onAction(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
