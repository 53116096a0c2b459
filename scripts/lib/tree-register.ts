import { register } from "node:module";

// Loaded with `node --import tsx --import ./scripts/lib/tree-register.ts demo.ts`.
register("./tree-hooks.ts", import.meta.url);
