/** A hex + text dump, 16 bytes a line, cut after `maxBytes` with a note of how much was cut. */
export function hexDump(bytes: Uint8Array, maxBytes = 256): string[] {
  const shown = bytes.subarray(0, maxBytes);
  const lines: string[] = [];
  for (let offset = 0; offset < shown.length; offset += 16) {
    const row = shown.subarray(offset, offset + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0")).join(" ");
    const text = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "."));
    lines.push(`${offset.toString(16).padStart(4, "0")}  ${hex.padEnd(47)}  |${text.join("")}|`);
  }
  if (bytes.length > shown.length) lines.push(`…  ${bytes.length - shown.length} more bytes cut`);
  return lines;
}

/** Text shown whole up to `maxChars`, then cut with a note. */
export function cutText(text: string, maxChars = 2000): string {
  return text.length > maxChars
    ? `${text.slice(0, maxChars)}\n…  ${text.length - maxChars} more characters cut`
    : text;
}

/** XML one element a line, indented by depth; `<a>text</a>` stays on one line. Linear time. */
export function indentXml(xml: string): string[] {
  const tokens = xml.match(/<[^>]*>|[^<]+/g) ?? [];
  const lines: string[] = [];
  let depth = 0;
  const pad = () => "  ".repeat(depth);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.trim() === "") continue;
    if (token.startsWith("</")) {
      depth = Math.max(0, depth - 1);
      lines.push(pad() + token);
    } else if (/^<[?!]/.test(token) || token.endsWith("/>") || !token.startsWith("<")) {
      lines.push(pad() + token.trim());
    } else {
      const text = tokens[i + 1];
      const close = tokens[i + 2];
      if (text !== undefined && !text.startsWith("<") && close?.startsWith("</")) {
        lines.push(pad() + token + text + close);
        i += 2;
      } else {
        lines.push(pad() + token);
        depth += 1;
      }
    }
  }
  return lines;
}
