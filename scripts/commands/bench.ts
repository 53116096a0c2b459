import path from "node:path";
import { parseArgs } from "node:util";
import { bench as runBench } from "../../bench/harness/main.js";
import { TARGETS } from "../../bench/targets/index.js";
import { UsageError } from "../lib/lessons.js";
import { ROOT } from "../lib/paths.js";

const USAGE = `usage: npm run bench [-- options]
  --quick               a smoke run: 1 s per measurement, one repeat (what CI runs)
  --only <a,b,...>      only these rows, by id or protocol (tcp, http, json-rpc, xml-rpc, zeromq, amqp),
                        or "seeds": the articles' own Python systems and the mixed rows
  --duration <s>        seconds measured per run (default 3)
  --warmup <s>          seconds of warm-up before each run (default 1)
  --repeats <n>         runs per measurement; the table shows the median (default 3)
  --concurrency <1,64>  calls in flight, one table each (default 1,64)
  --out <dir>           where latest.md and chart.svg go (default bench/results)
  --verbose             print every run as it finishes
  --profile <dir>       write a CPU profile (.cpuprofile) of every server and client process
  --list                the rows it knows
  --loop                instead: what \`npm run lesson N\` costs beside a bare vitest run
                        (--lessons 1,3 --rounds 3 --watch 1,3,9)`;

function numbers(text: string, flag: string, min = 1): number[] {
  const values = text.split(",").map(Number);
  if (values.some((v) => !Number.isFinite(v) || v < min)) {
    throw new UsageError(`--${flag} takes numbers of at least ${min}, got "${text}"\n${USAGE}`);
  }
  return values;
}

/** npm run bench: every transport of the course side by side (bench/README.md). */
export async function bench(args: string[]): Promise<number> {
  if (args.includes("--loop")) {
    const rest = args.filter((arg) => arg !== "--loop");
    return (await import("../../bench/loop.js")).benchLoop(rest);
  }
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      repeats: { type: "string" },
      concurrency: { type: "string", default: "1,64" },
      out: { type: "string", default: path.join("bench", "results") },
      verbose: { type: "boolean", default: false },
      profile: { type: "string" },
      list: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.list) {
    for (const t of TARGETS) console.log(`${t.id.padEnd(27)} ${t.group.padEnd(9)} ${t.label}`);
    return 0;
  }
  const only = values.only ? values.only.split(",").map((s) => s.trim()) : [];
  const known = new Set(["seeds", ...TARGETS.flatMap((t) => [t.id, t.group])]);
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length) {
    throw new UsageError(`no row or protocol "${unknown.join(", ")}"; see npm run bench -- --list`);
  }
  const quick = values.quick;
  return runBench({
    only,
    concurrency: numbers(values.concurrency, "concurrency"),
    durationMs: numbers(values.duration ?? (quick ? "1" : "3"), "duration", 0.1)[0]! * 1000,
    warmupMs: numbers(values.warmup ?? (quick ? "0.25" : "1"), "warmup", 0)[0]! * 1000,
    repeats: numbers(values.repeats ?? (quick ? "1" : "3"), "repeats")[0]!,
    outDir: path.resolve(ROOT, values.out),
    verbose: values.verbose,
    ...(values.profile ? { profileDir: path.resolve(values.profile) } : {}),
  });
}
