/**
 * The pieces of a TypeScript file that a starter and its solution can share: each top-level
 * declaration, and each member of a top-level class, with its code (comments left out).
 * It reads prettier-formatted files: a declaration starts at column 0, a class member two
 * spaces in, and brackets, strings, templates, comments and regexes are tracked so that a
 * line inside any of them never counts as a start.
 */
export interface CodeUnit {
  /** "function encodeFrame", "class RpcServer", "class RpcServer.stop", "….get size". */
  key: string;
  /** 1-based line where it starts. */
  line: number;
  /** The code without comments, whitespace collapsed, trailing commas dropped. */
  code: string;
  /** Its text as written, with the comments above and inside it. */
  text: string;
  /** What it is: code that runs (a function, a class member) or a declaration. */
  kind: "function" | "member" | "declaration";
}

interface LineState {
  /** Brackets open at the start of the line: ( [ { and template ${. */
  depth: number;
  /** The line starts in code, not in a string, template or block comment. */
  inCode: boolean;
}

/** Walks the text once: each line's state, and the text with every comment removed. */
function scan(text: string): { lines: LineState[]; code: string } {
  const lines: LineState[] = [{ depth: 0, inCode: true }];
  let code = "";
  let depth = 0;
  // What each open bracket is: a template's ${ returns to the template when it closes.
  const stack: ("bracket" | "template")[] = [];
  let mode: "code" | "line" | "block" | "'" | '"' | "`" | "regex" = "code";
  let lastSignificant = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "\n") {
      if (mode === "line") mode = "code";
      code += c;
      lines.push({ depth, inCode: mode === "code" });
      continue;
    }
    switch (mode) {
      case "line":
        continue;
      case "block":
        if (c === "*" && next === "/") {
          mode = "code";
          i++;
        }
        continue;
      case "'":
      case '"':
      case "regex":
        code += c;
        if (c === "\\") code += text[++i] ?? "";
        else if (c === (mode === "regex" ? "/" : mode)) mode = "code";
        else if (mode === "regex" && c === "[") {
          // A class may hold a slash: /[/]/.
          while (i + 1 < text.length && text[i + 1] !== "]") {
            code += text[++i];
            if (text[i] === "\\") code += text[++i] ?? "";
          }
        }
        if (mode === "code") lastSignificant = "x";
        continue;
      case "`":
        code += c;
        if (c === "\\") code += text[++i] ?? "";
        else if (c === "`") {
          mode = "code";
          lastSignificant = "x";
        } else if (c === "$" && next === "{") {
          code += next;
          i++;
          stack.push("template");
          depth++;
          mode = "code";
          lastSignificant = "{";
        }
        continue;
    }
    // Code.
    if (c === "/" && next === "/") {
      mode = "line";
      i++;
      continue;
    }
    if (c === "/" && next === "*") {
      mode = "block";
      i++;
      continue;
    }
    code += c;
    if (c === "'" || c === '"' || c === "`") {
      mode = c;
      continue;
    }
    const afterKeyword =
      /\b(?:return|typeof|case|in|of|delete|void|throw|new|yield|await)\s*$/.test(
        code.slice(-12, -1),
      );
    if (
      c === "/" &&
      (afterKeyword || lastSignificant === "" || /[(,=:[!&|?{};+\-*%<>~^]/.test(lastSignificant))
    ) {
      mode = "regex";
      continue;
    }
    if (c === "(" || c === "[" || c === "{") {
      stack.push("bracket");
      depth++;
    } else if (c === ")" || c === "]" || c === "}") {
      const open = stack.pop();
      depth = Math.max(0, depth - 1);
      if (open === "template") {
        mode = "`";
        continue;
      }
    }
    if (!/\s/.test(c)) lastSignificant = /[\w$#]/.test(c) ? "x" : c;
  }
  return { lines, code };
}

function normalize(code: string): string {
  return code
    .replace(/\s+/g, " ")
    .replace(/,\s*([)\]}>])/g, "$1")
    .replace(/;\s*$/, "")
    .trim();
}

const MODIFIERS =
  /^(?:(?:export|default|declare|public|private|protected|static|readonly|override|abstract|async|accessor)\s+)*/;

