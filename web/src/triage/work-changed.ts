// Decisions and field checks change what the header counts; they announce it so that it counts again at once.
export const WORK_CHANGED = 'tuban:work-changed';

export function announceWorkChanged(): void {
  window.dispatchEvent(new Event(WORK_CHANGED));
}
