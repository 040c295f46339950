// The one way pages load data: a request per change of its inputs, whose late answer is dropped once the
// inputs changed again or the component left, and a 401 that hands the user back to the login.
import { useEffect, useState, type DependencyList } from 'react';
import { ApiError } from './api';
import { errorText } from './error-text';
import { useT } from './i18n/i18n-context';

/** Runs `load` whenever `deps` change; its result reaches `onData` or `onError` only while still current. */
export function useLoad<T>(load: () => Promise<T>, onData: (data: T) => void, onError: (error: unknown) => void, deps: DependencyList): void {
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && onData(data),
      (error: unknown) => current && onError(error),
    );
    return () => {
      current = false;
    };
    // The callers name what a reload depends on; the callbacks may change on every render.
  }, deps);
}

export type Loaded<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; message: string };

/** Loads into a state of loading / ready / error (in words); a 401 calls `onSessionExpired` instead. */
export function useLoaded<T>(load: () => Promise<T>, deps: DependencyList, onSessionExpired: () => void): Loaded<T> {
  const t = useT();
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  useLoad(
    () => {
      setState({ status: 'loading' });
      return load();
    },
    (data) => setState({ status: 'ready', data }),
    (error) => {
      if (error instanceof ApiError && error.status === 401) onSessionExpired();
      else setState({ status: 'error', message: errorText(t, error) });
    },
    deps,
  );
  return state;
}
