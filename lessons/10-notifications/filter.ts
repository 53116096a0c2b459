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

  constructor(rules: FilterRules) {
    // Task 2: compile each rule with fromStart(); the dict rules with fields().
    void rules;
    this.#context = this.#metadata = this.#payload = [];
    todo("task 2: NotificationFilter constructor");
  }

  match({ context, publisherId, eventType, metadata, payload }: Candidate): boolean {
    // Task 2: every rule must hold: matches(publisherId, this.#publisherId), the same for the
    // event type, and matchesFields(...) for context, metadata and payload.
    void [context, publisherId, eventType, metadata, payload, this.#publisherId, this.#eventType];
    return todo("task 2: NotificationFilter.match");
  }
}

/** Anchored at the start only, like re.match: "compute" also matches "compute.host1". */
function fromStart(pattern: string): RegExp {
  // Task 2: a RegExp that must match at the start of the value (but not at the end).
  void pattern;
  return todo("task 2: fromStart");
}

function fields(rules: Record<string, string> | undefined): [string, RegExp][] {
  return Object.entries(rules ?? {}).map(([key, pattern]) => [key, fromStart(pattern)]);
}

/** No rule matches anything; a rule never matches a value that is not a string. */
function matches(value: unknown, rule: RegExp | undefined): boolean {
  // Task 2: true without a rule; otherwise only a string the rule matches.
  void [value, rule];
  return todo("task 2: matches");
}

function matchesFields(data: unknown, rules: [string, RegExp][]): boolean {
  // Task 2: true without rules; otherwise data must be an object that has each key as its
  // own (Object.hasOwn) with a value the rule matches.
  void [data, rules];
  return todo("task 2: matchesFields");
}
