/**
 * The managed category list over real HTTP (contract "Categories and causes (v1.2)"): listed for all
 * staff, edited by admins with If-Match, refused on complaints and improvements when unknown,
 * inactive or malformed, and no figure moves when a category is renamed (figures count codes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestApi } from '../support/runtime.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestRuntime({ startAt: new Date('2026-11-10T02:00:00Z'), schedules: false });
});
afterAll(() => api?.runtime.stop());

const complaint = (category: string, customerId = 'C-cat-1') => ({
  customerId,
  channel: 'phone',
  category,
  severity: 'low',
  description: 'The parcel came a week late',
});
const improvement = (category: string) => ({
  problem: 'Parcels late in the east',
  measure: 'Second courier for the east region',
  department: 'Logistics',
  ownerId: 'M-07',
  dueDate: '2026-11-30',
  category,
});
const put = (code: string, body: unknown, ifMatch?: string) =>
  api.call('PUT', `/categories/${code}`, {
    as: 'admin',
    body,
    ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
  });
const fieldErrors = (body: { errors?: Array<{ path: string; code: string }> }) =>
  (body.errors ?? []).map((e) => [e.path, e.code]);

describe('GET /categories', () => {
  it('lists the built-in categories from the seeds to every member of staff, bilingual, with comment categories mapped', async () => {
    const reply = await api.call('GET', '/categories', { as: 'agent' });
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((c: { code: string }) => c.code).sort()).toEqual(
      [
        'after_sales_repair',
        'app_website',
        'logistics',
        'other',
        'price_billing',
        'process_policy',
        'product_defect',
        'quality',
        'response_speed',
        'service_attitude',
      ].sort(),
    );
    const logistics = reply.body.items.find((c: { code: string }) => c.code === 'logistics');
    expect(logistics).toMatchObject({
      name: { zh: '物流配送', en: 'Logistics and delivery' },
      parent: null,
      active: true,
      builtIn: true,
      commentCategories: ['delivery'],
      version: 1,
    });
    expect((await api.call('GET', '/categories', { as: null })).status).toBe(401);
  });
});

describe('PUT /categories/{code}', () => {
  it('edits a category with If-Match: the ETag moves on, a stale one is a 412, agents may not edit', async () => {
    const read = await api.call('GET', '/categories/quality', { as: 'supervisor' });
    expect(read.headers.get('etag')).toBe('"1"');
    const body = { name: { zh: '质量问题', en: 'Product quality' }, active: true };
    expect((await api.call('PUT', '/categories/quality', { as: 'manager', body })).status).toBe(403);
    const saved = await put('quality', body, read.headers.get('etag')!);
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    expect(saved.body).toMatchObject({ code: 'quality', name: { en: 'Product quality' }, updatedBy: 'test-admin' });
    const stale = await put('quality', { ...body, name: { zh: '质量', en: 'Quality' } }, '"1"');
    expect(stale.status).toBe(412);
    expect((await api.call('GET', '/categories/quality')).body.name.en).toBe('Product quality');
  });

  it('adds a child category (201) and refuses a parent cycle, an unknown parent and deactivating a parent with children', async () => {
    const child = await put('courier_delay', {
      name: { zh: '快递延误', en: 'Courier delay' },
      parent: 'logistics',
      active: true,
    });
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({ code: 'courier_delay', parent: 'logistics', builtIn: false, version: 1 });

    const cycle = await put('logistics', {
      name: { zh: '物流配送', en: 'Logistics' },
      parent: 'courier_delay',
      active: true,
    });
    expect(cycle.status).toBe(400);
    expect(fieldErrors(cycle.body)).toEqual([['parent', 'invalid']]);
    const self = await put('other', { name: { zh: '其他', en: 'Other' }, parent: 'other', active: true });
    expect(fieldErrors(self.body)).toEqual([['parent', 'invalid']]);

    const unknownParent = await put('late_van', {
      name: { zh: '货车晚到', en: 'Late van' },
      parent: 'nowhere',
      active: true,
    });
    expect(unknownParent.status).toBe(400);
    expect(fieldErrors(unknownParent.body)).toEqual([['parent', 'not_in_list']]);

    const deactivate = await put('logistics', {
      name: { zh: '物流配送', en: 'Logistics and delivery' },
      active: false,
    });
    expect(deactivate.status).toBe(409);
    expect(fieldErrors(deactivate.body)).toEqual([['active', 'invalid']]);
    expect((await api.call('GET', '/categories/logistics')).body).toMatchObject({ active: true, version: 1 });
  });

  it('refuses a malformed code, a bad name and a former free slug as a new code, naming the field', async () => {
    const malformed = await put('Bad-Code', { name: { zh: '坏', en: 'Bad' }, active: true });
    expect(malformed.status).toBe(400);
    expect(fieldErrors(malformed.body)).toEqual([['code', 'invalid_format']]);
    const noName = await put('gifts', { name: { zh: '', en: 'Gifts' }, active: true });
    expect(fieldErrors(noName.body)).toEqual([['name.zh', 'required']]);
    const legacy = await put('shipping', { name: { zh: '运输', en: 'Shipping' }, active: true });
    expect(legacy.status).toBe(400);
    expect(fieldErrors(legacy.body)).toEqual([['code', 'invalid']]);
  });
});

describe('complaints and improvements name an active code', () => {
  it('refuses an unknown, inactive or malformed category on a complaint and on an improvement (400 not_in_list)', async () => {
    for (const [category, code] of [
      ['delivery', 'not_in_list'],
      ['no_such_code', 'not_in_list'],
      ['Delivery!', 'invalid_format'],
    ]) {
      const c = await api.call('POST', '/complaints', { as: 'agent', body: complaint(category!) });
      expect(c.status, category).toBe(400);
      expect(fieldErrors(c.body)).toEqual([['category', code]]);
      const i = await api.call('POST', '/improvements', { as: 'manager', body: improvement(category!) });
      expect(i.status, category).toBe(400);
      expect(fieldErrors(i.body)).toEqual([['category', code]]);
    }
    await put('seasonal', { name: { zh: '季节性', en: 'Seasonal' }, active: false });
    const inactive = await api.call('POST', '/complaints', { as: 'agent', body: complaint('seasonal') });
    expect(fieldErrors(inactive.body)).toEqual([['category', 'not_in_list']]);
    expect((await api.call('POST', '/improvements', { as: 'manager', body: improvement('seasonal') })).status).toBe(
      400,
    );
    expect((await api.call('POST', '/improvements', { as: 'manager', body: improvement('logistics') })).status).toBe(
      201,
    );
  });

  it('counts by code: renaming a category changes no figure', async () => {
    const first = await api.call('POST', '/complaints', { as: 'agent', body: complaint('logistics', 'C-cat-2') });
    expect(first.status).toBe(201);
    const before = await api.call('GET', '/metrics?from=2026-11-10&to=2026-11-10', { as: 'manager' });
    expect(before.body.complaints.byCategory).toEqual({ logistics: 1 });
    const current = await api.call('GET', '/categories/logistics');
    await put(
      'logistics',
      { name: { zh: '物流', en: 'Shipping and delivery' }, active: true },
      current.headers.get('etag')!,
    );
    const after = await api.call('GET', '/metrics?from=2026-11-10&to=2026-11-10', { as: 'manager' });
    expect(after.body.complaints.byCategory).toEqual({ logistics: 1 });
    expect(after.body.complaints.categoryShares).toEqual(before.body.complaints.categoryShares);
  });
});
