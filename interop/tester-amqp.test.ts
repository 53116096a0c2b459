import { beforeAll, describe, expect, it } from "vitest";
import { amqpUrl } from "../shared/broker/testing.js";
import { requirePython, SYSTEM_PYTHON } from "../shared/testing/python.js";
import { tester } from "../scripts/tester/tester.js";

// `npm run tester` for lessons 8–10 on this run's broker: the course's demo servers and an
// oslo.messaging RPC server pass every stage of their lesson.

beforeAll(() => {
  requirePython({ modules: ["oslo_messaging"], debianPackage: "python3-oslo.messaging" });
  process.env.AMQP_URL = amqpUrl(); // what the tester hands the command
});

async function runTester(args: string[]) {
  const lines: string[] = [];
  const code = await tester(args, (line) => lines.push(line));
  return { code, text: lines.join("\n") };
}

const demo = (lesson: number) => [
  "sh",
  "-c",
  `exec node --import tsx scripts/course.ts demo ${lesson} server`,
];

describe("npm run tester on RabbitMQ", () => {
  it.each([
    ["8", demo(8)],
    ["9", demo(9)],
    ["10", demo(10)],
    ["9", [SYSTEM_PYTHON, "interop/tester/09-oslo-server.py"]],
  ])("passes lesson %s with %j", { timeout: 120_000 }, async (lesson, command) => {
    const run = await runTester([lesson, ...command]);
    expect(run.code, run.text).toBe(0);
  });

  it.each(["8", "9", "10"])(
    "passes lesson %s's fault stage: the demo server's broker connection cut",
    { timeout: 120_000 },
    async (lesson) => {
      const run = await runTester([lesson, "--faults", "42", ...demo(Number(lesson))]);
      expect(run.text).toContain("fault: the server's broker connections cut");
      expect(run.code, run.text).toBe(0);
    },
  );
});
