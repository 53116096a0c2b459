import { todo } from "../../shared/todo.js";

/**
 * Which notifications an endpoint wants, like oslo's NotificationFilter: regular expressions
 * on the publisher, the event type, and fields of the context, metadata and payload. Each must
 * match from the start of the value, as Python's re.match does: "compute\\." matches
 * "compute.instance.create.end" but not "nova.compute.x".
 */
export interface FilterRules {
  publisherId?: string;
  eventType?: string;
  context?: Record<string, string>;
  metadata?: Record<string, string>;
  payload?: Record<string, string>;
}

export interface Candidate {
  context: Record<string, unknown>;
  publisherId: unknown;
  eventType: unknown;
  metadata: Record<string, unknown>;
  payload: unknown;
}

export class NotificationFilter {
  readonly #publisherId?: RegExp;
  readonly #eventType?: RegExp;
  readonly #context: [string, RegExp][];
  readonly #metadata: [string, RegExp][];
  readonly #payload: [string, RegExp][];

  /** Compiles every rule once, here: a notification is matched far more often than built. */
  constructor(rules: FilterRules) {
    todo("task 2: NotificationFilter constructor");
  }

  /** True when every rule holds; a notification without a rule for some part passes it. */
  match(candidate: Candidate): boolean {
    return todo("task 2: NotificationFilter.match");
  }
}

/** Anchored at the start only, like re.match: "compute" also matches "compute.host1". */
function fromStart(pattern: string): RegExp {
  return todo("task 2: fromStart");
}

function fields(rules: Record<string, string> | undefined): [string, RegExp][] {
  return Object.entries(rules ?? {}).map(([key, pattern]) => [key, fromStart(pattern)]);
}

/** No rule matches anything; a rule never matches a value that is not a string. */
function matches(value: unknown, rule: RegExp | undefined): boolean {
  return todo("task 2: matches");
}

/**
 * Every rule's key must be the data's own property (never one inherited from Object.prototype,
 * so "constructor" or "__proto__" never match by accident) with a value the rule matches.
 */
function matchesFields(data: unknown, rules: [string, RegExp][]): boolean {
  return todo("task 2: matchesFields");
}
