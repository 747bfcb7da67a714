/**
 * Node 20 compatibility, loaded first by the local runtime and the tests. aws-local-stepfunctions 3 targets
 * Node 22 and calls Promise.withResolvers, which Node 20 lacks.
 */
const promise = Promise as unknown as { withResolvers?: unknown };
promise.withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  const created = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise: created, resolve, reject };
};

// Deployed Lambdas run on Node 22; silence the SDK's notice about Node 20 for local runs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export {};
