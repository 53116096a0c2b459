import { RpcError } from "../../shared/rpc-error.js";
import { todo } from "../../shared/todo.js";
import type { Fault } from "./faults.js";
import { decodeValue, escapeText, writeValue, type XmlRpcValue } from "./codec.js";
import {
  childElements,
  parseXml,
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

// The specification's method names: letters, digits, "_", ".", ":" and "/".
const METHOD_NAME = /^[A-Za-z0-9_.:/]+$/;

const malformed = (message: string) => new RpcError("bad_message", message);

export function encodeCall(method: string, params: readonly unknown[] = []): string {
  // Task 4: refuse a name METHOD_NAME does not match (RpcError "invalid_argument"), then
  // build XML_DECLARATION + <methodCall><methodName>…</methodName><params>, one
  // <param>…</param> per parameter (writeValue into the same array), </params></methodCall>.
  // Join once at the end. The test counts the bytes: no spaces, no newlines.
  void [method, params, writeValue];
  return todo("task 4: encodeCall");
}

export function decodeCall(xml: string, options?: ReadOptions): MethodCall {
  // Task 4: parseXml, then check the shape: the root is <methodCall>, it holds <methodName>
  // (its text, trimmed, must match METHOD_NAME) and then <params>, or nothing when a client
  // leaves an empty <params> out. Shape errors throw malformed(...), never XmlSyntaxError:
  // the XML itself was fine. Useful: childElements, textContent, decodeParams
  void [xml, options, parseXml, childElements, textContent, malformed];
  return todo("task 4: decodeCall");
}

export function encodeResponse(value: unknown): string {
  // Task 4: XML_DECLARATION + <methodResponse><params><param><value>…</value></param></params></methodResponse>
  void value;
  return todo("task 4: encodeResponse");
}

export function encodeFault({ faultCode, faultString }: Fault): string {
  // Task 4: <methodResponse><fault><value><struct> with two members: faultCode as <int>,
  // faultString as <string> (escaped) — see the picture at the top of this file.
  void [faultCode, faultString, escapeText];
  return todo("task 4: encodeFault");
}

export function decodeResponse(xml: string, options?: ReadOptions): MethodResponse {
  // Task 4: the root is <methodResponse>, holding either <params> with exactly one <param>
  // → { ok: true, value }, or <fault> holding one <value>: a struct whose faultCode is a
  // number and faultString a string → { ok: false, fault: { faultCode, faultString } }.
  // Anything else throws malformed(...). Useful: decodeParams, decodeValue
  void [xml, options, decodeValue];
  return todo("task 4: decodeResponse");
}

function decodeParams(params: XmlElement): XmlRpcValue[] {
  if (params.name !== "params") throw malformed(`expected <params>, found <${params.name}>`);
  return childElements(params).map((param) => {
    const [value, ...rest] = childElements(param);
    if (param.name !== "param" || !value || rest.length) {
      throw malformed("<params> holds <param> elements of one <value> each");
    }
    return decodeValue(value);
  });
}
