import { expect, it } from "vitest";
import type { Passed } from "./proxy.js";
import { callBytes, sequenceDiagram } from "./summary.js";

const at = new Date(0);
const passed: Passed[] = [
  {
    connection: 1,
    direction: "to-server",
    at,
    size: 64,
    title: "",
    lines: [],
    label: "greeting",
    chatter: true,
  },
  {
    connection: 1,
    direction: "to-server",
    at,
    size: 36,
    title: "",
    lines: [],
    label: "req 1 add(1, 2)",
    startsCall: true,
  },
  {
    connection: 1,
    direction: "to-client",
    at,
    size: 18,
    title: "",
    lines: [],
    label: "req 1 result 3; #x",
    endsCall: true,
  },
];

it("counts the bytes of each call, each way, apart from the connection's setup", () => {
  expect(callBytes(passed)).toEqual({
    calls: [{ connection: 1, label: "req 1 add(1, 2)", toServer: 36, toClient: 18 }],
    setup: [{ connection: 1, label: "connection setup", toServer: 64, toClient: 0 }],
  });
});

it("draws a Mermaid sequence diagram whose messages hold no ';' or '#'", () => {
  expect(sequenceDiagram(passed).split("\n")).toEqual([
    "sequenceDiagram",
    "  participant C as client",
    "  participant S as server",
    "  C->>S: greeting (64 B)",
    "  C->>S: req 1 add(1, 2) (36 B)",
    "  S-->>C: req 1 result 3, no.x (18 B)",
  ]);
});
