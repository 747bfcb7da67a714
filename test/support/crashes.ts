/**
 * Fault injection for a request that dies half-way: a middleware on this process's DynamoDB
 * client (the one every store uses) that counts the writes a use case makes and makes the n-th
 * one fail — `before` it reaches DynamoDB Local (nothing written), or `after` it was written (the
 * answer is lost, as when a Lambda times out or its container dies right after a write).
 * A crash-and-retry test runs a use case once per write and moment, then retries it.
 */
import { rawDynamo } from '../../shared/store/client.js';

const NAME = 'careloop-test-crash-at-write';
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);

/** The error a crash throws, so a test can tell it from a real failure. */
export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
}

export interface CrashInjection {
  /** The writes seen so far, by command name, in order. */
  readonly writes: string[];
  remove(): void;
}

/**
 * Counts writes; with `at`, fails the `at.write`-th (1-based) before or after it reaches the table.
 * `only` picks the writes that count (by their input): the others pass, uncounted — e.g. the
 * writes of a workflow the request started, which run beside it in this process. With
 * `at.dead`, the process is dead from the crash on: every later DynamoDB call fails too, so no
 * error handler of the request can look anything up (a Lambda that timed out runs no catch).
 */
export function crashAtWrite(
  at?: { write: number; moment: 'before' | 'after'; dead?: boolean },
  only: (input: unknown) => boolean = () => true,
): CrashInjection {
  const writes: string[] = [];
  const client = rawDynamo();
  let dead = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (dead) throw new InjectedCrash(`dead after the crash (${command})`);
      if (!WRITES.has(command) || !only(args.input)) return next(args);
      writes.push(command);
      const crash = at?.write === writes.length;
      if (crash && at.dead) dead = true;
      if (crash && at.moment === 'before') throw new InjectedCrash(`crashed before write ${writes.length}`);
      const result = await next(args);
      if (crash) throw new InjectedCrash(`crashed after write ${writes.length} (${command})`);
      return result;
    },
    { step: 'build', name: NAME, override: true },
  );
  return { writes, remove: () => client.middlewareStack.remove(NAME) };
}

export interface HeldWrite<T> extends Pick<CrashInjection, 'remove'> {
  /** What `meanwhile` answered, once the held write was reached (undefined before). */
  readonly meanwhile: Promise<T> | undefined;
}

/**
 * A race decided at the write: the first write `only` picks waits until `meanwhile` has run to its
 * end (e.g. a copy of the same request), then goes on. So a request that read everything and built
 * its write meets the copy exactly where idempotency inside the write must hold: the copy commits
 * first, and this request's write is cancelled on the claim.
 */
export function holdFirstWrite<T>(only: (input: unknown) => boolean, meanwhile: () => Promise<T>): HeldWrite<T> {
  const client = rawDynamo();
  const name = 'careloop-test-hold-first-write';
  let ran: Promise<T> | undefined;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (ran || !WRITES.has(context.commandName ?? '') || !only(args.input)) return next(args);
      ran = meanwhile();
      await ran;
      return next(args);
    },
    { step: 'build', name, override: true },
  );
  return {
    get meanwhile() {
      return ran;
    },
    remove: () => client.middlewareStack.remove(name),
  };
}
