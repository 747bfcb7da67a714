/**
 * The escalation workflow of a local runtime with its first check of a milestone gated on the
 * clock (#27.8): the check waits until the test has acted (assigned the complaint, run a job…)
 * and then decides with the runtime's clock stopped at an instant the test chose (inside the
 * warning window), so a deadline-warning assertion never depends on how busy the machine is —
 * the 15-minute window is one real second at 900×. Later checks of that milestone (the deadline,
 * the escalation) run as they come. Pass `handlers` as `workflowHandlers` to startTestRuntime.
 */
import { check as realCheck } from '../../functions/escalation/handler.js';
import type { LocalRuntime } from '../../infra/local/runtime.js';

type CheckEvent = { complaintId: string; milestone: string; announce?: boolean };
type Gate = { opened: Promise<Date>; open(at: Date): void };

export function gatedChecks(milestone: 'respond' | 'solution' | 'close', runtime: () => LocalRuntime) {
  const gates = new Map<string, Gate>();
  const passed = new Set<string>();
  const gateOf = (complaintId: string): Gate => {
    let gate = gates.get(complaintId);
    if (!gate) {
      let open!: (at: Date) => void;
      const opened = new Promise<Date>((resolve) => (open = resolve));
      gate = { opened, open };
      gates.set(complaintId, gate);
    }
    return gate;
  };
  const check = async (event: CheckEvent, context: unknown) => {
    const run = () =>
      (realCheck as unknown as (e: unknown, c: unknown) => Promise<{ outcome?: string }>)(event, context);
    // The registration notices (announce) and every check after the first run as they come.
    if (event.announce || event.milestone !== milestone || passed.has(event.complaintId)) return run();
    const at = await gateOf(event.complaintId).opened;
    passed.add(event.complaintId);
    const { clock } = runtime();
    clock.hold(at);
    try {
      return await run();
    } finally {
      clock.release();
    }
  };
  return {
    handlers: { check: check as never },
    /** Lets the first check of the complaint's milestone run, with the clock stopped at `at` while it decides. */
    release(complaintId: string, at: Date) {
      gateOf(complaintId).open(at);
    },
  };
}
