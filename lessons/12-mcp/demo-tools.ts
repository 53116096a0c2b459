import { calculatorTools } from "./calculator-tools.js";
import type { Tool } from "./tools.js";

/**
 * The demo's tools: the calculator, plus `countdown` (progress and cancellation) and
 * `workspace` (a request back to the client for its roots, mid-call).
 */

const countdown: Tool = {
  name: "countdown",
  description: "counts down from n, one step every 100 ms, reporting progress; cancellable",
  inputSchema: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
  async run(args, { signal, progress }) {
    const n = args.n as number;
    for (let left = n; left > 0; left--) {
      progress({ progress: n - left, total: n, message: `${left} to go` });
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, 100);
        signal.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), {
          once: true,
        });
      });
    }
    return "liftoff";
  },
};

const workspace: Tool = {
  name: "workspace",
  description: "names the folders the client shares (asks the client with roots/list)",
  inputSchema: { type: "object", properties: {} },
  async run(_args, context) {
    const { roots } = (await context.request("roots/list")) as { roots: { uri: string }[] };
    return roots.map((root) => root.uri).join("\n") || "(no roots)";
  },
};

export const demoTools = (): Tool[] => [...calculatorTools(), countdown, workspace];
