import { fileURLToPath, pathToFileURL } from "node:url";
import { currentTree, redirectToTree } from "./trees.js";

/**
 * Node module hooks doing for demos what the vitest plugin does for tests: with
 * COURSE_TREE=solutions, an import of lessons/NN/x.ts loads solutions/NN/x.ts instead.
 */
type NextResolve = (
  specifier: string,
  context: unknown,
) => Promise<{ url: string; format?: string | null }>;

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve) {
  const result = await nextResolve(specifier, context);
  if (!result.url.startsWith("file:")) return result;
  const file = fileURLToPath(result.url);
  const target = redirectToTree(file, currentTree());
  return target === file ? result : { ...result, url: pathToFileURL(target).href };
}
