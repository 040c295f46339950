/** A datetime-local value (wall-clock time in Shanghai) as ISO 8601 with the +08:00 offset. */
export function shanghaiLocalToIso(local: string): string {
  return `${local.length === 16 ? `${local}:00` : local}+08:00`;
}

/** An instant as the datetime-local value of its wall-clock time in Shanghai. */
export function isoToShanghaiLocal(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  return shifted.toISOString().slice(0, 16);
}

/** The current month in Shanghai as YYYY-MM. */
export function currentShanghaiMonth(now = Date.now()): string {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 7);
}
