import {
  decodeResponse,
  encodeCall,
  type MethodResponse,
} from "../../solutions/06-xml-rpc/messages.js";
import { httpDecoder } from "../wire/http.js";
import { httpAsk, httpFaultStage, type HttpAnswer } from "./http-link.js";
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
 * XML-RPC (xmlrpc.com/spec.md) over HTTP: POST a methodCall to /RPC2 as text/xml; the reply
 * is a methodResponse with one param, or a fault struct of faultCode (int) and faultString.
 */
const PATH = "/RPC2";

function postXml(ctx: StageContext, xml: string): Promise<HttpAnswer> {
  return httpAsk(ctx, { path: PATH, headers: { "content-type": "text/xml" }, body: xml });
}

async function callXml(ctx: StageContext, method: string, params: unknown[]) {
  const what = `${method}(${params.map((p) => show(p)).join(", ")})`;
  const answer = await postXml(ctx, encodeCall(method, params));
  expectThat(
    answer.status === 200,
    `status 200 for ${what}`,
    `${answer.status} ${answer.body.slice(0, 100)}`,
  );
  let response: MethodResponse;
  try {
    response = decodeResponse(answer.body);
  } catch (error) {
    throw new StageFailure(`a methodResponse to ${what}`, (error as Error).message);
  }
  return { response, xml: answer.body, what };
}

function expectValue(response: MethodResponse, what: string, value: unknown): void {
  if (!response.ok) {
    throw new StageFailure(
      `${what} = ${show(value)}`,
      `fault ${response.fault.faultCode}: ${response.fault.faultString}`,
    );
  }
  expectEqual(what, value, response.value);
}

function expectFault(response: MethodResponse, what: string): void {
  expectThat(
    !response.ok,
    `a fault {faultCode, faultString} for ${what}`,
    response.ok ? show(response.value) : "",
  );
}

/** Bad XML gets a fault or a 4xx, never a crash, a hang or an expanded entity. */
async function expectRefused(ctx: StageContext, xml: string, what: string): Promise<void> {
  const answer = await postXml(ctx, xml).catch((error: Error) => {
    throw new StageFailure(`a fault or a 4xx for ${what}`, error.message);
  });
  if (answer.status === 200) {
    let response: MethodResponse | undefined;
    try {
      response = decodeResponse(answer.body);
    } catch {
      // shown below
    }
    expectThat(response?.ok === false, `a fault for ${what}`, answer.body.slice(0, 160));
  } else {
    expectThat(
      answer.status >= 400 && answer.status < 500,
      `a fault or a 4xx for ${what}`,
      String(answer.status),
    );
  }
  expectThat(
    !answer.body.includes("EXPANDED"),
    `no entity expanded for ${what}`,
    answer.body.slice(0, 160),
  );
}

async function expectServesNext(ctx: StageContext): Promise<void> {
  expectThat(ctx.server.alive(), "the server to keep running", "it exited");
  const { response } = await callXml(ctx, "add", [20, 22]);
  expectValue(response, "add(20, 22) afterwards", 42);
}

