import type { Plugin } from "vite";
import type {} from "vitest/config";
import { shippedStarter } from "./starters.js";
import { currentTree, redirectToTree } from "./trees.js";

/** Lets the lesson tests import "./calculator.js" and get the tree that COURSE_TREE names. */
export function courseTreePlugin(): Plugin {
  const tree = currentTree();
  return {
    name: "course-tree",
    enforce: "pre",
    // vitest.lesson.config.ts keeps transformed files between runs, keyed by a file's text on
    // disk. The same test file compiles to other imports in the solutions tree, and a starter's
    // text is not what is on disk: the tree is part of the key, and starters are never kept.
    // Nor is the broker's global setup (vitest's own "__vitest__" runner): a stack trace through
    // a kept module there crashes the run instead of printing.
    configureVitest(context) {
      context.experimental_defineCacheKeyGenerator(({ environment }) =>
        tree === "starters" || environment.name === "__vitest__" ? false : tree,
      );
    },
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
