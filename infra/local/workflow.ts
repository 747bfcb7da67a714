/**
 * The escalation workflow on this machine: the state machine exactly as the CDK construct
 * synthesizes it (infra/aws/constructs/escalation.ts, bundling skipped), run by the
 * aws-local-stepfunctions interpreter, with
 *  - each Task's Lambda mapped to the same export of functions/escalation/handler.ts that AWS runs;
 *  - each Wait mapped to the shared scaled clock: when a Wait state is entered, its own
 *    Timestamp/TimestampPath/Seconds/SecondsPath (read from the synthesized definition) is
 *    evaluated and turned into real milliseconds by the clock, so CARELOOP_TIME_SCALE=3600 makes
 *    a one-hour deadline pass in one second;
 *  - Retry intervals scaled by the same clock (without backoff growth or jitter).
 * Executions are kept in memory with their state transitions, for /_local/executions and the benchmark.
 */

import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { StateMachine as InterpreterMachine } from 'aws-local-stepfunctions';
import { OPEN_STATUSES } from '../../shared/domain/complaints/loop.js';
import { type EscalationInput, escalationInput } from '../../shared/domain/complaints/workflow.js';
import { defined } from '../../shared/domain/errors.js';
import { DAY } from '../../shared/domain/time.js';
import { dynamoComplaintStore } from '../../shared/store/complaints.js';
import type { ExecutionHistory, ExecutionReader, WorkflowStarter } from '../../shared/workflow/escalation.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Definition = { StartAt: string; States: Record<string, Record<string, any>>; [key: string]: unknown };

/** Every escalation task lives in this module (the construct creates each task function from it). */
const TASK_MODULE = new URL('../../functions/escalation/handler.ts', import.meta.url);
const LOCAL_REGION = 'us-east-1';
const LOCAL_ACCOUNT = '000000000000';
/** setTimeout's limit; a longer wait wakes early, the check finds the deadline still ahead and waits again. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SynthesizedWorkflow {
  /** The definition CDK synthesized, with the Lambda ARNs resolved to local placeholders. */
  definition: Definition;
  /** Task state name → the handler export that serves it. */
  taskHandlers: Record<string, string>;
}

