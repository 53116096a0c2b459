import type { Passed } from "./proxy.js";

/** What passed, once the proxy stops: a Mermaid sequence diagram and the bytes of each call. */
export interface CallBytes {
  connection: number;
  label: string;
  toServer: number;
  toClient: number;
}

/** Groups messages into calls: a call runs from its first message to the next call on the same connection. */
export function callBytes(messages: readonly Passed[]): { calls: CallBytes[]; setup: CallBytes[] } {
  const calls: CallBytes[] = [];
  const current = new Map<number, CallBytes>();
  const setup = new Map<number, CallBytes>();
  for (const m of messages) {
    if (m.startsCall) {
      const call = { connection: m.connection, label: m.label, toServer: 0, toClient: 0 };
      calls.push(call);
      current.set(m.connection, call);
    }
    let into = current.get(m.connection);
    if (!into) {
      into = setup.get(m.connection) ?? {
        connection: m.connection,
        label: "connection setup",
        toServer: 0,
        toClient: 0,
      };
      setup.set(m.connection, into);
    }
    if (m.direction === "to-server") into.toServer += m.size;
    else into.toClient += m.size;
  }
  return { calls, setup: [...setup.values()] };
}

/** Mermaid's message text may not hold ";" or "#" (an entity), and stays on one line. */
function mermaidText(label: string): string {
  const text = label.replace(/[;#\n\r]/g, (c) => (c === "#" ? "no." : c === ";" ? "," : " "));
  return text.length > 70 ? `${text.slice(0, 69)}…` : text;
}

export function sequenceDiagram(messages: readonly Passed[], maxArrows = 80): string {
  const connections = [...new Set(messages.map((m) => m.connection))];
  const client = (id: number) => (connections.length > 1 ? `C${id}` : "C");
  const lines = ["sequenceDiagram"];
  for (const id of connections) {
    lines.push(`  participant ${client(id)} as client${connections.length > 1 ? ` ${id}` : ""}`);
  }
  lines.push("  participant S as server");
  for (const m of messages.slice(0, maxArrows)) {
    const text = `${mermaidText(m.label)} (${m.size} B)`;
    lines.push(
      m.direction === "to-server"
        ? `  ${client(m.connection)}->>S: ${text}`
        : `  S-->>${client(m.connection)}: ${text}`,
    );
  }
  if (messages.length > maxArrows) {
    lines.push(`  Note over S: ${messages.length - maxArrows} more messages not drawn`);
  }
  return lines.join("\n");
}

export function summaryText(messages: readonly Passed[]): string {
  const { calls, setup } = callBytes(messages);
  const out = ["```mermaid", sequenceDiagram(messages), "```", ""];
  out.push("| connection | call | client → server | server → client |", "|---|---|---:|---:|");
  for (const row of [...setup, ...calls]) {
    out.push(
      `| ${row.connection} | ${row.label.replace(/\|/g, "\\|")} | ${row.toServer} B | ${row.toClient} B |`,
    );
  }
  return out.join("\n");
}
