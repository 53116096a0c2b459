import { parseArgs } from "node:util";
import { shown } from "../lib/paths.js";
import {
  SNAPSHOT_FILE,
  snapshotDrift,
  snapshotOfWorkingTree,
  writeSnapshot,
} from "../lib/starters.js";

/**
 * npm run starters -- --update | --check   (for whoever writes the course, not for learners)
 * The shipped starters live in a snapshot beside the CLI (scripts/lib/starters.ts).
 * --update rewrites it from lessons/; --check fails when lessons/ and the snapshot differ,
 * which on a clean clone means a starter was changed without updating the snapshot.
 */
export async function starters(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { update: { type: "boolean" }, check: { type: "boolean" } },
  });
  if (values.update) {
    const files = snapshotOfWorkingTree();
    writeSnapshot(files);
    console.log(`${shown(SNAPSHOT_FILE)}: ${files.size} starter files`);
    return 0;
  }
  const drift = snapshotDrift();
  if (drift.length === 0) {
    console.log(`${shown(SNAPSHOT_FILE)} matches lessons/`);
    return 0;
  }
  for (const line of drift.slice(0, 20)) console.error(`  ${line}`);
  console.error(
    `${shown(SNAPSHOT_FILE)} does not match lessons/ (${drift.length} file(s)). ` +
      "After changing a starter, run: npm run starters -- --update",
  );
  return 1;
}
