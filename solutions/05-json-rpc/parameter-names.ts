/**
 * Named params need the names of a function's parameters. JavaScript keeps no list of them,
 * but a function's source text does: `function subtract(a, b) {` or `(a, b) =>`. This reads
 * simple parameter lists and gives up on anything else (destructuring, defaults with
 * parentheses, a bound or built-in function), so that such a method accepts positional params
 * only. Python's jsonrpclib gets the same thing for free from `func(**params)`.
 */

export interface Signature {
  /** The named parameters, in order. */
  names: string[];
  /** True when the last parameter is `...rest`: then any number of positional params fit. */
  rest: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function parameterNames(fn: Function): Signature | undefined {
  const source = Function.prototype.toString.call(fn);
  if (/\[native code\]\s*\}\s*$/.test(source)) return undefined; // bound or built-in

  // `x => x * 2` and `async x => ...`: a single parameter without parentheses.
  const bare = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(source);
  if (bare) return { names: [bare[1]!], rest: false };

  const open = source.indexOf("(");
  const close = source.indexOf(")", open);
  if (open < 0 || close < 0) return undefined;
  const list = source.slice(open + 1, close);
  if (/[(){}[\]/'"`]/.test(list)) return undefined; // too clever for this reader: positional only

  const names: string[] = [];
  let rest = false;
  for (const raw of list.split(",")) {
    let name = raw.split("=")[0]!.trim(); // `b = 2` → "b"
    if (name === "") continue; // a trailing comma
    if (name.startsWith("...")) {
      rest = true;
      name = name.slice(3);
    }
    if (!IDENTIFIER.test(name)) return undefined;
    if (!rest) names.push(name);
  }
  return { names, rest };
}
