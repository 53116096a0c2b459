/**
 * True when `value` nests deeper than `limit` arrays and objects (`[[1]]` is 2 deep). A loop
 * with its own stack, not recursion, and it stops at the limit: it costs at most one visit per
 * value, and params nested 100,000 deep cannot overflow the call stack (as jsonrpc-lite's own
 * check of a request would).
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
