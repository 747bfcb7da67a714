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

  // revalidate (a list polled with If-None-Match): a real path, a route that takes the header, its params.
  // @ts-expect-error expect: "/complaint"
  await api.revalidate((header) => api.GET('/complaint', { params: { header } }));

  // A single record is not a page (and takes no If-None-Match).
  // @ts-expect-error expect: 'items'
  await api.revalidate((header) => api.GET('/me', { params: { header } }));

  // @ts-expect-error expect: 'path'
  await api.revalidate((header) => api.GET('/complaints/{id}/timeline', { params: { header } }));

  // @ts-expect-error expect: "oldest"
  await api.revalidate((header) => api.GET('/complaints', { params: { query: { sort: 'oldest' }, header } }));

  // An error answer has no data: read it after narrowing, or through ok() / settle().
  const polled = await api.revalidate((header) => api.GET('/complaints', { params: { header } }));
  // @ts-expect-error expect: 'possibly'
  console.log(polled.data.items);

  // `unchanged` (a 304, answered from the page kept) is on revalidate's result only.
  // @ts-expect-error expect: 'unchanged'
  console.log((await api.GET('/complaints')).unchanged);

  // Typed without a cast: the rows of the page polled, and whether the API answered 304.
  const queue = await api.revalidate((header) =>
    api.GET('/complaints', { params: { query: { team: 'north', open: 'true', sort: 'nextDeadline' }, header } }),
  );
  if (queue.data) {
    const names: (string | null)[] = queue.data.items.map((row) => row.customer.name);
    const unchanged: boolean = queue.unchanged;
    console.log(names, unchanged);
  }
  const timeline = await ok(
    api.revalidate((header) => api.GET('/complaints/{id}/timeline', { params: { path: { id }, header } })),
  );
  const actors: (string | null | undefined)[] = timeline.items.map((item) => item.actorName);
  console.log(actors);

  return new ProblemError(undefined, new Response(null, { status: 502 })).status;
}
