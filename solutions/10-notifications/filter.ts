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
    if (rules.publisherId !== undefined) this.#publisherId = fromStart(rules.publisherId);
    if (rules.eventType !== undefined) this.#eventType = fromStart(rules.eventType);
    this.#context = fields(rules.context);
    this.#metadata = fields(rules.metadata);
    this.#payload = fields(rules.payload);
  }

  /** True when every rule holds; a notification without a rule for some part passes it. */
  match({ context, publisherId, eventType, metadata, payload }: Candidate): boolean {
    return (
      matches(publisherId, this.#publisherId) &&
      matches(eventType, this.#eventType) &&
      matchesFields(context, this.#context) &&
      matchesFields(metadata, this.#metadata) &&
      matchesFields(payload, this.#payload)
    );
  }
}

/** Anchored at the start only, like re.match: "compute" also matches "compute.host1". */
function fromStart(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})`);
}

function fields(rules: Record<string, string> | undefined): [string, RegExp][] {
  return Object.entries(rules ?? {}).map(([key, pattern]) => [key, fromStart(pattern)]);
}

/** No rule matches anything; a rule never matches a value that is not a string. */
function matches(value: unknown, rule: RegExp | undefined): boolean {
  return rule === undefined || (typeof value === "string" && rule.test(value));
}

/**
 * Every rule's key must be the data's own property (never one inherited from Object.prototype,
 * so "constructor" or "__proto__" never match by accident) with a value the rule matches.
 */
function matchesFields(data: unknown, rules: [string, RegExp][]): boolean {
  if (rules.length === 0) return true;
  if (typeof data !== "object" || data === null) return false;
  return rules.every(
    ([key, rule]) =>
      Object.hasOwn(data, key) && matches((data as Record<string, unknown>)[key], rule),
  );
}
