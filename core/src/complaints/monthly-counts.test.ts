import { describe, expect, it } from 'vitest';
import type { IndexComplaint } from '../db/complaints.js';
import { parseMonth } from '../monthly-index/month.js';
import { complaintCounts } from './monthly-counts.js';

const c = (over: Partial<IndexComplaint>): IndexComplaint => ({
  id: 1, streetCode: '310107005', status: 'received', violation: null, receivedOn: '2026-11-02', closedOn: null, deadline: null, ...over,
});

describe('complaint counts of a month', () => {
  it('counts received, closed by verdict, and due against on time', () => {
    const counts = complaintCounts(
      [
        c({ id: 1, status: 'true', violation: 'new', closedOn: '2026-11-10', deadline: '2026-11-12' }),
        c({ id: 2, status: 'true', violation: 'existing', closedOn: '2026-11-20', deadline: '2026-11-15' }),
        c({ id: 3, status: 'untrue', closedOn: '2026-11-05', deadline: '2026-12-01' }),
        c({ id: 4, status: 'dispatched', deadline: '2026-11-30' }),
        // received last month, closed this month
        c({ id: 5, status: 'untrue', receivedOn: '2026-10-30', closedOn: '2026-11-01' }),
        // received next month: counts for nothing here
        c({ id: 6, receivedOn: '2026-12-01' }),
      ],
      parseMonth('2026-11'),
    );
    expect(counts).toEqual({
      received: 4, closed: 4, true: 2, trueNew: 1, trueExisting: 1, untrue: 2, due: 3, onTime: 1, completionRate: 0.3333,
    });
  });

  it('has no completion rate when nothing was due', () => {
    expect(complaintCounts([c({})], parseMonth('2026-11')).completionRate).toBeNull();
  });
});
