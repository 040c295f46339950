// The 12345 complaint figures of one month and scope (a street or the district), for the monthly index.
import type { IndexComplaint } from '../db/complaints.js';
import type { MonthBounds } from '../monthly-index/month.js';

export interface ComplaintCounts {
  /** received in the month */
  received: number;
  /** closed in the month, by verdict; true ones split into new violations and ones already in the registry */
  closed: number;
  true: number;
  trueNew: number;
  trueExisting: number;
  untrue: number;
  /** deadline in the month */
  due: number;
  /** of those due, closed on or before the deadline (按期办结) */
  onTime: number;
  /** onTime / due (按期办结率); null when nothing was due */
  completionRate: number | null;
}

const inMonth = (day: string | null, b: MonthBounds) => day !== null && day >= b.firstDay && day < b.nextFirstDay;

export function complaintCounts(complaints: IndexComplaint[], b: MonthBounds): ComplaintCounts {
  const closed = complaints.filter((c) => inMonth(c.closedOn, b));
  const trueOnes = closed.filter((c) => c.status === 'true');
  const due = complaints.filter((c) => inMonth(c.deadline, b));
  const onTime = due.filter((c) => c.closedOn !== null && c.closedOn <= c.deadline!);
  return {
    received: complaints.filter((c) => inMonth(c.receivedOn, b)).length,
    closed: closed.length,
    true: trueOnes.length,
    trueNew: trueOnes.filter((c) => c.violation === 'new').length,
    trueExisting: trueOnes.filter((c) => c.violation === 'existing').length,
    untrue: closed.filter((c) => c.status === 'untrue').length,
    due: due.length,
    onTime: onTime.length,
    completionRate: due.length ? Math.round((onTime.length / due.length) * 10_000) / 10_000 : null,
  };
}
