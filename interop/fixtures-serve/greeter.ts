/** A module for `npm run serve`: any exported function becomes a method. */
export function shout(text: string): string {
  return `${text.toUpperCase()}!`;
}

export function pairs(count: number): [number, number][] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError("count must be a whole number");
  return Array.from({ length: count }, (_, i) => [i, i * i]);
}
