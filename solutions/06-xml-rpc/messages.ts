import { RpcError } from "../../shared/rpc-error.js";
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
export function encodeCall(method: string, params: readonly unknown[] = []): string {
  if (!METHOD_NAME.test(method)) {
    throw new RpcError("invalid_argument", `"${shorten(method)}" is not an XML-RPC method name`);
  }
  const out = [XML_DECLARATION, "<methodCall><methodName>", method, "</methodName><params>"];
  const ancestors = new Set<object>();
  for (const param of params) {
    out.push("<param>");
    writeValue(param, out, ancestors);
    out.push("</param>");
  }
  out.push("</params></methodCall>");
  return out.join("");
}

/**
 * Reads a methodCall: the root is `<methodCall>`, holding `<methodName>` (its text, trimmed,
 * must match METHOD_NAME) and then `<params>`, which some clients leave out when empty. A
 * wrong shape is `malformed(...)`, not an XmlSyntaxError: the XML itself was fine.
 */
export function decodeCall(xml: string, options?: ReadOptions): MethodCall {
  const root = parseXml(xml, options);
  if (root.name !== "methodCall")
    throw malformed(`expected <methodCall>, found <${shorten(root.name)}>`);
  const [nameElement, paramsElement, ...rest] = childElements(root);
  if (nameElement?.name !== "methodName" || rest.length) {
    throw malformed("a <methodCall> holds <methodName> and then <params>");
  }
  const method = textContent(nameElement).trim();
  if (!METHOD_NAME.test(method))
    throw malformed(`"${shorten(method)}" is not an XML-RPC method name`);
  // Some clients leave out an empty <params>.
  return { method, params: paramsElement ? decodeParams(paramsElement) : [] };
}

/** A methodResponse holding one `<param>` with the value, like encodeCall's layout. */
export function encodeResponse(value: unknown): string {
  const out = [XML_DECLARATION, "<methodResponse><params><param>"];
  writeValue(value, out, new Set());
  out.push("</param></params></methodResponse>");
  return out.join("");
}

/**
 * A methodResponse holding a `<fault>`: one `<value>`, a `<struct>` with the members faultCode
 * (an `<int>`) and faultString (a `<string>`, escaped), as in the picture at the top.
 */
export function encodeFault({ faultCode, faultString }: Fault): string {
  return (
    `${XML_DECLARATION}<methodResponse><fault><value><struct>` +
    `<member><name>faultCode</name><value><int>${faultCode}</int></value></member>` +
    `<member><name>faultString</name><value><string>${escapeText(faultString)}</string></value></member>` +
    `</struct></value></fault></methodResponse>`
  );
}

/**
 * Reads a methodResponse: `<params>` with exactly one `<param>` → { ok: true, value }, or a
 * `<fault>` holding one `<value>` that is a struct of a number faultCode and a string
 * faultString → { ok: false, fault }. Anything else is `malformed(...)`.
 */
export function decodeResponse(xml: string, options?: ReadOptions): MethodResponse {
  const root = parseXml(xml, options);
  if (root.name !== "methodResponse") {
    throw malformed(`expected <methodResponse>, found <${shorten(root.name)}>`);
  }
  const [body, ...rest] = childElements(root);
  if (!body || rest.length) throw malformed("a <methodResponse> holds <params> or <fault>");
  if (body.name === "params") {
    const params = decodeParams(body);
    if (params.length !== 1) throw malformed("a <methodResponse> holds exactly one <param>");
    return { ok: true, value: params[0]! };
  }
  if (body.name === "fault") {
    const [value, ...more] = childElements(body);
    if (!value || more.length) throw malformed("a <fault> holds one <value>");
    const fault = decodeValue(value);
    const { faultCode, faultString } = (fault ?? {}) as Record<string, unknown>;
    if (typeof faultCode !== "number" || typeof faultString !== "string") {
      throw malformed("a <fault> is a struct of faultCode (int) and faultString (string)");
    }
    return { ok: false, fault: { faultCode, faultString } };
  }
  throw malformed(`a <methodResponse> holds <params> or <fault>, not <${shorten(body.name)}>`);
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