/** "function add", "type WireType", "const WireType": a type and a value may share a name. */
function declarationName(start: string): string | undefined {
  const rest = start.replace(MODIFIERS, "");
  const match = /^(function|class|const|let|var|type|interface|enum|namespace)\*?\s+([\w$]+)/.exec(
    rest,
  );
  return match ? `${match[1]} ${match[2]}` : undefined;
}

function memberName(start: string): string | undefined {
  const isStatic = /^(?:\w+\s+)*?static\s/.test(start.trim());
  const rest = start.trim().replace(MODIFIERS, "");
  const accessor = /^(get|set)\s+(?=[\w$#[])/.exec(rest);
  const body = accessor ? rest.slice(accessor[0].length) : rest;
  const name = /^(\*?\s*(?:#?[\w$]+|\[[^\]]+\]))/.exec(body)?.[1]?.replace(/[\s*]/g, "");
  if (!name) return undefined;
  return (isStatic ? "static " : "") + (accessor ? `${accessor[1]} ${name}` : name);
}

/** Lines [from, to) of `source` whose start, at `depth`, is a unit of its own. */
function starts(
  rawLines: string[],
  states: LineState[],
  from: number,
  to: number,
  depth: number,
): number[] {
  const indent = " ".repeat(2 * depth);
  const found: number[] = [];
  for (let i = from; i < to; i++) {
    const line = rawLines[i]!;
    const state = states[i]!;
    if (!state.inCode || state.depth !== depth) continue;
    if (!line.startsWith(indent) || /^\s/.test(line.slice(indent.length))) continue;
    const first = line.slice(indent.length)[0];
    if (first === undefined || /[)\]}/*@]/.test(first)) continue;
    found.push(i);
  }
  return found;
}

/** The first line of the comment just above line `start` (or `start` itself). */
function commentAbove(rawLines: string[], start: number): number {
  let line = start;
  while (line > 0 && /^\s*(\/\/|\/\*|\*)/.test(rawLines[line - 1]!)) line--;
  return line;
}

/** The file's top-level declarations and the members of its top-level classes. */
export function codeUnits(text: string): CodeUnit[] {
  const { lines: states, code } = scan(text);
  const rawLines = text.split("\n");
  const codeLines = code.split("\n");
  const units: CodeUnit[] = [];
  const written = (begin: number, end: number) =>
    rawLines.slice(commentAbove(rawLines, begin), end).join("\n");
  const top = starts(rawLines, states, 0, rawLines.length, 0);
  top.forEach((begin, index) => {
    const end =
      top[index + 1] === undefined ? rawLines.length : commentAbove(rawLines, top[index + 1]!);
    const name = declarationName(rawLines[begin]!);
    if (!name) return; // imports, re-exports, statements
    const unitCode = codeLines.slice(begin, end).join("\n");
    if (
      !/^(?:export\s+)?(?:abstract\s+)?class\s/.test(
        rawLines[begin]!.replace(/^export default /, "export "),
      )
    ) {
      const normalized = normalize(unitCode);
      const isFunction =
        name.startsWith("function ") ||
        /^(?:export )?const [\w$]+(?:: [^=]+)? = (?:async )?(?:function\b|\([^)]*\)(?:: [^=]+)? =>|[\w$]+ =>)/.test(
          normalized,
        );
      units.push({
        key: name,
        line: begin + 1,
        code: normalized,
        text: written(begin, end),
        kind: isFunction ? "function" : "declaration",
      });
      return;
    }
    // A class: its header, then each member.
    units.push({
      key: name,
      line: begin + 1,
      code: normalize(codeLines[begin]!),
      text: written(begin, begin + 1),
      kind: "declaration",
    });
    let close = end - 1;
    while (close > begin && !(rawLines[close]!.startsWith("}") && states[close]!.depth === 1))
      close--;
    const members = starts(rawLines, states, begin + 1, close, 1);
    members.forEach((memberBegin, m) => {
      const memberEnd =
        members[m + 1] === undefined ? close : commentAbove(rawLines, members[m + 1]!);
      const member = memberName(rawLines[memberBegin]!);
      if (!member) return;
      units.push({
        key: `${name}.${member}`,
        line: memberBegin + 1,
        code: normalize(codeLines.slice(memberBegin, memberEnd).join("\n")),
        text: written(memberBegin, memberEnd),
        kind: "member",
      });
    });
  });
  return units;
}
