/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same numbers on
 * every machine and every run, which is what makes a fault sequence replayable.
 */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A generator for one named part of a run: its numbers do not depend on the other parts'. */
  static derive(seed: number, ...parts: (string | number)[]): Prng {
    let hash = (seed >>> 0) ^ 0x9e3779b9;
    for (const char of parts.join("/")) {
      hash = Math.imul(hash ^ char.charCodeAt(0), 0x85ebca6b);
      hash ^= hash >>> 13;
    }
    return new Prng(hash);
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}
