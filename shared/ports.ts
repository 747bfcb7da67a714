/**
 * The outside world, as the handlers see it. Each port is an interface with an AWS
 * adapter and a local adapter that the local runtime installs with `usePorts()` before it
 * loads the handlers. Handlers call `ports()` and never know which.
 *
 * The dependency rule, for every service (functions/<capability>/service.ts):
 * - the outside world — the clock, email, SMS, workflows, signing keys — comes through these
 *   ports, never through an SDK client of its own;
 * - stores come through a `deps` parameter: each service declares `<Capability>Deps` (its
 *   stores as their interfaces from shared/store, e.g. `SurveyStore`, and the settings), keeps
 *   `defaults` with the DynamoDB implementations, and every use case takes
 *   a `Partial<<Capability>Deps>` last, merged over the defaults, so a test replaces
 *   only what it needs;
 * - what a capability needs from another capability is a function in its deps, provided by the
 *   composition root (functions/composition.ts); capabilities never import each other
 *   (`npm run lint` checks it with dependency-cruiser).
 *
 * AWS adapters that pull in an SDK client (SES, SNS, Step Functions) are provided by the
 * handler modules that need them (`provideDefaults`), so a Lambda bundles only its own clients.
 */
import { type Clock, systemClock } from './domain/clock.js';
import { MESSAGE_CHANNELS } from './domain/message-ids.js';
import type { FileStore, JobRunner } from './jobs/ports.js';
import type { Senders } from './notify/ports.js';
import { type SigningKeys, signingKeysFromEnvironment } from './secrets/survey-signing-key.js';
import type { ExecutionReader, WorkflowStarter } from './workflow/escalation.js';

/**
 * Besides the ports below, one sender per message channel (`email`, `sms`; shared/notify/ports.ts),
 * each sending a message id once: SES and SNS in AWS, the outbox locally. Notices reach them
 * through `send` (shared/notify/send.ts).
 */
export interface Ports extends Senders {
  /** Where "now" comes from: the system clock in AWS, the scaled clock locally. */
  clock: Clock;
  /** Keys that sign survey links: SSM Parameter Store in AWS, the environment locally. */
  signingKeys: SigningKeys;
  /** Starts a complaint's escalation workflow: Step Functions in AWS, the local runner locally. */
  workflows: WorkflowStarter;
  /** Reads an escalation execution's status and states (the audit view): Step Functions in AWS, the local runner locally. */
  executions: ExecutionReader;
  /** Runs a job outside the request (shared/jobs/ports.ts): Lambda invoking itself in AWS, in-process locally. */
  jobs: JobRunner;
  /** Files a job produces, fetched by an expiring link: S3 in AWS, served by the local runtime locally. */
  files: FileStore;
}

/** A placeholder whose every method fails with an instruction, until an adapter is installed. */
function notInstalled<T extends object>(port: keyof Ports): T {
  return new Proxy({} as T, {
    get: (_, method) => () => {
      throw new Error(
        `No ${port} adapter is installed (called ${String(method)}): a handler provides its AWS adapters with provideDefaults(), the local runtime installs its own with usePorts().`,
      );
    },
  });
}

let current: Ports = {
  clock: systemClock,
  signingKeys: signingKeysFromEnvironment(),
  ...(Object.fromEntries(MESSAGE_CHANNELS.map((channel) => [channel, notInstalled(channel)])) as Senders),
  workflows: notInstalled('workflows'),
  executions: notInstalled('executions'),
  jobs: notInstalled('jobs'),
  files: notInstalled('files'),
};
const installed = new Set<keyof Ports>(['clock', 'signingKeys']);

export function ports(): Ports {
  return current;
}

/** Replace some adapters (the local runtime and tests do this). Returns the previous set. */
export function usePorts(overrides: Partial<Ports>): Ports {
  const previous = current;
  current = { ...current, ...overrides };
  for (const name of Object.keys(overrides) as Array<keyof Ports>) installed.add(name);
  return previous;
}

/** Install adapters only where none is installed yet: how a Lambda handler module sets its AWS defaults. */
export function provideDefaults(defaults: { [K in keyof Ports]?: () => Ports[K] }): void {
  for (const [name, make] of Object.entries(defaults) as Array<[keyof Ports, () => Ports[keyof Ports]]>) {
    if (installed.has(name)) continue;
    current = { ...current, [name]: make() };
    installed.add(name);
  }
}
