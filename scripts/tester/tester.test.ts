import net from "node:net";
import { describe, expect, it } from "vitest";
import { rawDecoder } from "../wire/raw.js";
import { startProxy } from "../wire/proxy.js";
import { describePlan, faultRelay, planFor } from "./fault-proxy.js";
import { parseTesterArgs, tester } from "./tester.js";
import { h2FrameSummary } from "./h2-summary.js";

/**
 * The tester against the course's own servers: every reference passes, and each deliberately
 * broken server (scripts/tester/mutants/) fails at the stage that names its fault. Each run
 * starts a real command, so these take a few seconds each.
 */
const TSX = ["node", "--import", "tsx"];
const SERVE = (url: string) => [
  "sh",
  "-c",
  `exec node --import tsx scripts/course.ts serve ${url}`,
];

async function runTester(args: string[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const code = await tester(args, (line) => lines.push(line), env);
  return { code, lines, text: lines.join("\n") };
}

/** The name of the stage that failed, from the report's "stage N failed: name" line. */
function failedStage(text: string): string | undefined {
  return /^stage \d+ failed: (.*)$/m.exec(text)?.[1];
}

describe("the tester's command line", () => {
  it("takes the lesson, its options, then the command", () => {
    expect(
      parseTesterArgs(["03-raw-tcp", "--stage", "2", "--faults", "42", "node", "s.js"]),
    ).toEqual({
      lesson: 3,
      stage: 2,
      faults: 42,
      verbose: false,
      client: false,
      readyMs: 60_000,
      command: ["node", "s.js"],
    });
    expect(parseTesterArgs(["6", "--", "--odd-name"]).command).toEqual(["--odd-name"]);
    expect(() => parseTesterArgs(["3"])).toThrow(/no command/);
    expect(() => parseTesterArgs(["3", "--faults", "x", "cmd"])).toThrow(/whole number/);
  });
});

describe("the fault proxy", () => {
  it("plans each connection from the seed alone", () => {
    const plans = (seed: number) => [1, 2, 3, 4, 5].map((n) => describePlan(planFor({ seed }, n)));
    expect(plans(42)).toEqual(plans(42));
    expect(plans(42)).not.toEqual(plans(43));
  });

  it("delivers every byte in order through cuts, delays and stalls", async () => {
    const echo = net.createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    const plans: string[] = [];
    const proxy = await startProxy({
      upstream: { host: "127.0.0.1", port: (echo.address() as net.AddressInfo).port },
      decoder: () => rawDecoder(),
      onMessage: () => {},
      relay: faultRelay({ seed: 7, dropChance: 0 }, (line) => plans.push(line)),
    });
    const sent = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));
    const socket = net.connect({ host: "127.0.0.1", port: proxy.port });
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.write(sent);
    await new Promise<void>((resolve) => {
      const check = () => Buffer.concat(received).length >= sent.length && resolve();
      socket.on("data", check);
    });
    socket.destroy();
    await proxy.close();
    await new Promise((resolve) => echo.close(resolve));
    expect(Buffer.concat(received).equals(sent)).toBe(true);
    expect(plans).toEqual([describePlan(planFor({ seed: 7, dropChance: 0 }, 1))]);
  });
});

describe("lesson 11's transcript without an HTTP/2 decoder in the wire", () => {
  it("names each HTTP/2 frame and reads a DATA frame's gRPC prefix, cut anywhere", () => {
    const frame = (type: number, flags: number, stream: number, payload: Buffer) => {
      const header = Buffer.alloc(9);
      header.writeUIntBE(payload.length, 0, 3);
      header[3] = type;
      header[4] = flags;
      header.writeUInt32BE(stream, 5);
      return Buffer.concat([header, payload]);
    };
    const bytes = Buffer.concat([
      Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
      frame(4, 0, 0, Buffer.alloc(0)),
      frame(0, 1, 1, Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01])),
    ]);
    for (const cut of [1, 24, 30, 40, bytes.length - 1]) {
      const decoder = h2FrameSummary("to-server");
      const messages = [
        ...decoder.push(bytes.subarray(0, cut)),
        ...decoder.push(bytes.subarray(cut)),
      ];
      expect(messages.map((m) => m.title)).toEqual([
        "HTTP/2 connection preface",
        "HTTP/2 SETTINGS stream 0, 0 B",
        "HTTP/2 DATA stream 1 [END_STREAM], 7 B",
      ]);
      expect(messages[2]!.lines).toEqual(["gRPC message: compressed 0, 2 B"]);
    }
  });
});

describe.concurrent("lesson 3: raw TCP frames", () => {
  it("passes the reference server", { timeout: 90_000 }, async () => {
    const run = await runTester(["3", ...SERVE("tcp://127.0.0.1:$PORT")]);
    expect(run.text).toContain("all 10 stages passed");
    expect(run.code).toBe(0);
  });

  it.each([
    ["reply-id-zero", "echoes each request id in its reply"],
    ["first-frame-only", "answers three calls pipelined in one write"],
    ["crash-on-bad-frame", "closes a connection that sends garbage, and serves the next client"],
  ])(
    "fails a server with the fault %s at the stage “%s”",
    { timeout: 90_000 },
    async (mutant, stage) => {
      const run = await runTester(["3", ...TSX, "scripts/tester/mutants/03-server.ts"], {
        MUTANT: mutant,
      });
      expect(failedStage(run.text), run.text).toBe(stage);
      expect(run.text).toContain("the exchange, decoded:");
      expect(run.code).toBe(1);
    },
  );

  it("replays the same faults for the same seed", { timeout: 120_000 }, async () => {
    const args = ["3", "--faults", "42", ...SERVE("tcp://127.0.0.1:$PORT")];
    const faults = (text: string) => text.split("\n").filter((l) => /seed|^fault/.test(l));
    const first = await runTester(args);
    const second = await runTester(args);
    expect(first.code, first.text).toBe(0);
    expect(second.code, second.text).toBe(0);
    expect(faults(first.text).length).toBeGreaterThan(5);
    expect(faults(second.text)).toEqual(faults(first.text));
  });
});

