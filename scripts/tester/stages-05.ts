import { client05 } from "./client-05.js";
import { httpDecoder } from "../wire/http.js";
import { checkKeepAlive, httpAsk, httpFaultStage, jsonOf, type HttpAnswer } from "./http-link.js";
import {
  CALCULATOR_CALLS,
  checkGreeting,
  expectEqual,
  expectThat,
  show,
  type LessonStages,
  type StageContext,
} from "./stage.js";

/**
 * JSON-RPC 2.0 over HTTP (jsonrpc.org/specification): POST to /, one request object or a
 * batch; replies echo the id; notifications (no id) get no reply; errors carry the spec's codes.
 */
interface Response {
  jsonrpc?: unknown;
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
}

function post(ctx: StageContext, body: unknown, agent?: import("node:http").Agent) {
  return httpAsk(ctx, {
    path: "/",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    agent,
  });
}

async function rpc(ctx: StageContext, body: unknown, what: string): Promise<Response> {
  const answer = await post(ctx, body);
  expectThat(
    answer.status === 200,
    `status 200 for ${what}`,
    `${answer.status} ${answer.body.slice(0, 100)}`,
  );
  return jsonOf(answer, what) as Response;
}

function expectError(response: Response, what: string, code?: number): void {
  expectThat(
    typeof response?.error?.code === "number" && typeof response.error.message === "string",
    `an error object {code, message} for ${what}`,
    show(response),
  );
  if (code !== undefined) expectEqual(`the error code for ${what}`, code, response.error!.code);
}

function expectNoReply(answer: HttpAnswer, what: string): void {
  expectThat(
    answer.status >= 200 && answer.status < 300 && answer.body.trim() === "",
    `no response object for ${what} (an empty 2xx)`,
    `${answer.status} ${answer.body.slice(0, 120)}`,
    "the server must not reply to a notification",
  );
}

