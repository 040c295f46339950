import { describe, expect, it } from 'vitest';
import { actionForKey } from './keys';
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
