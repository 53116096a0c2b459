import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { STATE_DIR } from "./paths.js";

/** Small facts the CLI remembers between runs, e.g. how many hints you have seen. */
const FILE = path.join(STATE_DIR, "state.json");

interface State {
  hintsSeen: Record<string, number>;
}

export function readState(): State {
  try {
    return JSON.parse(readFileSync(FILE, "utf8")) as State;
  } catch {
    return { hintsSeen: {} };
  }
}

export function writeState(state: State): void {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(FILE, JSON.stringify(state, null, 2) + "\n");
}
