/**
 * The outside world, as the handlers see it. Each port is an interface with an AWS
 * adapter (the default here) and a local adapter that the local runtime installs with
 * `usePorts()` before it loads the handlers. Handlers call `ports()` and never know which.
 */
import { systemClock, type Clock } from './domain/clock.js';
import { signingKeysFromEnvironment, type SurveySigningKeys } from './secrets/survey-signing-key.js';

export interface Ports {
  /** Where "now" comes from: the system clock in AWS, the scaled clock locally. */
  clock: Clock;
  /** Keys that sign survey links: SSM Parameter Store in AWS, the environment locally. */
  surveySigningKeys: SurveySigningKeys;
}

let current: Ports = {
  clock: systemClock,
  surveySigningKeys: signingKeysFromEnvironment(),
};

export function ports(): Ports {
  return current;
}

/** Replace some adapters (the local runtime and tests do this). Returns the previous set. */
export function usePorts(overrides: Partial<Ports>): Ports {
  const previous = current;
  current = { ...current, ...overrides };
  return previous;
}