export const lesson: LessonStages = {
  title: "lesson 6, XML-RPC over HTTP",
  ready: "listens",
  decoder: httpDecoder,
  stages: [
    {
      name: "answers the calculator's calls at /RPC2",
      async run(ctx) {
        for (const c of CALCULATOR_CALLS) {
          const { response, what } = await callXml(ctx, c.method, c.args);
          expectValue(response, what, c.result);
        }
        const { response } = await callXml(ctx, "hello", ["Ada"]);
        checkGreeting(response.ok ? response.value : undefined, "Ada");
      },
    },
    {
      name: "keeps types: int stays <int>, double stays <double>, text survives & and <",
      async run(ctx) {
        const int = await callXml(ctx, "add", [1, 2]);
        expectThat(
          /<(int|i4)>3<\/(int|i4)>/.test(int.xml),
          "add(1, 2) answered as <int>3</int> or <i4>3</i4>",
          int.xml.slice(0, 200),
        );
        const double = await callXml(ctx, "add", [1.5, 2.25]);
        expectThat(
          /<double>3\.75<\/double>/.test(double.xml),
          "add(1.5, 2.25) answered as <double>3.75</double>",
          double.xml.slice(0, 200),
        );
        const name = 'Åsa & <Bob> "ü"';
        const hello = await callXml(ctx, "hello", [name]);
        checkGreeting(hello.response.ok ? hello.response.value : undefined, name);
      },
    },
    {
      name: "answers a division by zero and an unknown method with a fault",
      async run(ctx) {
        const zero = await callXml(ctx, "divide", [1, 0]);
        expectFault(zero.response, "divide(1, 0)");
        const missing = await callXml(ctx, "nosuch", []);
        expectFault(missing.response, "an unknown method");
      },
    },
    {
      name: "lists its methods and runs system.multicall, each call with its own fate",
      async run(ctx) {
        const list = await callXml(ctx, "system.listMethods", []);
        const names = list.response.ok ? list.response.value : [];
        for (const m of ["add", "subtract", "multiply", "divide", "hello"]) {
          expectThat(
            Array.isArray(names) && names.includes(m),
            `system.listMethods to include "${m}"`,
            show(names),
          );
        }
        const multi = await callXml(ctx, "system.multicall", [
          [
            { methodName: "add", params: [1, 2] },
            { methodName: "divide", params: [1, 0] },
            { methodName: "multiply", params: [3, 4] },
          ],
        ]);
        const value = multi.response.ok ? (multi.response.value as unknown[]) : undefined;
        expectThat(
          Array.isArray(value) && value.length === 3,
          "an array of three outcomes",
          show(value),
        );
        expectEqual("the first outcome", [3], value![0]);
        const fault = value![1] as { faultCode?: unknown; faultString?: unknown };
        expectThat(
          typeof fault?.faultCode === "number" && typeof fault.faultString === "string",
          "a fault struct for divide(1, 0)",
          show(fault),
        );
        expectEqual("the third outcome", [12], value![2]);
      },
    },
    {
      name: "refuses malformed XML and an entity bomb, and serves the next call",
      async run(ctx) {
        await expectRefused(
          ctx,
          '<?xml version="1.0"?><methodCall><methodName>add</methodName><params>',
          "cut-off XML",
        );
        await expectRefused(ctx, "this is not XML", "text that is not XML");
        // Ten levels of ten: a billion "lol"s if expanded. Refusing every DOCTYPE passes, and
        // so does a parser that expands a little and stops the amplification (expat ≥ 2.4).
        const levels = Array.from(
          { length: 9 },
          (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`,
        );
        await expectRefused(
          ctx,
          `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY l0 "EXPANDED">${levels.join("")}]><methodCall><methodName>hello</methodName><params><param><value><string>&l9;</string></value></param></params></methodCall>`,
          "a billion laughs (entities nested ten deep)",
        );
        await expectServesNext(ctx);
      },
    },
    {
      name: "survives an oversized body and absurd nesting, and serves the next call",
      async run(ctx) {
        const deep = `<?xml version="1.0"?><methodCall><methodName>add</methodName><params><param>${"<value><array><data>".repeat(5000)}${"</data></array></value>".repeat(5000)}</param></params></methodCall>`;
        await expectRefused(ctx, deep, "values nested 5,000 deep");
        const big = encodeCall("hello", ["x".repeat(4 * 1024 * 1024)]);
        await postXml(ctx, big).catch(() => undefined); // refused or answered: the server's choice
        await expectServesNext(ctx);
      },
    },
    {
      name: "answers 20 calls at once, each with its own result",
      async run(ctx) {
        const outcomes = await Promise.all(
          Array.from({ length: 20 }, (_, i) => callXml(ctx, "multiply", [i, 3])),
        );
        outcomes.forEach((o, i) => expectValue(o.response, o.what, i * 3));
      },
    },
  ],
  faultStages: [
    httpFaultStage(
      async (at, i) => {
        const answer = await httpAsk(at, {
          path: PATH,
          headers: { "content-type": "text/xml" },
          body: encodeCall("multiply", [i, 3]),
        });
        const response = decodeResponse(answer.body);
        return response.ok ? response.value : `fault ${response.fault.faultString}`;
      },
      (i) => i * 3,
    ),
  ],
};
