import type { Measurement } from "./run.js";
import { formatRate } from "./report.js";

const COLORS = {
  floor: "#555555",
  library: "#3b73b9",
  variant: "#d08c2b",
  solution: "#2e9b4f",
  seed: "#b5433a",
  mixed: "#8a5bb0",
};
const LEGEND = { solution: "lesson", seed: "seed system (Python)" } as Record<string, string>;

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function shortRate(value: number): string {
  return value >= 1e6 ? `${value / 1e6}M` : value >= 1e3 ? `${value / 1e3}k` : String(value);
}

/**
 * A horizontal bar chart of calls/s on a log scale: one group of bars per transport, one bar
 * per concurrency (pale: one call in flight, solid: the most in flight).
 */
export function svgChart(rows: Measurement[], title: string): string {
  const ok = rows.filter((r) => Number.isFinite(r.callsPerSec) && r.callsPerSec > 0);
  const targets = [...new Set(ok.map((r) => r.target))];
  const concurrencies = [...new Set(ok.map((r) => r.concurrency))].sort((a, b) => a - b);
  const values = ok.map((r) => r.callsPerSec);
  const lo = Math.floor(Math.log10(Math.min(...values, 1e4)));
  const hi = Math.ceil(Math.log10(Math.max(...values, 10)));

  const left = 300;
  const barArea = 520;
  const right = 90;
  const barHeight = 12;
  const groupGap = 10;
  const top = 64;
  const groupHeight = concurrencies.length * barHeight + groupGap;
  const height = top + targets.length * groupHeight + 36;
  const width = left + barArea + right;
  const x = (value: number) => left + ((Math.log10(value) - lo) / (hi - lo)) * barArea;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  // Legend: kinds by colour, concurrency by shade.
  let legendX = 10;
  for (const [kind, color] of Object.entries(COLORS)) {
    const name = LEGEND[kind] ?? kind;
    out.push(
      `<rect x="${legendX}" y="30" width="10" height="10" fill="${color}"/>`,
      `<text x="${legendX + 14}" y="39">${name}</text>`,
    );
    legendX += 28 + name.length * 6.5;
  }
  out.push(
    `<text x="${legendX}" y="39" fill="#444">pale: ${concurrencies[0]} in flight, solid: ${concurrencies.at(-1)} in flight</text>`,
  );
  // Decades.
  for (let power = lo; power <= hi; power++) {
    const gx = x(10 ** power);
    out.push(
      `<line x1="${gx}" y1="${top - 6}" x2="${gx}" y2="${height - 30}" stroke="#dddddd"/>`,
      `<text x="${gx}" y="${height - 14}" text-anchor="middle" fill="#444">${shortRate(10 ** power)}</text>`,
    );
  }
  out.push(
    `<text x="${left + barArea}" y="${height - 2}" text-anchor="end" fill="#444">calls/s (log scale)</text>`,
  );
  targets.forEach((target, i) => {
    const y0 = top + i * groupHeight;
    const labelY = y0 + (concurrencies.length * barHeight) / 2 + 4;
    out.push(
      `<text x="${left - 8}" y="${labelY}" text-anchor="end">${escape(target.label)}</text>`,
    );
    concurrencies.forEach((concurrency, j) => {
      const row = ok.find((r) => r.target === target && r.concurrency === concurrency);
      if (!row) return;
      const y = y0 + j * barHeight;
      const opacity = j === concurrencies.length - 1 ? 1 : 0.45;
      const end = Math.max(x(row.callsPerSec), left + 1);
      out.push(
        `<rect x="${left}" y="${y}" width="${(end - left).toFixed(1)}" height="${barHeight - 2}" ` +
          `fill="${COLORS[target.kind]}" fill-opacity="${opacity}">` +
          `<title>${escape(target.label)}, ${concurrency} in flight: ${formatRate(row.callsPerSec)} calls/s</title></rect>`,
        `<text x="${(end + 4).toFixed(1)}" y="${y + barHeight - 3}" font-size="10" fill="#333">${formatRate(row.callsPerSec)}</text>`,
      );
    });
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
