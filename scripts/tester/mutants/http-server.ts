import http from "node:http";
import { createHttpRpcServer } from "../../../solutions/04-http/server.js";
import { createJsonRpcServer } from "../../../solutions/05-json-rpc/server.js";
import { createXmlRpcServer } from "../../../solutions/06-xml-rpc/server.js";
import { calculator } from "../../../shared/calculator.js";

/**
 * A reference HTTP server of lesson $LESSON (4, 5 or 6) on $PORT, with one deliberate fault
 * ($MUTANT) made by rewriting what it answers, to prove the tester fails it at the stage that
 * names the fault:
 *   4 thrown-as-500        a method that threw answers 500 instead of 422
 *   5 wrong-error-code     "method not found" answers -32600 instead of -32601
 *   5 answers-notification a notification gets a response object
 *   6 int-as-double        integers come back as <double>
 *   (none)                 the reference, unchanged
 */
const lesson = Number(process.env.LESSON);
const mutant = process.env.MUTANT ?? "";
const reference =
  lesson === 4
    ? createHttpRpcServer(calculator, { logError: () => {} })
    : lesson === 5
      ? createJsonRpcServer(calculator)
      : createXmlRpcServer(calculator);

/** Each mutation: what it changes in a request's answer. */
function rewrite(
  body: string,
  status: number,
  requestBody: string,
): { body: string; status: number } {
  if (mutant === "thrown-as-500" && status === 422) return { body, status: 500 };
  if (mutant === "wrong-error-code") return { body: body.replaceAll("-32601", "-32600"), status };
  if (mutant === "answers-notification" && body === "" && !requestBody.startsWith("[")) {
    return { body: '{"jsonrpc":"2.0","result":null,"id":null}', status: 200 };
  }
  if (mutant === "int-as-double") {
    return { body: body.replace(/<(int|i4)>(-?\d+)<\/(int|i4)>/g, "<double>$2</double>"), status };
  }
  return { body, status };
}

const front = http.createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const requestBody = Buffer.concat(chunks).toString();
  // The reference answers a copy of the request, in this process, through a pair of sockets.
  const answer = await new Promise<{ status: number; body: string; type?: string }>((resolve) => {
    const inner = http.request(
      {
        host: "127.0.0.1",
        port: (reference.address() as { port: number }).port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, connection: "close" },
        agent: false,
      },
      (reply) => {
        const parts: Buffer[] = [];
        reply.on("data", (c: Buffer) => parts.push(c));
        reply.on("end", () =>
          resolve({
            status: reply.statusCode ?? 500,
            body: Buffer.concat(parts).toString(),
            type: reply.headers["content-type"],
          }),
        );
      },
    );
    inner.on("error", () => resolve({ status: 502, body: "" }));
    inner.end(requestBody);
  });
  const changed = rewrite(answer.body, answer.status, requestBody);
  response.writeHead(changed.status, {
    ...(answer.type ? { "content-type": answer.type } : {}),
    ...(request.method !== "POST" ? { allow: "POST" } : {}),
  });
  response.end(changed.body);
});

reference.listen(0, "127.0.0.1", () => front.listen(Number(process.env.PORT), "127.0.0.1"));
