/**
 * Misuses the compiler must refuse, each marked `@ts-expect-error expect: <a fragment of tsc's message>`.
 * The root typecheck compiles this file (an unused directive is an error); test/types.test.ts also
 * compiles a copy without the directives and checks each line fails with its message.
 * Not run: it only has to compile.
 */
import { type CareLoopClient, createClient, ok, ProblemError, type StrictPaths, settle } from '../../src/index.js';

declare const api: CareLoopClient;
declare const strict: CareLoopClient<StrictPaths>;

export async function misuses(id: string) {
  // @ts-expect-error expect: "/complaint"
  await api.GET('/complaint', {});

  // @ts-expect-error expect: "oldest"
  await api.GET('/complaints', { params: { query: { sort: 'oldest' } } });

  // @ts-expect-error expect: "shout"
  await api.POST('/complaints/{id}/events', { params: { path: { id } }, body: { type: 'shout' } });

  // @ts-expect-error expect: 'customerId'
  await api.POST('/complaints', { body: { channel: 'phone', category: 'x', severity: 'low', description: 'd' } });

  // @ts-expect-error expect: 'path'
  await api.GET('/complaints/{id}', { params: {} });

  const me = await ok(api.GET('/me'));
  // @ts-expect-error expect: 'nmae'
  console.log(me.nmae);

  // A client with requireIfMatch: a write that takes If-Match cannot leave it out.
  // @ts-expect-error expect: 'If-Match'
  await strict.PATCH('/settings', { params: { header: {} }, body: { api: { requireIfMatch: true } } });

  // @ts-expect-error expect: 'params'
  await strict.POST('/complaints/{id}/events', { body: { type: 'assign', assigneeId: 'a' } });

  // The same writes with If-Match compile; creations and reads need none.
  await strict.PATCH('/settings', { params: { header: strict.ifMatch('/settings') }, body: {} });
  await strict.POST('/complaints/{id}/events', {
    params: { path: { id }, header: { 'If-Match': '"3"' } },
    body: { type: 'assign', assigneeId: 'a' },
  });
  await strict.GET('/complaints/{id}', { params: { path: { id } } });

  // The `current` of a conflict is the route's own record type.
  const sent = await settle(api.PATCH('/interactions/{id}', { params: { path: { id } }, body: {} }));
  if (!sent.ok) {
    const category: string | undefined = sent.problem.current?.category;
    // @ts-expect-error expect: 'allowedEvents'
    console.log(category, sent.problem.current?.allowedEvents);
  }

  // Pages yield the list's own rows.
  const rows = await ok(api.GET('/interactions'));
  // @ts-expect-error expect: 'nextDeadlin'
  console.log(rows.items[0]?.nextDeadlin);

  // @ts-expect-error expect: 'baseUrl'
  createClient({ token: 't' });

  return new ProblemError(undefined, new Response(null, { status: 502 })).status;
}
