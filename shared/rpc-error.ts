/**
 * The one error class of the course. Every transport turns its failures into an RpcError with
 * a code a caller can branch on, so `catch (e) { if (e.code === "deadline_exceeded") ... }`
 * reads the same over TCP, HTTP, ZeroMQ or AMQP.
 */
export type RpcErrorCode =
  /** No method answers to that name or call ID. */
  | "unknown_method"
  /** The method exists, but the arguments do not fit it. */
  | "invalid_argument"
  /** The bytes could not be decoded: a broken frame, invalid JSON or XML, a wrong shape. */
  | "bad_message"
  /** A message over the size limit. */
  | "too_large"
  /** The remote function ran and threw; `remoteName` holds the error's name over there. */
  | "remote_error"
  /** No answer before the deadline. */
  | "deadline_exceeded"
  /** The caller gave up (an AbortSignal fired). */
  | "canceled"
  /** The peer cannot be reached: refused, reset, closed, gone. */
  | "unavailable"
  /** A bug or a state nobody planned for. */
  | "internal";

/** Every code, once: a missing or extra one is a compile error. */
const KNOWN_CODES: Record<RpcErrorCode, true> = {
  unknown_method: true,
  invalid_argument: true,
  bad_message: true,
  too_large: true,
  remote_error: true,
  deadline_exceeded: true,
  canceled: true,
  unavailable: true,
  internal: true,
};

/** Whether a code read off the wire is one of ours (own keys only: "__proto__" is not). */
export function isRpcErrorCode(code: string): code is RpcErrorCode {
  return Object.hasOwn(KNOWN_CODES, code);
}

export interface RpcErrorOptions {
  cause?: unknown;
  /** For "remote_error": the name of the error the remote side threw, e.g. "DivisionByZeroError". */
  remoteName?: string;
}

const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: "connection refused — is the server running, and on that port?",
  ECONNRESET: "connection reset by the peer",
  EPIPE: "the connection was closed while writing",
  ENOTFOUND: "host not found",
  EHOSTUNREACH: "host unreachable",
  ETIMEDOUT: "the connection timed out",
};

export class RpcError extends Error {
  override name = "RpcError";
  readonly code: RpcErrorCode;
  readonly remoteName?: string;

  constructor(code: RpcErrorCode, message: string, options: RpcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.remoteName !== undefined) this.remoteName = options.remoteName;
  }

  /** Turns anything that was thrown into an RpcError, keeping the original as `cause`. */
  static from(reason: unknown): RpcError {
    if (reason instanceof RpcError) return reason;
    if (reason instanceof Error) {
      if (reason.name === "TimeoutError") {
        return new RpcError("deadline_exceeded", "no answer before the deadline", {
          cause: reason,
        });
      }
      if (reason.name === "AbortError") {
        return new RpcError("canceled", "the call was canceled", { cause: reason });
      }
      const code = (reason as NodeJS.ErrnoException).code;
      if (code && code in CONNECTION_ERRORS) {
        return new RpcError("unavailable", `${CONNECTION_ERRORS[code]} (${code})`, {
          cause: reason,
        });
      }
      return new RpcError("internal", reason.message, { cause: reason });
    }
    return new RpcError("internal", String(reason), { cause: reason });
  }
}
