import { describe, expect, it } from 'vitest';
import { tileAt } from './imagery-tiles';
import { actionForKey, isTypingTarget } from './keys';
import { parseTriageUrl, triageSearch } from './url-state';

describe('triage URL state', () => {
  it('defaults to the new candidates on the map', () => {
    expect(parseTriageUrl('')).toEqual({ filters: { status: 'new' }, selected: null, view: 'map' });
  });

  it('round-trips filters, selection and view', () => {
    const state = parseTriageUrl('?status=field_check&street=310107005&villa=true&minScore=0.7&minArea=20&sel=42&view=swipe');
    expect(state).toEqual({
      filters: { status: 'field_check', street: '310107005', villa: true, minScore: 0.7, minArea: 20 },
      selected: 42,
      view: 'swipe',
    });
    expect(parseTriageUrl(triageSearch(state))).toEqual(state);
  });

  it('keeps "all statuses" apart from the default and drops bad values', () => {
    const all = parseTriageUrl('?status=all&street=abc&minScore=x&sel=-3&view=3d');
    expect(all).toEqual({ filters: {}, selected: null, view: 'map' });
    expect(triageSearch(all)).toBe('?status=all');
  });
});

describe('triage keys', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
    actionForKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  it('maps keys to actions', () => {
    expect(key('j')).toBe('next');
    expect(key('ArrowUp')).toBe('prev');
    expect(key('c')).toBe('confirm');
    expect(key('d')).toBe('dismiss');
    expect(key('f')).toBe('fieldCheck');
    expect(key('?')).toBe('help');
    expect(key('z', { ctrlKey: true })).toBe('undo');
    expect(key('c', { ctrlKey: true })).toBeNull();
    expect(key('q')).toBeNull();
  });
});

describe('compare tile probe', () => {
  it('finds the XYZ tile under a point', () => {
    expect(tileAt(121.385, 31.255, 18)).toEqual({ x: 219461, y: 107092, z: 18 });
    expect(tileAt(0, 0, 1)).toEqual({ x: 1, y: 1, z: 1 });
  });
});

describe('typing targets', () => {
  it('leaves text fields alone but not sliders or checkboxes', () => {
    const el = (tagName: string, type = '') => ({ tagName, type, isContentEditable: false }) as unknown as EventTarget;
    expect(isTypingTarget(el('INPUT', 'text'))).toBe(true);
    expect(isTypingTarget(el('TEXTAREA'))).toBe(true);
    expect(isTypingTarget(el('INPUT', 'range'))).toBe(false);
    expect(isTypingTarget(el('INPUT', 'checkbox'))).toBe(false);
    expect(isTypingTarget(el('BUTTON'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('review filter in the URL', () => {
  it('round-trips the pending-review filter', () => {
    const state = parseTriageUrl('?status=dismissed&review=pending&from=2026-10-01&to=bad');
    expect(state.filters).toEqual({ status: 'dismissed', reviewPending: true, from: '2026-10-01' });
    expect(triageSearch(state)).toBe('?status=dismissed&review=pending&from=2026-10-01');
  });
});
