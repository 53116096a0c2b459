import type { Plugin } from "vite";
import { currentTree, redirectToTree } from "./trees.js";

/** Lets the lesson tests import "./calculator.js" and get the tree that COURSE_TREE names. */
export function courseTreePlugin(): Plugin {
  const tree = currentTree();
  return {
    name: "course-tree",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (tree === "lessons" || !importer) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || resolved.external) return resolved;
      const target = redirectToTree(resolved.id, tree);
      return target === resolved.id ? resolved : { ...resolved, id: target };
    },
  };
}
