import type { Transport } from "../lib/transport.js";
import { XmlRpcClient } from "../../solutions/06-xml-rpc/client.js";
import { serveXmlRpc } from "../../solutions/06-xml-rpc/server.js";

/**
 * Lesson 6: `npm run call -- xmlrpc+http://127.0.0.1:8088 add 1 2` posts an XML-RPC methodCall
 * to http://127.0.0.1:8088/RPC2 (the path Python's ServerProxy uses when none is given).
 */
export const transport: Transport = {
  schemes: ["xmlrpc+http:"],
  describe: "lesson 6, XML-RPC over HTTP: xmlrpc+http://127.0.0.1:8088[/RPC2]",
  async call(url, method, args, { timeoutMs }) {
    const path = url.pathname === "" || url.pathname === "/" ? "/RPC2" : url.pathname;
    const client = new XmlRpcClient(`http://${url.host}${path}${url.search}`);
    try {
      return printable(await client.call(method, args, { timeoutMs }));
    } finally {
      client.close(); // no keep-alive socket left behind: the command exits at once
    }
  },
  async serve(url, service) {
    const server = await serveXmlRpc(service, { host: url.hostname, port: Number(url.port) });
    return { url: server.url.replace(/^http:/, "xmlrpc+http:"), close: () => server.close() };
  },
};

/** The CLI prints JSON: bytes become base64 text, dates ISO text. */
function printable(value: unknown): unknown {
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return value.map(printable);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)]));
  }
  return value;
}
