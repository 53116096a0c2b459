import type { Goal } from "../targets/index.js";
import type { Measurement } from "./run.js";

export interface RunInfo {
  date: string;
  machine: string;
  durationMs: number;
  warmupMs: number;
  repeats: number;
  notes: string[];
}

const KIND = {
  floor: "floor",
  library: "library",
  variant: "variant",
  solution: "lesson",
  seed: "seed system",
  mixed: "mixed",
};

export function formatRate(value: number): string {
  if (!Number.isFinite(value)) return "—";
  return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
}

export function formatMicros(us: number): string {
  if (!Number.isFinite(us)) return "—";
  if (us < 10) return `${us.toFixed(1)} µs`;
  if (us < 1_000) return `${us.toFixed(0)} µs`;
  if (us < 100_000) return `${(us / 1_000).toFixed(1)} ms`;
  return `${(us / 1_000).toFixed(0)} ms`;
}

function formatRatio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "—" : `${value.toFixed(2)}×`;
}

/** The floor, the protocol's library, the seed system, or one row by its id (a variant). */
export type Against = "floor" | "library" | "seed" | (string & {});

/**
 * The row this one is compared with: the floor, the library row of the same protocol, or the
 * system the articles use for it (the seed system, run with Python).
 */
export function baseline(
  rows: Measurement[],
  row: Measurement,
  against: Against,
): Measurement | undefined {
  const sameGroup = (other: Measurement) => other.target.group === row.target.group;
  if (against !== "floor" && against !== "library" && against !== "seed") {
    return rows.find(
      (other) => other.concurrency === row.concurrency && other.target.id === against,
    );
  }
  return rows.find(
    (other) =>
      other.concurrency === row.concurrency &&
      (against === "floor"
        ? other.target.kind === "floor"
        : against === "seed"
          ? sameGroup(other) && other.target.kind === "seed"
          : sameGroup(other) &&
            (other.target.kind === "library" ||
              (row.target.group === "tcp" && other.target.kind === "floor"))),
  );
}

export function ratio(rows: Measurement[], row: Measurement, against: Against): number | undefined {
  const base = baseline(rows, row, against);
  if (!base || base === row) return undefined;
  return row.callsPerSec / base.callsPerSec;
}

function goalText(rows: Measurement[], row: Measurement, goals: Goal[] = []): string {
  return goals
    .filter((goal) => goal.concurrency === undefined || goal.concurrency === row.concurrency)
    .map((goal) => {
      const value = ratio(rows, row, goal.against);
      const mark =
        value === undefined || !Number.isFinite(value) ? "?" : value >= goal.ratio ? "✓" : "✗";
      const byId = !["floor", "library", "seed"].includes(goal.against);
      const name = byId ? `${goal.against} (${value?.toFixed(2) ?? "—"}×)` : goal.against;
      return `≥ ${goal.ratio}× ${name} ${mark}`;
    })
    .join(", ");
}

/** One Markdown table per concurrency, then the notes. */
export function markdown(rows: Measurement[], info: RunInfo): string {
  const lines: string[] = [
    `Measured ${info.date} on ${info.machine}: ${info.durationMs / 1000} s per run after ` +
      `${info.warmupMs / 1000} s of warm-up, median of ${info.repeats} run(s). ` +
      `Server and client in separate processes; \`add(a, b)\` each call.`,
  ];
  const concurrencies = [...new Set(rows.map((r) => r.concurrency))].sort((a, b) => a - b);
  for (const concurrency of concurrencies) {
    lines.push(
      "",
      `### ${concurrency === 1 ? "One call in flight" : `${concurrency} calls in flight`}`,
      "",
      "| transport | kind | calls/s | × floor | × library | × seed system | p50 | p99 | CPU/call server | CPU/call client | server peak RSS | goal |",
      "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    );
    for (const row of rows.filter((r) => r.concurrency === concurrency)) {
      const kind = row.target.lesson ?? KIND[row.target.kind];
      if (row.error) {
        const first = row.error.split("\n")[0]!.replaceAll("|", "\\|");
        lines.push(`| ${row.target.label} | ${kind} | failed: ${first} | | | | | | | | | |`);
        continue;
      }
      lines.push(
        `| ${row.target.label} | ${kind} | ${formatRate(row.callsPerSec)} | ` +
          `${formatRatio(ratio(rows, row, "floor"))} | ${formatRatio(ratio(rows, row, "library"))} | ` +
          `${formatRatio(ratio(rows, row, "seed"))} | ` +
          `${formatMicros(row.p50Us)} | ${formatMicros(row.p99Us)} | ` +
          `${formatMicros(row.serverCpuUs)} | ${formatMicros(row.clientCpuUs)} | ${(row.serverMaxRssKb / 1024).toFixed(0)} MB | ` +
          `${goalText(rows, row, row.target.goals)} |`,
      );
    }
  }
  if (info.notes.length) lines.push("", ...info.notes.map((note) => `- ${note}`));
  return lines.join("\n") + "\n";
}
