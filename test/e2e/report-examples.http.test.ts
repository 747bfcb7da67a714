/**
 * The report's example comments (s002 "客户原话", issue 14): one or two of the customers' own words
 * per top problem, from valid answers only, the lowest-scored first, masked with the suggestion
 * board's rules — and a phone number, an email address or a resident ID written in a comment
 * (or a card, a WeChat or QQ id, an address, an IP address, a given name: issue 27) never
 * appears unmasked in the report's JSON, its page, its CSV or the emailed report.
 */
import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anInteraction } from '../support/builders/interactions.js';
import { aSurveyResponse } from '../support/builders/surveys.js';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;

/** Personal data written into the comments below, in the forms a reader could recognise. */
const SECRETS = [
  '138 1234 5678',
  '13812345678',
  'li.wei@example.com',
  '110101199003071234',
  '139 8765 4321',
  '13987654321',
  '张伟',
  '6123 4567',
  '13700001111',
  'invalid-answer',
  // issue 27: shapes the first masking rules let through
  '123456789',
  '小明',
  '6222 0212 3456',
  'liwei_1990',
  '建国路',
  '3栋502',
  '203.0.113',
];

interface Answer {
  comment: string;
  overall: number;
  /** Submitted without opening the form: flagged too fast, so not a valid answer. */
  invalid?: boolean;
}

const ANSWERS: Answer[] = [
  {
    comment: '等了两个小时没人回。我的电话 138 1234 5678，邮箱 li.wei@example.com，身份证 110101199003071234',
    overall: 1,
  },
  { comment: '处理太慢了，请打 +86 139 8765 4321 找张伟先生，QQ 123456789，我姓王，叫小明', overall: 2 },
  { comment: '回复有点慢', overall: 4 },
  {
    comment:
      '价格太贵了，联系 021-6123 4567，卡号 6222 0212 3456 7894，微信 liwei_1990，住建国路88号3栋502，IP 203.0.113.45',
    overall: 3,
  },
  { comment: '太慢了，打我手机 13700001111 invalid-answer', overall: 1, invalid: true },
];

const categories: string[][] = [];

beforeAll(async () => {
  // Ten times real time: a customer reading the form for a second of real time read it for 10 s.
  api = await startTestRuntime({ startAt: new Date('2026-11-05T02:00:00Z'), timeScale: 10, schedules: false });
  expect((await api.call('PATCH', '/settings', { body: { reportRecipients: ['quality@example.com'] } })).status).toBe(
    200,
  );
  const tokens: string[] = [];
  for (const [i, answer] of ANSWERS.entries()) {
    const contact = await api.call('POST', '/interactions', {
      as: 'agent',
      body: anInteraction({
        customerId: `C-words-${i}`,
        channel: 'chat',
        team: 'online',
        startedAt: `2026-10-1${i}T02:00:00Z`,
        firstResponseAt: `2026-10-1${i}T02:00:10Z`,
        resolvedAt: `2026-10-1${i}T02:20:00Z`,
      }),
    });
    expect(contact.status).toBe(201);
    const survey = await api.call('POST', '/surveys', {
      as: 'agent',
      body: { subject: { type: 'interaction', id: contact.body.id } },
    });
    expect(survey.status).toBe(201);
    tokens.push(survey.body.token);
    if (!answer.invalid)
      expect((await api.call('GET', `/surveys/${survey.body.token}`, { as: null })).status).toBe(200);
  }
  await new Promise((resolve) => setTimeout(resolve, 1200)); // 12 s on the runtime's clock
  for (const [i, answer] of ANSWERS.entries()) {
    const reply = await api.call('POST', `/surveys/${tokens[i]}/responses`, {
      as: null,
      body: aSurveyResponse({
        overall: answer.overall,
        scores: { responsiveness: 3, professionalism: 4, attitude: 4, resolution: 3, convenience: 4 },
        nps: 3,
        comment: answer.comment,
      }),
    });
    expect(reply.status).toBe(201);
    expect(reply.body.valid).toBe(!answer.invalid);
    categories.push(reply.body.categories);
  }
}, 60_000);
afterAll(() => api?.runtime.stop());