export const lesson: LessonStages = {
  client: client05,
  title: "lesson 5, JSON-RPC 2.0 over HTTP",
  ready: "listens",
  decoder: httpDecoder,
  stages: [
    {
      name: "answers the calculator's calls with jsonrpc 2.0, the result and the id",
      async run(ctx) {
        let id = 1;
        for (const c of CALCULATOR_CALLS) {
          const what = `${c.method}(${c.args.join(", ")})`;
          const r = await rpc(ctx, { jsonrpc: "2.0", method: c.method, params: c.args, id }, what);
          expectEqual(`the result of ${what}`, c.result, r.result);
          expectEqual('"jsonrpc"', "2.0", r.jsonrpc);
          expectEqual("the id echoed", id++, r.id);
        }
        const hello = await rpc(
          ctx,
          { jsonrpc: "2.0", method: "hello", params: ["Ada"], id },
          "hello",
        );
        checkGreeting(hello.result, "Ada");
      },
    },
    {
      name: "answers a division by zero with an error object and the id",
      async run(ctx) {
        const r = await rpc(
          ctx,
          { jsonrpc: "2.0", method: "divide", params: [1, 0], id: 3 },
          "divide(1, 0)",
        );
        expectError(r, "divide(1, 0)");
        expectEqual("the id echoed with the error", 3, r.id);
        expectThat(!("result" in r), "no result beside the error", show(r));
      },
    },
    {
      name: "echoes string and number ids as they came",
      async run(ctx) {
        for (const id of ["abc", 0, 2 ** 40, "ünï"]) {
          const r = await rpc(
            ctx,
            { jsonrpc: "2.0", method: "add", params: [1, 1], id },
            `id ${show(id)}`,
          );
          expectEqual("the id echoed", id, r.id);
        }
      },
    },
    {
      name: "answers bad requests with -32700, -32600, -32601 and -32602",
      async run(ctx) {
        const parse = await rpc(
          ctx,
          '{"jsonrpc": "2.0", "method": "add", "params": [1',
          "invalid JSON",
        );
        expectError(parse, "invalid JSON", -32700);
        expectEqual("the id of a parse error", null, parse.id);
        const invalid = await rpc(ctx, { jsonrpc: "2.0", method: 1, params: "bar" }, "method: 1");
        expectError(invalid, "an invalid Request object", -32600);
        const missing = await rpc(
          ctx,
          { jsonrpc: "2.0", method: "nosuch", id: 4 },
          "an unknown method",
        );
        expectError(missing, "an unknown method", -32601);
        expectEqual("the id echoed", 4, missing.id);
        const params = await rpc(
          ctx,
          { jsonrpc: "2.0", method: "add", params: [1, 2, 3], id: 5 },
          "add(1, 2, 3)",
        );
        expectError(params, "add with three params", -32602);
      },
    },
    {
      name: "runs a notification and sends no response object",
      async run(ctx) {
        expectNoReply(
          await post(ctx, { jsonrpc: "2.0", method: "add", params: [1, 2] }),
          "a notification",
        );
        expectNoReply(
          await post(ctx, { jsonrpc: "2.0", method: "divide", params: [1, 0] }),
          "a failing notification",
        );
      },
    },
    {
      name: "answers a batch entry by entry, leaving out its notifications",
      async run(ctx) {
        const answer = await post(ctx, [
          { jsonrpc: "2.0", method: "add", params: [1, 2], id: "a" },
          { jsonrpc: "2.0", method: "add", params: [7, 7] },
          { jsonrpc: "2.0", method: "nosuch", id: "b" },
          { jsonrpc: "2.0", method: "multiply", params: [2, 3], id: "c" },
        ]);
        const batch = jsonOf(answer, "a batch") as Response[];
        expectThat(
          Array.isArray(batch) && batch.length === 3,
          "an array of 3 responses (the notification has none)",
          show(batch),
        );
        const byId = new Map(batch.map((r) => [r.id, r]));
        expectEqual('the result for id "a"', 3, byId.get("a")?.result);
        expectError(byId.get("b")!, 'id "b", an unknown method', -32601);
        expectEqual('the result for id "c"', 6, byId.get("c")?.result);
        const empty = await rpc(ctx, "[]", "an empty batch");
        expectThat(
          !Array.isArray(empty),
          "one error object for an empty batch, not an array",
          show(empty),
        );
        expectError(empty, "an empty batch", -32600);
        expectNoReply(
          await post(ctx, [
            { jsonrpc: "2.0", method: "add", params: [1, 2] },
            { jsonrpc: "2.0", method: "add", params: [3, 4] },
          ]),
          "a batch of notifications only",
        );
      },
    },
    {
      name: "answers 20 calls at once, each with its own result",
      async run(ctx) {
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            rpc(
              ctx,
              { jsonrpc: "2.0", method: "multiply", params: [i, 3], id: i },
              `multiply(${i}, 3)`,
            ),
          ),
        );
        answers.forEach((r, i) => expectEqual(`the result for id ${i}`, i * 3, r.result));
      },
    },
    {
      name: "keeps the connection open between calls (keep-alive)",
      run: (ctx) =>
        checkKeepAlive(
          (agent) => post(ctx, { jsonrpc: "2.0", method: "add", params: [1, 2], id: 1 }, agent),
          ctx.note,
        ),
    },
    {
      name: "survives an oversized body and serves the next call",
      async run(ctx) {
        const big = `{"jsonrpc":"2.0","method":"add","params":[1,2],"id":"${"x".repeat(4 * 1024 * 1024)}"}`;
        await post(ctx, big).catch(() => undefined); // refused or answered: the server's choice
        expectThat(ctx.server.alive(), "the server to keep running", "it exited");
        const r = await rpc(
          ctx,
          { jsonrpc: "2.0", method: "add", params: [20, 22], id: 1 },
          "add(20, 22)",
        );
        expectEqual("add(20, 22) afterwards", 42, r.result);
      },
    },
  ],
  faultStages: [
    httpFaultStage(
      async (at, i) => {
        const answer = await httpAsk(at, {
          path: "/",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", method: "multiply", params: [i, 3], id: i }),
        });
        return (jsonOf(answer, `multiply(${i}, 3)`) as { result?: unknown }).result;
      },
      (i) => i * 3,
    ),
  ],
};
