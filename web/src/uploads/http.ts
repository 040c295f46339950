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

/** The month before the current one in Shanghai, YYYY-MM. */
export function lastShanghaiMonth(now = Date.now()): string {
  const local = new Date(now + 8 * 3600 * 1000);
  const total = local.getUTCFullYear() * 12 + local.getUTCMonth() - 1;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}
