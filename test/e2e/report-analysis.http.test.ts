/**
 * The analysis in the report (issue 23, with issue 22's report sections): goals with baseline, target,
 * expectedNow, current and status; the questionnaire's dimension and sub-indicator table with the
 * lowest sub-indicators; findings naming the lowest dimension and sub-indicator — in the JSON to the
 * digit, and rendered in the HTML page and the CSV. (Drivers with enough answers to rank:
 * metrics-groups.http.test.ts; campaigns of the period: campaigns.http.test.ts.)
 *
 * Today is 2026-11-20 (Shanghai); the November report's figures are as of today.
 * Goals, team "goals", first response within 20 s: October 4 chats, 2 within → 0.5; 1–20 November
 *   4 chats, 3 within → 0.75.
 *   A "0.9 by 2026-11-30": expectedNow 0.5 + 0.4 × 20/30 = 0.7667 > 0.75 → at_risk.
 *   B "+0.2 by 2026-12-31": target 0.7, expectedNow 0.5 + 0.2 × 20/61 = 0.5656; 0.75 ≥ 0.7 → achieved.
 * Two service-standard answers (team "standard"): responsiveness items first_response 5 then 2,
 *   resolution_time 4 then 2, proactive_updates 3 then 2; every other item 4 then 5 (the optional two
 *   left out). Sub-indicators (CSI = (mean − 1) / 4 × 10): first_response 3.5 → 6.25, resolution_time
 *   3 → 5, proactive_updates 2.5 → 3.75, every other 4.5 → 8.75. Dimensions: responsiveness 18/6 = 3
 *   → 5, the other four 4.5 → 8.75; CSI (equal weights) (5 + 4 × 8.75) / 5 = 8.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstResponseHistory } from '../support/builders/interactions.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';
import { aSurveyAfterContact } from '../support/surveys.js';

const START = new Date('2026-11-20T04:00:00Z'); // 12:00 in Shanghai
let api: TestApi;

/** One service-standard answer of a customer of its own: `score(question id)` on each scale item. */
async function answerStandard(n: number, score: (id: string) => number) {
  const { survey } = await aSurveyAfterContact(api, {
    customerId: `C-ra-${n}`,
    team: 'standard',
    startedAt: new Date(START.getTime() - 3600_000),
    survey: { questionnaireId: 'service-standard' },
  });
  const form = await api.call('GET', `/surveys/${survey.token}`, { as: null });
  const answers: Record<string, unknown> = { overall: 4, nps: 8 };
  for (const q of form.body.questionnaire.questions as Array<Record<string, any>>)
    if (q.type === 'scale' && q.dimension && q.required) answers[q.id] = score(q.id);
  const reply = await api.call('POST', `/surveys/${survey.token}/responses`, { as: null, body: { answers } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  expect(reply.body.valid).toBe(true);
}

let goalA: string;
let goalB: string;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: START, schedules: false });
  const patched = await api.call('PATCH', '/settings', {
    as: 'admin',
    body: { surveys: { minAnswerSeconds: 0, minSecondsPerQuestion: 0 } },
  });
  expect(patched.status).toBe(200);
  for (const body of firstResponseHistory('C-ra-chat-', 'goals'))
    expect((await api.call('POST', '/interactions', { as: 'agent', body })).status).toBe(201);
  const responsiveness: Record<string, [number, number]> = {
    first_response: [5, 2],
    resolution_time: [4, 2],
    proactive_updates: [3, 2],
  };
  await answerStandard(1, (id) => responsiveness[id]?.[0] ?? 4);
  await answerStandard(2, (id) => responsiveness[id]?.[1] ?? 5);
  const goal = async (body: Record<string, unknown>) => {
    const reply = await api.call('POST', '/goals', {
      as: 'manager',
      body: {
        kpi: 'firstResponse',
        scope: { team: 'goals' },
        baseline: { from: '2026-10-01', to: '2026-10-31' },
        owner: 'mgr-lin',
        ...body,
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body.id as string;
  };
  goalA = await goal({ target: { value: 0.9 }, by: '2026-11-30', name: 'FRT to 90 % in November' });
  goalB = await goal({ target: { change: { absolute: 0.2 } }, by: '2026-12-31' });
}, 90_000);
afterAll(() => api?.runtime.stop());

describe("the month's report: goals, dimensions and sub-indicators", () => {
  let report: any;
  beforeAll(async () => {
    const reply = await api.call('POST', '/reports/2026-11/generate', { as: 'manager', body: {} });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    report = reply.body;
  });

  it('lists each goal with baseline, target, expectedNow, current and status as of today', () => {
    expect(report.goals).toEqual([
      {
        id: goalA,
        name: 'FRT to 90 % in November',
        kpi: 'firstResponse',
        scope: { team: 'goals' },
        owner: 'mgr-lin',
        by: '2026-11-30',
        baselineValue: 0.5,
        targetValue: 0.9,
        expectedNow: 0.7667,
        current: 0.75,
        status: 'at_risk',
        asOf: '2026-11-20',
      },
      {
        id: goalB,
        kpi: 'firstResponse',
        scope: { team: 'goals' },
        owner: 'mgr-lin',
        by: '2026-12-31',
        baselineValue: 0.5,
        targetValue: 0.7,
        expectedNow: 0.5656,
        current: 0.75,
        status: 'achieved',
        asOf: '2026-11-20',
      },
    ]);
  });

  it('holds every sub-indicator, the three lowest, and a focus naming the lowest dimension and sub-indicator', async () => {
    const drivers = await api.call('GET', '/metrics/drivers?from=2026-11-01&to=2026-11-30', { as: 'supervisor' });
    expect(report.drivers.items).toEqual(
      [...drivers.body.items].sort(
        (a, b) => (a.priority ?? 99) - (b.priority ?? 99) || a.dimension.localeCompare(b.dimension),
      ),
    );
    const s = report.satisfaction;
    expect(s.csi).toBe(8);
    expect(s.lowestDimension).toEqual({ dimension: 'responsiveness', csi: 5 });
    expect(s.subIndicators['responsiveness.first_response']).toMatchObject({ n: 2, average: 3.5, csi: 6.25 });
    expect(s.subIndicators['attitude.courtesy']).toMatchObject({ n: 2, average: 4.5, csi: 8.75 });
    expect(s.lowestSubIndicators).toEqual([
      { subIndicator: 'responsiveness.proactive_updates', n: 2, average: 2.5, csi: 3.75 },
      { subIndicator: 'responsiveness.resolution_time', n: 2, average: 3, csi: 5 },
      { subIndicator: 'responsiveness.first_response', n: 2, average: 3.5, csi: 6.25 },
    ]);
    expect(report.findings.filter((f: { kind: string }) => f.kind === 'focus')).toEqual([
      {
        kind: 'focus',
        dimension: 'responsiveness',
        average: 3,
        csi: 5,
        subIndicator: 'responsiveness.proactive_updates',
        subIndicatorCsi: 3.75,
      },
    ]);
    // The drivers are GET /metrics/drivers of the month (ranked ones: metrics-groups.http.test.ts).
    expect(report.drivers).toMatchObject({ target: 'overall', minAnswers: 30 });
  });

  it('renders the same in the HTML page and the CSV', async () => {
    const html = (await api.call('GET', '/reports/2026-11/html?lang=en', { as: 'manager' })).text;
    expect(html).toContain('<h2 style="font-size:18px;margin:28px 0 6px;color:#1f2328">Goals</h2>');
    expect(html).toMatch(
      /FRT to 90 % in November<\/td><td[^>]*>First response on target · goals<\/td><td[^>]*>50\.0%<\/td><td[^>]*>90\.0%<\/td><td[^>]*><span[^>]*>2026-11-30<\/span><\/td><td[^>]*>76\.7%<\/td><td[^>]*>75\.0%<\/td><td[^>]*><span[^>]*>at risk<\/span>/,
    );
    expect(html).toContain(
      '<strong>Lowest sub-indicators:</strong> responsiveness.proactive_updates (CSI 3.75), responsiveness.resolution_time (CSI 5.00), responsiveness.first_response (CSI 6.25)',
    );
    expect(html).toMatch(/proactive_updates<\/strong><\/td><td[^>]*>2<\/td><td[^>]*>2\.50<\/td>/);
    expect(html).toContain('Key drivers (importance × score)</h2>');
    expect(html).toContain('proactive_updates (CSI 3.75)');

    const csv = (await api.call('GET', '/reports/2026-11/csv?lang=en', { as: 'manager' })).text;
    expect(csv).toContain(
      `${goalA},FRT to 90 % in November,firstResponse,goals,,0.5,0.9,2026-11-30,0.7667,0.75,at_risk,mgr-lin,2026-11-20`,
    );
    expect(csv).toContain('dimension,sub_indicator,n,average,csi,lowest_rank');
    expect(csv).toContain('responsiveness,,,3,5,');
    expect(csv).toContain('responsiveness,proactive_updates,2,2.5,3.75,1');
    expect(csv).toContain('responsiveness,first_response,2,3.5,6.25,3');
    expect(csv).toContain('attitude,courtesy,2,4.5,8.75,');
  });

  it('leaves out of an earlier period a goal set after it', async () => {
    const october = await api.call('POST', '/reports/2026-10/generate', { as: 'manager', body: {} });
    expect(october.status).toBe(200);
    expect(october.body.goals).toEqual([]);
  });
});
