import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import type { Fault } from "./faults.js";
import { decodeValue, escapeText, writeValue, type XmlRpcValue } from "./codec.js";
import {
  childElements,
  parseXml,
  shorten,
  textContent,
  type ReadOptions,
  type XmlElement,
} from "./xml-reader.js";

/**
 * The three documents of XML-RPC:
 *
 *   <methodCall>                         <methodResponse>            <methodResponse>
 *     <methodName>add</methodName>         <params><param>             <fault><value><struct>
 *     <params>                               <value>…</value>            faultCode   <int>
 *       <param><value>…</value></param>    </param></params>             faultString <string>
 *       …                                </methodResponse>             </struct></value></fault>
 *     </params>                                                      </methodResponse>
 *   </methodCall>
 */

export interface MethodCall {
  method: string;
  params: XmlRpcValue[];
}

export type MethodResponse = { ok: true; value: XmlRpcValue } | { ok: false; fault: Fault };

export const XML_DECLARATION = '<?xml version="1.0"?>';

// The specification's method names: letters, digits, "_", ".", ":" and "/". At most 255 of
// them here, so that an error naming the method (e.g. "no method named ...") stays short.
const METHOD_NAME = /^[A-Za-z0-9_.:/]{1,255}$/;

const malformed = (message: string) => new RpcError("bad_message", message);

/**
 * A methodCall document: XML_DECLARATION, then `<methodCall>` with the `<methodName>` and one
 * `<param>` per parameter, with no whitespace anywhere (the tests count the bytes). Written into
 * one array with `writeValue` and joined once. A name METHOD_NAME refuses is "invalid_argument".
 */
export function encodeCall(_method: string, _params: readonly unknown[] = []): string {
  return todo("task 4: encodeCall");
}

/**
 * Reads a methodCall: the root is `<methodCall>`, holding `<methodName>` (its text, trimmed,
 * must match METHOD_NAME) and then `<params>`, which some clients leave out when empty. A
 * wrong shape is `malformed(...)`, not an XmlSyntaxError: the XML itself was fine.
 */
export function decodeCall(_xml: string, _options?: ReadOptions): MethodCall {
  return todo("task 4: decodeCall");
}

/** A methodResponse holding one `<param>` with the value, like encodeCall's layout. */
export function encodeResponse(_value: unknown): string {
  return todo("task 4: encodeResponse");
}

/**
 * A methodResponse holding a `<fault>`: one `<value>`, a `<struct>` with the members faultCode
 * (an `<int>`) and faultString (a `<string>`, escaped), as in the picture at the top.
 */
export function encodeFault(_fault: Fault): string {
  return todo("task 4: encodeFault");
}

/**
 * Reads a methodResponse: `<params>` with exactly one `<param>` → { ok: true, value }, or a
 * `<fault>` holding one `<value>` that is a struct of a number faultCode and a string
 * faultString → { ok: false, fault }. Anything else is `malformed(...)`.
 */
export function decodeResponse(_xml: string, _options?: ReadOptions): MethodResponse {
  return todo("task 4: decodeResponse");
}

function decodeParams(params: XmlElement): XmlRpcValue[] {
  if (params.name !== "params")
    throw malformed(`expected <params>, found <${shorten(params.name)}>`);
  return childElements(params).map((param) => {
    const [value, ...rest] = childElements(param);
    if (param.name !== "param" || !value || rest.length) {
      throw malformed("<params> holds <param> elements of one <value> each");
    }
    return decodeValue(value);
  });
}