/** CloudFormation's Fn::Join / Fn::GetAtt, as far as a state machine definition uses them. */
function resolveIntrinsics(value: unknown, template: { Resources: Record<string, any> }): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, any>;
  if (object['Fn::Join']) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolveIntrinsics(part, template)).join(separator);
  }
  if (object['Fn::GetAtt']) {
    const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
    const resource = template.Resources[logicalId];
    if (resource?.Type === 'AWS::Lambda::Function' && attribute === 'Arn')
      return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${logicalId}`;
  }
  throw new Error(`the local runner cannot resolve ${JSON.stringify(value)} in the state machine definition`);
}

/**
 * Synthesizes the Escalation construct in-process (no bundling, no CloudFormation validation)
 * and takes its state machine definition from the template. The CDK is loaded on first use
 * only, so a runtime that never starts a workflow does not pay for it.
 */
export function synthesizeEscalation(): Promise<SynthesizedWorkflow> {
  // One synthesis per process: the construct does not change while it runs.
  synthesized ??= synthesize();
  return synthesized;
}
let synthesized: Promise<SynthesizedWorkflow> | undefined;

async function synthesize(): Promise<SynthesizedWorkflow> {
  const { App, Stack } = await import('aws-cdk-lib');
  const { Data } = await import('../aws/constructs/data.js');
  const { Escalation } = await import('../aws/constructs/escalation.js');
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  // The construct sits where the CareLoop stack puts it (id `Escalation`), so logical ids match `npm run synth`.
  const stack = new Stack(app, 'CareLoopLocalEscalation');
  new Escalation(stack, 'Escalation', { data: new Data(stack, 'Data'), senderEmail: 'careloop@localhost' });
  return workflowFromTemplate(app.synth().getStackByName(stack.stackName).template as CloudFormationTemplate);
}

type CloudFormationTemplate = { Resources: Record<string, any> };

/** The escalation state machine of a synthesized template, with its Lambda ARNs resolved and each task's handler export. */
export function workflowFromTemplate(template: CloudFormationTemplate): SynthesizedWorkflow {
  const machines = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::StepFunctions::StateMachine',
  );
  if (machines.length !== 1) throw new Error(`expected one state machine in the template, found ${machines.length}`);
  const definition = JSON.parse(resolveIntrinsics(machines[0].Properties.DefinitionString, template)) as Definition;

  const taskHandlers: Record<string, string> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const logicalId = String(state.Resource).split(':function:')[1];
    const handler = logicalId ? template.Resources[logicalId]?.Properties?.Handler : undefined;
    if (typeof handler !== 'string' || !handler.startsWith('index.'))
      throw new Error(`task ${name} does not invoke a CareLoop Lambda (${state.Resource})`);
    taskHandlers[name] = handler.slice('index.'.length);
    // The mirror below follows what tasks write; it would be wrong for shapes this definition does not use.
    if (state.ResultSelector || state.OutputPath || state.InputPath)
      throw new Error(
        `task ${name} uses ResultSelector/OutputPath/InputPath, which the local wait mapping does not follow`,
      );
  }
  return { definition, taskHandlers };
}

/** Reads a JSONPath of the simple dotted form `$.a.b` (what this definition uses). */
function readPath(document: Json, path: string): Json | undefined {
  if (path === '$') return document;
  if (!/^\$(\.[A-Za-z_][\w]*)+$/.test(path)) throw new Error(`the local runner follows dotted paths only, not ${path}`);
  let current: Json | undefined = document;
  for (const key of path.slice(2).split('.'))
    current = current && typeof current === 'object' && !Array.isArray(current) ? current[key] : undefined;
  return current;
}

function writePath(document: Json, path: string | null | undefined, value: Json): Json {
  if (path === null) return document;
  if (path === undefined || path === '$') return value;
  readPath(document, path); // validates the form
  const keys = path.slice(2).split('.');
  const last = keys.pop() ?? '';
  const root = structuredClone(document) as Record<string, Json>;
  let current = root;
  for (const key of keys) {
    if (!current[key] || typeof current[key] !== 'object') current[key] = {};
    current = current[key] as Record<string, Json>;
  }
  current[last] = value;
  return root;
}

export interface ExecutionRecord {
  name: string;
  executionArn: string;
  input: EscalationInput;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** Billable state transitions: every state entered, every retry. */
  transitions: number;
  /** The states entered, in order (retries marked). */
  path: string[];
  /** The states entered, in order, each with the (scaled) time it was entered: the audit view's `states`. */
  states: Array<{ name: string; enteredAt: string }>;
  startedAt: string;
  stoppedAt?: string;
  output?: unknown;
  error?: string;
  done: Promise<void>;
}

type Handler = (event: unknown, context: unknown) => Promise<Json>;

export interface LocalWorkflowOptions {
  clock: { now(): Date; scale: number; realDelayUntil(at: Date): number };
  log?: (line: string) => void;
  /** Replace task handlers (tests that simulate failures). */
  handlers?: Partial<Record<string, Handler>>;
}

function lambdaContext(functionName: string) {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, 30_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The workflow-starter port, locally: starts executions of the synthesized definition in this process. */
export class LocalWorkflowRunner implements WorkflowStarter, ExecutionReader {
  readonly executions = new Map<string, ExecutionRecord>();
  private readonly aborts = new Map<string, () => void>();
  private prepared?: Promise<{
    machine: InterpreterMachine;
    workflow: SynthesizedWorkflow;
    handlers: Record<string, Handler>;
  }>;

  constructor(private readonly options: LocalWorkflowOptions) {}

  executionArn(name: string): string {
    return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:careloop-escalation:${name}`;
  }

  /** Synthesizes and loads everything once (a few seconds); the first start waits for it. */
  prepare() {
    this.prepared ??= (async () => {
      const workflow = await synthesizeEscalation();
      const { StateMachine } = await import('aws-local-stepfunctions');
      const module = (await import(pathToFileURL(TASK_MODULE.pathname).href)) as Record<string, unknown>;
      const handlers: Record<string, Handler> = {};
      for (const [state, name] of Object.entries(workflow.taskHandlers)) {
        const handler = this.options.handlers?.[name] ?? module[name];
        if (typeof handler !== 'function')
          throw new Error(`functions/escalation/handler.ts has no export ${name} (task ${state})`);
        handlers[state] = handler as Handler;
      }
      // A copy: the interpreter's validator writes defaults into the definition it is given.
      const machine = new StateMachine(structuredClone(workflow.definition) as never, {
        validationOptions: { checkArn: true, checkPaths: true },
      });
      return { machine, workflow, handlers };
    })();
    return this.prepared;
  }

  async start(name: string, input: EscalationInput): Promise<void> {
    // Like StartExecution: a name that exists already is left alone.
    if (this.executions.has(name)) return;
    const record: ExecutionRecord = {
      name,
      executionArn: this.executionArn(name),
      input,
      status: 'RUNNING',
      transitions: 0,
      path: [],
      states: [],
      startedAt: this.options.clock.now().toISOString(),
      done: Promise.resolve(),
    };
    this.executions.set(name, record);
    const prepared = this.prepare();
    record.done = prepared.then(({ machine, workflow, handlers }) => this.run(record, machine, workflow, handlers));
    // The caller learns about a definition that does not load; the execution itself runs on in the background.
    await prepared;
  }

  /**
   * The execution-history port, locally: what this runner recorded of an execution it started.
   * Executions live in memory: one that ran before the runtime restarted is not known (like an
   * execution whose history Step Functions no longer keeps).
   */
  async describe(executionArn: string): Promise<ExecutionHistory | undefined> {
    const name = executionArn.startsWith(this.executionArn('')) ? executionArn.slice(this.executionArn('').length) : '';
    const record = this.executions.get(name);
    if (!record) return undefined;
    return {
      status: record.status,
      startedAt: record.startedAt,
      ...(record.stoppedAt ? { stoppedAt: record.stoppedAt } : {}),
      states: record.states.map((state) => ({ ...state })),
    };
  }

  /** Resolves when the execution has ended (for tests and the benchmark). */
  async finished(name: string): Promise<ExecutionRecord> {
    const record = this.executions.get(name);
    if (!record) throw new Error(`no execution ${name}`);
    await record.done;
    return record;
  }

  /**
   * Starts an execution for every open complaint of the last year: executions live in memory, so
   * after a restart on persisted data (CARELOOP_DATA_DIR) they would be gone. Each check re-reads
   * its complaint, so a restarted execution picks up where the old one stood (escalations are not repeated).
   */
  async resumeOpenComplaints(now: Date): Promise<number> {
    let started = 0;
    for (const status of OPEN_STATUSES) {
      let cursor: string | undefined;
      do {
        const page = await dynamoComplaintStore.list({
          status,
          fromInstant: new Date(now.getTime() - 366 * DAY).toISOString(),
          // Also any registered "ahead" of this clock (a clock restarted behind the data must not skip them).
          toInstant: new Date(now.getTime() + 366 * DAY).toISOString(),
          limit: 100,
          cursor,
        });
        for (const complaint of page.items) {
          if (this.executions.has(complaint.escalation.executionName)) continue;
          await this.start(complaint.escalation.executionName, escalationInput(complaint));
          started += 1;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return started;
  }

  /** Aborts every running execution (the runtime is stopping). */
  async stop(): Promise<void> {
    for (const abort of this.aborts.values()) abort();
    await Promise.all([...this.executions.values()].map((record) => record.done));
  }

  private async run(
    record: ExecutionRecord,
    machine: InterpreterMachine,
    workflow: SynthesizedWorkflow,
    handlers: Record<string, Handler>,
  ): Promise<void> {
    const { clock } = this.options;
    const states = workflow.definition.States;
    // What Wait states read: the execution input plus each task's answer at its ResultPath (Choices and Waits pass data through).
    let document = structuredClone(record.input) as unknown as Json;
    const taskResourceLocalHandlers = Object.fromEntries(
      Object.entries(handlers).map(([state, handler]) => [
        state,
        async (input: Json) => {
          const result = await handler(input, lambdaContext(`careloop-escalation-${workflow.taskHandlers[state]}`));
          document = writePath(document, defined(states[state], `state ${state}`).ResultPath, result);
          return result;
        },
      ]),
    );
    const waitTimeOverrides = new Proxy({} as Record<string, number>, {
      get: (_, stateName) => {
        const state = typeof stateName === 'string' ? states[stateName] : undefined;
        if (state?.Type !== 'Wait') return undefined;
        let milliseconds: number;
        if (state.Seconds !== undefined || state.SecondsPath) {
          const seconds = Number(state.Seconds ?? readPath(document, state.SecondsPath));
          milliseconds = (seconds * 1000) / clock.scale;
        } else {
          const timestamp = state.Timestamp ?? readPath(document, state.TimestampPath);
          if (typeof timestamp !== 'string')
            throw new Error(`wait ${String(stateName)} has no timestamp at ${state.TimestampPath}`);
          milliseconds = clock.realDelayUntil(new Date(timestamp));
        }
        return Math.min(MAX_TIMER_MS, Math.max(0, Math.round(milliseconds)));
      },
    });
    const retryIntervalOverrides = new Proxy({} as Record<string, number[]>, {
      get: (_, stateName) => {
        const retriers =
          typeof stateName === 'string'
            ? (states[stateName]?.Retry as Array<{ IntervalSeconds?: number }> | undefined)
            : undefined;
        return retriers?.map((retrier) => ((retrier.IntervalSeconds ?? 1) * 1000) / clock.scale);
      },
    });

    const execution = machine.run(record.input as never, {
      overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides } as never,
      noThrowOnAbort: true,
      context: { Execution: { Id: record.executionArn, Name: record.name } },
    });
    this.aborts.set(record.name, () => execution.abort());
    const counting = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') {
          record.transitions += 1;
          record.path.push(event.state.name);
          record.states.push({ name: event.state.name, enteredAt: clock.now().toISOString() });
        } else if (event.type === 'StateRetried') {
          record.transitions += 1;
          record.path.push(`${event.state.name} (retry)`);
        }
      }
    })();
    try {
      const output = await execution.result;
      // With noThrowOnAbort an aborted execution answers null; a finished one answers its state.
      record.status = output === null ? 'ABORTED' : 'SUCCEEDED';
      record.output = output;
    } catch (error) {
      record.status = 'FAILED';
      record.error = (error as Error).message;
      this.options.log?.(`escalation execution ${record.name} failed: ${record.error}`);
    } finally {
      this.aborts.delete(record.name);
      record.stoppedAt = clock.now().toISOString();
      await counting.catch(() => undefined);
    }
  }
}