describe('example comments per top problem in the monthly report', () => {
  it('classifies the answers as the test expects (slow response ×3 valid, price ×1)', () => {
    expect(categories.slice(0, 3).every((c) => c.includes('slow_response'))).toBe(true);
    expect(categories[3]).toContain('price');
  });

  it('quotes the two lowest-scored valid answers of each top problem, masked', async () => {
    const { status, body } = await api.call('POST', '/reports/2026-10/generate', { as: 'manager', body: {} });
    expect(status).toBe(200);
    const slow = body.topProblems.find((p: { category: string }) => p.category === 'slow_response');
    const price = body.topProblems.find((p: { category: string }) => p.category === 'price');
    // The invalid answer is not counted and not quoted, though it scored lowest.
    expect(slow).toMatchObject({ count: 3 });
    expect(slow.examples).toEqual([
      {
        text: '等了两个小时没人回。我的电话 138****5678，邮箱 l***@example.com，身份证 11**************34',
        lowestScore: 1,
        day: '2026-10-10',
        channel: 'chat',
      },
      {
        text: '处理太慢了，请打 +86*******4321 找**先生，QQ *********，我姓*，叫**',
        lowestScore: 2,
        day: '2026-10-11',
        channel: 'chat',
      },
    ]);
    expect(price.examples).toEqual([
      {
        text: '价格太贵了，联系 021****4567，卡号 ************7894，微信 **********，住***********，IP ***.*.***.**',
        lowestScore: 3,
        day: '2026-10-13',
        channel: 'chat',
      },
    ]);
    // The third slow-response answer (lowest score 3) is counted but not quoted: two per problem.
    expect(JSON.stringify(body)).not.toContain('回复有点慢');
  });

  it('shows them in the page and the CSV, and never a phone, email or ID unmasked in any format', async () => {
    const json = await api.call('GET', '/reports/2026-10', { as: 'manager' });
    const html = await api.call('GET', '/reports/2026-10/html?lang=zh', { as: 'manager' });
    const htmlEn = await api.call('GET', '/reports/2026-10/html?lang=en', { as: 'manager' });
    const csv = await api.call('GET', '/reports/2026-10/csv?lang=en', { as: 'manager' });
    expect(html.text).toContain('客户原话');
    expect(html.text).toContain('等了两个小时没人回。我的电话 138****5678');
    expect(htmlEn.text).toContain('In the customers&#39; words');
    const block = csv.text.split('\r\n\r\n').find((b) => b.startsWith("# In the customers' words"))!;
    expect(block.split('\r\n')).toEqual([
      "# In the customers' words",
      'category,comment,lowest_score,service_day,channel',
      'slow_response,等了两个小时没人回。我的电话 138****5678，邮箱 l***@example.com，身份证 11**************34,1,2026-10-10,chat',
      'slow_response,处理太慢了，请打 +86*******4321 找**先生，QQ *********，我姓*，叫**,2,2026-10-11,chat',
      'price,价格太贵了，联系 021****4567，卡号 ************7894，微信 **********，住***********，IP ***.*.***.**,3,2026-10-13,chat',
    ]);

    const job = await api.call('POST', '/_local/jobs/monthly-report', { body: { month: '2026-10' } });
    expect(job.body.email).toMatchObject({ status: 'sent' });
    const email = api.runtime.outbox.list().find((m) => m.id === 'report-2026-10@careloop')!;
    const raw = readFileSync(email.file, 'utf8');
    const mail = await simpleParser(raw);
    expect(mail.text).toContain(
      '“价格太贵了，联系 021****4567，卡号 ************7894，微信 **********，住***********，IP ***.*.***.**”',
    );
    const formats = {
      json: JSON.stringify(json.body),
      html: html.text,
      htmlEn: htmlEn.text,
      csv: csv.text,
      emailRaw: raw,
      emailText: mail.text ?? '',
      emailHtml: String(mail.html),
      emailCsv: mail.attachments.map((a) => a.content.toString('utf8')).join('\n'),
    };
    for (const [format, text] of Object.entries(formats))
      for (const secret of SECRETS) expect(text.includes(secret), `${secret} in ${format}`).toBe(false);
  });

  it("drops an erased customer's words from the next build (the pointer holds no text, the answer lost its comment)", async () => {
    expect((await api.call('DELETE', '/customers/C-words-0', { as: 'admin' })).status).toBe(204);
    const { body } = await api.call('POST', '/reports/2026-10/generate', { as: 'manager', body: {} });
    const slow = body.topProblems.find((p: { category: string }) => p.category === 'slow_response');
    // Still counted (the counters are anonymous), no longer quoted: the next lowest-scored answer takes its place.
    expect(slow.count).toBe(3);
    expect(slow.examples.map((x: { text: string }) => x.text)).toEqual([
      '处理太慢了，请打 +86*******4321 找**先生，QQ *********，我姓*，叫**',
      '回复有点慢',
    ]);
  });
});
