import type { RpcErrorCode } from "../../shared/rpc-error.js";
import { RpcError } from "../../shared/rpc-error.js";

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

const TO_GRPC: Record<RpcErrorCode, number> = {
  unknown_method: GrpcStatus.UNIMPLEMENTED,
  invalid_argument: GrpcStatus.INVALID_ARGUMENT,
  bad_message: GrpcStatus.INTERNAL, // grpc-js and grpcio say INTERNAL for undecodable bytes
  too_large: GrpcStatus.RESOURCE_EXHAUSTED,
  remote_error: GrpcStatus.UNKNOWN,
  deadline_exceeded: GrpcStatus.DEADLINE_EXCEEDED,
  canceled: GrpcStatus.CANCELLED,
  unavailable: GrpcStatus.UNAVAILABLE,
  internal: GrpcStatus.INTERNAL,
};

const FROM_GRPC = new Map<number, RpcErrorCode>([
  [GrpcStatus.CANCELLED, "canceled"],
  [GrpcStatus.UNKNOWN, "remote_error"],
  [GrpcStatus.INVALID_ARGUMENT, "invalid_argument"],
  [GrpcStatus.DEADLINE_EXCEEDED, "deadline_exceeded"],
  [GrpcStatus.RESOURCE_EXHAUSTED, "too_large"],
  [GrpcStatus.UNIMPLEMENTED, "unknown_method"],
  [GrpcStatus.UNAVAILABLE, "unavailable"],
]);

/**
 * The course's RpcError code for a `grpc-status` (and back). The pairs: CANCELLED ↔ canceled,
 * UNKNOWN ↔ remote_error, INVALID_ARGUMENT ↔ invalid_argument, DEADLINE_EXCEEDED ↔
 * deadline_exceeded, RESOURCE_EXHAUSTED ↔ too_large, UNIMPLEMENTED ↔ unknown_method,
 * UNAVAILABLE ↔ unavailable; bad_message and internal go out as INTERNAL, and any other
 * status comes back as internal.
 */
export function toGrpcStatus(error: RpcError): number {
  return TO_GRPC[error.code];
}

export function fromGrpcStatus(status: number, message: string): RpcError {
  return new RpcError(FROM_GRPC.get(status) ?? "internal", message || `grpc-status ${status}`);
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
export function encodeTimeout(ms: number): string {
  const whole = Math.max(0, Math.ceil(ms));
  return whole < 1e8 ? `${whole}m` : `${Math.min(Math.ceil(whole / 1000), 99_999_999)}S`;
}

const UNIT_MS: Record<string, number> = {
  H: 3_600_000,
  M: 60_000,
  S: 1000,
  m: 1,
  u: 1e-3,
  n: 1e-6,
};

/** Milliseconds, or undefined when the header is absent or malformed. */
export function parseTimeout(header: string | undefined): number | undefined {
  const match = header === undefined ? null : /^(\d{1,8})([HMSmun])$/.exec(header);
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}
