import { RpcError, type RpcErrorCode } from "../../shared/rpc-error.js";
import { XmlSyntaxError } from "./xml-reader.js";

/**
 * Faults both ways: an error on the server becomes { faultCode, faultString }, and a fault
 * on the client becomes an RpcError again. XML-RPC leaves the codes to each server; these
 * follow the widely used "specification for fault code interoperability" (the numbers
 * JSON-RPC 2.0 later took over).
 */

export interface Fault {
  faultCode: number;
  faultString: string;
}

export const FaultCode = {
  /** Not well-formed XML, or a form we refuse: a DOCTYPE, an entity, nesting too deep. */
  parseError: -32700,
  /** Well-formed, but not a valid methodCall: wrong elements, a bad value, an int out of range. */
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  /** The server failed on its own side, e.g. a result XML-RPC cannot carry. */
  internalError: -32603,
  /** The method ran and threw. */
  applicationError: -32500,
} as const;

/**
 * The fault the server sends for an error. An XmlSyntaxError (which is an RpcError too) is a
 * parse error; an RpcError goes by its code ("bad_message" → invalidRequest, "unknown_method"
 * → methodNotFound, "invalid_argument" → invalidParams, any other → applicationError) with its
 * message; a TypeError, the calculator's way to say "wrong arguments", is invalidParams; any
 * other Error is applicationError. Errors that are not RpcErrors keep their name in front, as
 * "Name: message", so a client can tell them apart; anything thrown that is not an Error is
 * "Error: " and its text. Never a stack trace.
 */
export function faultFor(error: unknown): Fault {
  if (error instanceof XmlSyntaxError) {
    return { faultCode: FaultCode.parseError, faultString: error.message };
  }
  if (error instanceof RpcError) {
    const faultCode =
      error.code === "bad_message"
        ? FaultCode.invalidRequest
        : error.code === "unknown_method"
          ? FaultCode.methodNotFound
          : error.code === "invalid_argument"
            ? FaultCode.invalidParams
            : FaultCode.applicationError;
    return { faultCode, faultString: error.message };
  }
  // The calculator checks its arguments by throwing TypeError: for a caller, bad params.
  if (error instanceof TypeError) {
    return { faultCode: FaultCode.invalidParams, faultString: `TypeError: ${error.message}` };
  }
  if (error instanceof Error) {
    return {
      faultCode: FaultCode.applicationError,
      faultString: `${error.name}: ${error.message}`,
    };
  }
  return { faultCode: FaultCode.applicationError, faultString: `Error: ${String(error)}` };
}

const CODES: Record<number, RpcErrorCode> = {
  [FaultCode.parseError]: "bad_message",
  [-32701]: "bad_message", // unsupported encoding
  [-32702]: "bad_message", // invalid character for encoding
  [FaultCode.invalidRequest]: "bad_message",
  [FaultCode.methodNotFound]: "unknown_method",
  [FaultCode.invalidParams]: "invalid_argument",
  [FaultCode.internalError]: "internal",
};

/** A fault the server sent, as the course's RpcError; faultCode and faultString stay readable. */
export class XmlRpcFault extends RpcError {
  override name = "XmlRpcFault";
  readonly faultCode: number;
  readonly faultString: string;

  constructor({ faultCode, faultString }: Fault) {
    const code = Object.hasOwn(CODES, faultCode) ? CODES[faultCode]! : "remote_error";
    const remote = code === "remote_error" ? splitRemoteName(faultString) : undefined;
    super(code, remote?.message ?? faultString, remote?.name ? { remoteName: remote.name } : {});
    this.faultCode = faultCode;
    this.faultString = faultString;
  }
}

/**
 * "DivisionByZeroError: division by zero" (ours) or "<class 'ZeroDivisionError'>:division by
 * zero" (Python's SimpleXMLRPCServer, whose class may be dotted: keep its last part) → the
 * error's name and its message. Text in neither form is all message. The fault string comes
 * from a stranger: read it in linear time.
 */
function splitRemoteName(faultString: string): { name?: string; message: string } {
  const match =
    /^<class '([\w.]+)'>:\s?([\s\S]*)$/.exec(faultString) ??
    /^([A-Za-z_$][\w$.]*): ([\s\S]*)$/.exec(faultString);
  if (!match) return { message: faultString };
  return { name: match[1]!.split(".").at(-1)!, message: match[2]! };
}
