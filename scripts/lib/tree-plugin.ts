import type { Plugin } from "vite";
import { shippedStarter } from "./starters.js";
import { currentTree, redirectToTree } from "./trees.js";

/** Lets the lesson tests import "./calculator.js" and get the tree that COURSE_TREE names. */
export function courseTreePlugin(): Plugin {
  const tree = currentTree();
  return {
    name: "course-tree",
    enforce: "pre",
    // The starters tree: same file, same path (so its relative imports still resolve), but the
    // text the course shipped rather than what is on disk.
    load(id) {
      if (tree !== "starters") return null;
      return shippedStarter(id.split("?")[0]!) ?? null;
    },
    async resolveId(source, importer, options) {
      if (tree !== "solutions" || !importer) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || resolved.external) return resolved;
      const target = redirectToTree(resolved.id, tree);
      return target === resolved.id ? resolved : { ...resolved, id: target };
    },
  };
}
