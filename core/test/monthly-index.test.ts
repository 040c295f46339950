import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthlyIndex, monthlyIndexTrend } from '../src/monthly-index/index.js';
import type { MonthlyIndex } from '../src/monthly-index/compute.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/database.js';
import { STREET_A, STREET_B, insertIndexMonth } from '../src/testing/index-month.js';

// Every expected number below is worked out by hand from fixtures/index-month.ts, with weights.json:
// handling 35, proactive 20, decision days 15 (full ≤3, zero ≥15), disposition days 10 (full ≤30, zero ≥90),
// close-out 20; default deadline 30 days; proactive sources drone, satellite, patrol, survey.
describe('monthly index of March 2026 (Asia/Shanghai)', () => {
  let t: TestDatabase;
  let ids: Record<string, number>;
  let index: MonthlyIndex;
  const rowOf = (scope: string) => index.rows.find((r) => r.scope === scope)!;
  const idsOf = (...labels: string[]) => labels.map((l) => ids[l]!).sort((a, b) => a - b);

  beforeAll(async () => {
    t = await createTestDatabase('monthly_index');
    ids = await insertIndexMonth(t.pool);
    index = await monthlyIndex(t.pool, '2026-03');
  });
  afterAll(async () => t?.drop());

  it('street A', () => {
    const a = rowOf(STREET_A);
    // new in March: A1 drone, A2 complaint (found 31 Mar), A4 patrol; A3 was found 28 Feb
    expect(a.newCount).toBe(3);
    expect(a.newBySource).toMatchObject({ drone: 1, complaint_12345: 1, patrol: 1, satellite: 0, city_patch: 0 });
    expect(a.drill.newItems).toEqual(idsOf('A1', 'A2', 'A4'));
    expect(a.proactiveShare).toBe(0.6667); // 2 of 3
    // due in March: A1 (20 Mar), A3 (15 Mar), A4 (31 Mar); A2's default deadline is 30 Apr.
    // On time: A1 demolished 10 Mar; A4 annotated 31 Mar 23:59:59 Shanghai. A3 still open.
    expect([a.dueCount, a.handledOnTimeCount, a.handlingRate]).toEqual([3, 2, 0.6667]);
    expect(a.drill.handledOnTime).toEqual(idsOf('A1', 'A4'));
    // decisions in March: c1 3 days, c2 8d16h (decided 1 Mar 00:00 Shanghai); c3 fell on 1 Apr 00:00 Shanghai
    expect(a.drill.decidedCandidates).toEqual(idsOf('c1', 'c2'));
    expect(a.medianDecisionDays).toBe(5.8); // (3 + 8.6667) / 2
    // disposed in March: A1 after 9 days, A4 after 26 days
    expect([a.dispositionCount, a.medianDispositionDays]).toEqual([2, 17.5]);
    expect(a.areaFoundM2).toBe(210); // 100 + 50 + 60
    // closed out in March: A1 100, A5 200 (legalized, not removed); A6 closed 1 Apr
    expect([a.closedOutCount, a.closedOutM2, a.areaRemovedM2]).toEqual([2, 300, 90]);
    expect(a.ytdClosedOutM2).toBe(800); // + A7 500 in January
    expect([a.annualTargetM2, a.targetProgress]).toEqual([1200, 0.6667]);
    expect([a.sorties, a.pilotShifts]).toEqual([2, 1]); // f1, f2 by p1 on 1 Mar; f4 is 1 Apr in Shanghai
    // 35·2/3 + 20·2/3 + 15·(15 − 5.8333)/12 + 10·1 + 20·min(1, 800/300) = 23.333 + 13.333 + 11.458 + 10 + 20
    expect(a.score).toBe(78.1);
    expect(a.grade).toBe('合格');
  });

  it('street B', () => {
    const b = rowOf(STREET_B);
    expect(b.newCount).toBe(1); // B1; B2 was found 1 Apr
    expect(b.proactiveShare).toBe(0); // city patch is not proactive
    // due: B3 (found 1 Feb, default deadline 3 Mar, closed 5 Mar: late), B4 (10 Mar, annotated 1 Mar 00:00
    // Shanghai: on time); B1's default deadline is 1 Apr
    expect([b.dueCount, b.handledOnTimeCount, b.handlingRate]).toEqual([2, 1, 0.5]);
    expect(b.drill.dueItems).toEqual(idsOf('B3', 'B4'));
    // c4: field check is no decision; dismissed 6.5 days after detection. c5 was decided on 28 Feb.
    expect([b.decisionCount, b.medianDecisionDays]).toEqual([1, 6.5]);
    // disposed: B4 9 days, B1 23 days, B3 32 days
    expect([b.dispositionCount, b.medianDispositionDays]).toEqual([3, 23]);
    // closed out: B1 80 confiscated (not removed), B3 70 demolished without a recorded removed area
    expect([b.closedOutCount, b.closedOutM2, b.areaRemovedM2]).toEqual([2, 150, 70]);
    expect([b.ytdClosedOutM2, b.targetProgress]).toEqual([150, 0.25]);
    // f2 (A and B), f3 (p2, 1 Mar 00:30 Shanghai), f5 (p1, 31 Mar 23:00 Shanghai): three pilot-days
    expect([b.sorties, b.pilotShifts]).toEqual([3, 3]);
    // 35·0.5 + 0 + 15·8.5/12 + 10 + 20·min(1, 150/150) = 17.5 + 10.625 + 30
    expect(b.score).toBe(58.1);
    expect(b.grade).toBe('不合格');
  });

  it('district', () => {
    const d = rowOf('district');
    expect(index.rows[0]!.scope).toBe('district');
    expect([d.newCount, d.proactiveShare, d.areaFoundM2]).toEqual([4, 0.5, 290]);
    expect([d.dueCount, d.handledOnTimeCount, d.handlingRate]).toEqual([5, 3, 0.6]);
    expect(d.medianDecisionDays).toBe(6.5); // 3, 6.5, 8.67
    expect(d.medianDispositionDays).toBe(23); // 9, 9, 23, 26, 32
    expect([d.closedOutCount, d.closedOutM2, d.areaRemovedM2]).toEqual([4, 450, 160]);
    // no district target set: the street targets add up to 1,800 m²
    expect([d.ytdClosedOutM2, d.annualTargetM2, d.targetProgress]).toEqual([950, 1800, 0.5278]);
    expect([d.sorties, d.pilotShifts]).toEqual([4, 3]);
    expect(d.drill.flights).toEqual(idsOf('f1', 'f2', 'f3', 'f5'));
    // 35·0.6 + 20·0.5 + 15·8.5/12 + 10 + 20 = 21 + 10 + 10.625 + 30
    expect(d.score).toBe(71.6);
    expect(d.grade).toBe('合格');
  });

  it('computes a run of months in one pass exactly as month by month', async () => {
    const trend = await monthlyIndexTrend(t.pool, '2026-04', 4);
    expect(trend.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    for (const m of trend) expect(m).toEqual(await monthlyIndex(t.pool, m.month));
    expect(trend[2]).toEqual(index);
  });

  it('refuses a malformed month', async () => {
    await expect(monthlyIndex(t.pool, '2026-13')).rejects.toThrow(/YYYY-MM/);
  });
});
