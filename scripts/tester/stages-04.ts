import { httpDecoder } from "../wire/http.js";
import { checkKeepAlive, httpAsk, httpFaultStage, jsonOf, type HttpAnswer } from "./http-link.js";
import {
  CALCULATOR_CALLS,
  checkGreeting,
  expectEqual,
  expectThat,
  show,
  StageFailure,
  type LessonStages,
  type StageContext,
} from "./stage.js";

/**
 * Lesson 4's HTTP: GET /<method>?a=&b= answers {"result": …}; POST /rpc takes
 * {"method", "params", "id"} and answers {"id", "result"} or {"error": {"code", "message"}},
 * with a status that says what kind of failure it was.
 */
const JSON_TYPE = { "content-type": "application/json" };

function post(ctx: StageContext, body: unknown, extra: { agent?: import("node:http").Agent } = {}) {
  return httpAsk(ctx, {
    path: "/rpc",
    headers: JSON_TYPE,
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...extra,
  });
}

function expectStatus(answer: HttpAnswer, what: string, ...statuses: number[]): void {
  expectThat(
    statuses.includes(answer.status),
    `status ${statuses.join(" or ")} for ${what}`,
    `${answer.status} ${answer.body.slice(0, 120)}`,
  );
}

function expectErrorBody(answer: HttpAnswer, what: string): void {
  const body = jsonOf(answer, what) as { error?: { code?: unknown; message?: unknown } };
  expectThat(
    typeof body?.error?.message === "string",
    `a body {"error": {"code", "message"}} for ${what}`,
    show(body),
  );
  expectThat(
    !/\n\s+at |\/[\w.-]+\/[\w.-]+\.(ts|js|py)\b/.test(answer.body),
    `no stack trace or file path in the error for ${what}`,
    answer.body.slice(0, 160),
  );
}

async function expectServesNext(ctx: StageContext): Promise<void> {
  expectThat(ctx.server.alive(), "the server to keep running", "it exited");
  const answer = await post(ctx, { method: "add", params: [20, 22], id: 9 });
  expectStatus(answer, "add(20, 22) afterwards", 200);
  expectEqual("the result of add(20, 22) afterwards", 42, (jsonOf(answer, "add") as any).result);
}

export const lesson: LessonStages = {
  title: "lesson 4, RPC over HTTP",
  ready: "listens",
  decoder: httpDecoder,
  stages: [
    {
      name: 'answers GET /add?a=1&b=2 with {"result": 3}',
      async run(ctx) {
        for (const c of CALCULATOR_CALLS) {
          const path = `/${c.method}?a=${c.args[0]}&b=${c.args[1]}`;
          const answer = await httpAsk(ctx, { method: "GET", path });
          expectStatus(answer, `GET ${path}`, 200);
          expectEqual(`the result of GET ${path}`, c.result, (jsonOf(answer, path) as any)?.result);
        }
      },
    },
    {
      name: "refuses a bad query with 400 and an unknown method with 404",
      async run(ctx) {
        const bad = await httpAsk(ctx, { method: "GET", path: "/add?a=one&b=2" });
        expectStatus(bad, "GET /add?a=one&b=2", 400);
        expectErrorBody(bad, "GET /add?a=one&b=2");
        for (const name of ["nosuch", "__proto__", "constructor"]) {
          const missing = await httpAsk(ctx, { method: "GET", path: `/${name}?a=1&b=2` });
          expectStatus(missing, `GET /${name}?a=1&b=2`, 404);
        }
      },
    },
    {
      name: "answers POST /rpc {method, params, id} with {id, result}",
      async run(ctx) {
        let id = 1;
        for (const c of CALCULATOR_CALLS) {
          const answer = await post(ctx, { method: c.method, params: c.args, id });
          expectStatus(answer, `POST /rpc ${c.method}`, 200);
          const body = jsonOf(answer, c.method) as { id?: unknown; result?: unknown };
          expectEqual(`the result of ${c.method}(${c.args.join(", ")})`, c.result, body?.result);
          expectEqual("the id echoed", id++, body?.id);
        }
        const hello = await post(ctx, { method: "hello", params: ["Ada"], id: "h" });
        checkGreeting((jsonOf(hello, "hello") as any)?.result, "Ada");
        expectEqual("the string id echoed", "h", (jsonOf(hello, "hello") as any)?.id);
      },
    },
    {
      name: "answers a division by zero with 422, an error body and the id",
      async run(ctx) {
        const answer = await post(ctx, { method: "divide", params: [1, 0], id: 5 });
        expectStatus(answer, "divide(1, 0), a method that threw", 422);
        expectErrorBody(answer, "divide(1, 0)");
        expectEqual("the id echoed with the error", 5, (jsonOf(answer, "divide") as any)?.id);
      },
    },
    {
      name: "says what was wrong with a request in its status: 405, 415, 400, 404",
      async run(ctx) {
        const get = await httpAsk(ctx, { method: "GET", path: "/rpc" });
        expectStatus(get, "GET /rpc", 405);
        expectThat(
          /POST/i.test(String(get.headers.allow ?? "")),
          "an Allow: POST header",
          show(get.headers.allow),
        );
        const text = await httpAsk(ctx, {
          path: "/rpc",
          headers: { "content-type": "text/plain" },
          body: '{"method":"add","params":[1,2],"id":1}',
        });
        expectStatus(text, "a body sent as text/plain", 415);
        const broken = await post(ctx, '{"method": "add", "params": [1, 2');
        expectStatus(broken, "a body that is not JSON", 400);
        expectErrorBody(broken, "a body that is not JSON");
        const shape = await post(ctx, { method: 42, params: "x" });
        expectStatus(shape, "a body of the wrong shape", 400);
        const unknown = await post(ctx, { method: "nosuch", params: [], id: 1 });
        expectStatus(unknown, "an unknown method", 404);
        await expectServesNext(ctx);
      },
    },
    {
      name: "refuses an oversized body with 413, and serves the next call",
      async run(ctx) {
        const big = `{"method":"add","params":[1,2],"id":"${"x".repeat(2 * 1024 * 1024)}"}`;
        const answer = await post(ctx, big).catch((error: Error) => {
          throw new StageFailure("413 for a 2 MB body", error.message);
        });
        expectStatus(answer, "a 2 MB body", 413);
        await expectServesNext(ctx);
      },
    },
    {
      name: "keeps the connection open between calls (keep-alive)",
      run: (ctx) =>
        checkKeepAlive(
          (agent) => post(ctx, { method: "add", params: [1, 2], id: 1 }, { agent }),
          ctx.note,
        ),
    },
  ],
  faultStages: [
    httpFaultStage(
      async (at, i) => {
        const answer = await httpAsk(at, { method: "GET", path: `/multiply?a=${i}&b=3` });
        return (jsonOf(answer, `GET /multiply?a=${i}&b=3`) as { result?: unknown }).result;
      },
      (i) => i * 3,
    ),
  ],
};
