import { hexDump } from "../wire/hex.js";
import type { Passed } from "../wire/proxy.js";

/** The messages of one stage, as the wire decoders read them. */
export class Transcript {
  readonly messages: Passed[] = [];

  /** Who is on each side: the tester and a server, or (with --client) a client and the tester. */
  constructor(readonly sides: [client: string, server: string] = ["tester", "server"]) {}

  add(message: Passed): void {
    this.messages.push(message);
  }

  clear(): void {
    this.messages.length = 0;
  }

  /**
   * The exchange as lines for one screen: the last `max` messages, each with its title and a
   * few of its lines (or of its hex when the decoder gave nothing more).
   */
  lines({ max = 8, detail = 4 }: { max?: number; detail?: number } = {}): string[] {
    const out: string[] = [];
    const shown = this.messages.slice(-max);
    if (this.messages.length > shown.length) {
      out.push(`… ${this.messages.length - shown.length} earlier messages`);
    }
    for (const m of shown) out.push(...formatMessage(m, detail, this.sides));
    return out;
  }
}

export function formatMessage(
  m: Passed,
  detail = 4,
  [client, server]: [string, string] = ["tester", "server"],
): string[] {
  const arrow = m.direction === "to-server" ? `${client} → ${server}` : `${server} → ${client}`;
  const out = [`[${m.connection}] ${arrow} ${m.size} B  ${m.title}`];
  // An HTTP message's body says more than its headers: after a blank line, show what follows.
  const blank = m.lines.indexOf("");
  let lines = blank >= 0 && blank < m.lines.length - 1 ? m.lines.slice(blank + 1) : m.lines;
  lines = compactJson(lines);
  const more = lines.length > 0 ? lines : m.raw ? hexDump(m.raw, 64) : [];
  for (const line of more.slice(0, detail)) out.push(`      ${line}`);
  if (more.length > detail) out.push(`      … ${more.length - detail} more lines`);
  return out;
}

/** Pretty-printed JSON on one line, cut at 300 characters: a body at a glance. */
function compactJson(lines: string[]): string[] {
  try {
    const text = JSON.stringify(JSON.parse(lines.join("\n")));
    return [text.length > 300 ? `${text.slice(0, 300)}…` : text];
  } catch {
    return lines;
  }
}
