import type { RpcErrorCode } from "../../shared/rpc-error.js";
import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";

/** gRPC's status codes, sent as `grpc-status` in the trailers (0 = OK). */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

/**
 * The course's RpcError code for a `grpc-status` (and back). The pairs: CANCELLED ↔ canceled,
 * UNKNOWN ↔ remote_error, INVALID_ARGUMENT ↔ invalid_argument, DEADLINE_EXCEEDED ↔
 * deadline_exceeded, RESOURCE_EXHAUSTED ↔ too_large, UNIMPLEMENTED ↔ unknown_method,
 * UNAVAILABLE ↔ unavailable; bad_message and internal go out as INTERNAL, and any other
 * status comes back as internal.
 */
export function toGrpcStatus(_error: RpcError): number {
  return todo("task 4: toGrpcStatus");
}

export function fromGrpcStatus(_status: number, _message: string): RpcError {
  return todo("task 4: fromGrpcStatus");
}

/** `grpc-message` is percent-encoded (UTF-8) outside printable ASCII, and `%` itself. */
export function encodeGrpcMessageHeader(text: string): string {
  return text.replace(/[^\x20-\x24\x26-\x7e]/gu, (char) => encodeURIComponent(char));
}

export function decodeGrpcMessageHeader(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * `grpc-timeout`: a positive integer of at most 8 digits, then a unit: H hours, M minutes,
 * S seconds, m milliseconds, u microseconds, n nanoseconds ("250m" is 250 ms).
 */
export function encodeTimeout(_ms: number): string {
  return todo("task 4: encodeTimeout");
}

/** Milliseconds, or undefined when the header is absent or malformed. */
export function parseTimeout(_header: string | undefined): number | undefined {
  return todo("task 4: parseTimeout");
}
