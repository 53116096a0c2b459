import type { Context } from "./envelope.js";

/**
 * The serializer hook: turns an application's objects into JSON-ready values on the way out
 * and back on the way in. nova sends its versioned objects through one; the context (who
 * asks, which request) gets its own pair of methods.
 */
export interface Serializer {
  serializeEntity(context: Context, entity: unknown): unknown;
  deserializeEntity(context: Context, entity: unknown): unknown;
  serializeContext(context: Context): Context;
  deserializeContext(context: Context): Context;
}

/** Leaves everything as it is: plain JSON values need no help. */
export const noOpSerializer: Serializer = {
  serializeEntity: (_context, entity) => entity,
  deserializeEntity: (_context, entity) => entity,
  serializeContext: (context) => context,
  deserializeContext: (context) => context,
};
