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