describe.concurrent("lessons 4–6: HTTP, JSON-RPC, XML-RPC", () => {
  const HTTP = [...TSX, "scripts/tester/mutants/http-server.ts"];

  it.each([
    ["4", 7],
    ["5", 9],
    ["6", 7],
  ])("passes lesson %s's reference", { timeout: 90_000 }, async (lesson, stages) => {
    const run = await runTester([lesson, ...HTTP], { LESSON: lesson, MUTANT: "" });
    expect(run.text).toContain(`all ${stages} stages passed`);
  });

  it.each([
    ["4", "thrown-as-500", "answers a division by zero with 422, an error body and the id"],
    ["5", "wrong-error-code", "answers bad requests with -32700, -32600, -32601 and -32602"],
    ["5", "answers-notification", "runs a notification and sends no response object"],
    [
      "6",
      "int-as-double",
      "keeps types: int stays <int>, double stays <double>, text survives & and <",
    ],
  ])(
    "fails lesson %s's server with the fault %s at its stage",
    { timeout: 90_000 },
    async (lesson, mutant, stage) => {
      const run = await runTester([lesson, ...HTTP], { LESSON: lesson, MUTANT: mutant });
      expect(failedStage(run.text), run.text).toBe(stage);
      expect(run.code).toBe(1);
    },
  );

  it("passes npm run serve's JSON-RPC and XML-RPC servers", { timeout: 90_000 }, async () => {
    const json = await runTester(["5", ...SERVE("http://127.0.0.1:$PORT/")]);
    expect(json.code, json.text).toBe(0);
    const xml = await runTester(["6", ...SERVE("xmlrpc+http://127.0.0.1:$PORT")]);
    expect(xml.code, xml.text).toBe(0);
  });
});

describe.concurrent("lessons 7, 11 and 12: zerorpc, gRPC, MCP", () => {
  it(
    "passes lesson 7's reference (npm run serve zerorpc+tcp://)",
    { timeout: 90_000 },
    async () => {
      const run = await runTester(["7", ...SERVE("zerorpc+tcp://127.0.0.1:$PORT")]);
      expect(run.code, run.text).toBe(0);
    },
  );

  it("passes lesson 11's demo server", { timeout: 90_000 }, async () => {
    const run = await runTester([
      "11",
      ...["sh", "-c", "exec node --import tsx scripts/course.ts demo 11 server --port $PORT"],
    ]);
    expect(run.code, run.text).toBe(0);
  });

  it("passes the MCP SDK's own server (lesson 12)", { timeout: 90_000 }, async () => {
    const run = await runTester(["12", ...TSX, "interop/tester/12-mcp-sdk-server.ts"]);
    expect(run.code, run.text).toBe(0);
  });

  it.each([
    [
      "11",
      "divide-ok",
      "ends a division by zero with an error status, and an unknown method with UNIMPLEMENTED",
    ],
    [
      "12",
      "divide-not-error",
      "reports a tool's failure with isError, and protocol errors with JSON-RPC codes",
    ],
  ])(
    "fails lesson %s's server with the fault %s at its stage",
    { timeout: 90_000 },
    async (lesson, mutant, stage) => {
      const run = await runTester([lesson, ...TSX, `scripts/tester/mutants/${lesson}-server.ts`], {
        MUTANT: mutant,
      });
      expect(failedStage(run.text), run.text).toBe(stage);
      expect(run.code).toBe(1);
    },
  );

  it(
    "answers an MCP server's own request in the middle of a call",
    { timeout: 90_000 },
    async () => {
      const run = await runTester(
        ["12", "--verbose", ...TSX, "scripts/tester/mutants/12-server.ts"],
        {
          MUTANT: "asks-roots",
        },
      );
      expect(run.text).toMatch(/server → tester .*request \d+ roots\/list/);
      expect(run.text).toContain("the server asked: roots/list (answered)");
      expect(run.code, run.text).toBe(0);
    },
  );

  it("runs only the first K stages with --stage K", { timeout: 90_000 }, async () => {
    const run = await runTester(
      ["3", "--stage", "2", ...TSX, "scripts/tester/mutants/03-server.ts"],
      {
        MUTANT: "reply-id-zero",
      },
    );
    expect(run.text).toContain("all 2 stages passed");
    expect(run.code).toBe(0);
  });
});

describe.concurrent("--client: the tester serves, the command is the client", () => {
  const CLIENT = (lesson: string) => [...TSX, `scripts/tester/clients/${lesson}-client.ts`];

  it.each([
    ["3", "03", 4],
    ["5", "05", 3],
    ["11", "11", 2],
  ])("passes lesson %s's reference client", { timeout: 90_000 }, async (lesson, file, stages) => {
    const run = await runTester([lesson, "--client", ...CLIENT(file)]);
    expect(run.text).toContain(`all ${stages} stages passed`);
    expect(run.code).toBe(0);
  });

  it(
    "fails a client that takes the first reply it reads, at the stage about request ids",
    { timeout: 90_000 },
    async () => {
      const run = await runTester(["3", "--client", ...CLIENT("03")], {
        MUTANT: "first-reply-wins",
      });
      expect(failedStage(run.text), run.text).toBe(
        "matches replies by request id: a reply to an id it never sent is not its answer",
      );
      expect(run.code).toBe(1);
    },
  );
});
