/**
 * A reader of AMQP 0-9-1's argument types: octet, short, long, longlong, shortstr, longstr,
 * bits packed into octets, and field tables (RabbitMQ's dialect of the type letters).
 */
export class ArgumentReader {
  #at = 0;
  #bits = 0;
  #bitIndex = 8;

  constructor(readonly bytes: Buffer) {}

  #need(n: number): void {
    if (this.#at + n > this.bytes.length) throw new Error("arguments end too early");
    this.#bitIndex = 8;
  }
  octet(): number {
    this.#need(1);
    return this.bytes[this.#at++]!;
  }
  short(): number {
    this.#need(2);
    const v = this.bytes.readUInt16BE(this.#at);
    this.#at += 2;
    return v;
  }
  long(): number {
    this.#need(4);
    const v = this.bytes.readUInt32BE(this.#at);
    this.#at += 4;
    return v;
  }
  longlong(): bigint {
    this.#need(8);
    const v = this.bytes.readBigUInt64BE(this.#at);
    this.#at += 8;
    return v;
  }
  shortstr(): string {
    const n = this.octet();
    this.#need(n);
    const s = this.bytes.toString("utf8", this.#at, this.#at + n);
    this.#at += n;
    return s;
  }
  longbytes(): Buffer {
    const n = this.long();
    this.#need(n);
    const b = this.bytes.subarray(this.#at, this.#at + n);
    this.#at += n;
    return b;
  }
  bit(): boolean {
    if (this.#bitIndex === 8) {
      this.#need(1);
      this.#bits = this.bytes[this.#at++]!;
      this.#bitIndex = 0;
    }
    return ((this.#bits >> this.#bitIndex++) & 1) === 1;
  }
  table(depth = 0): Record<string, unknown> {
    const bytes = this.longbytes();
    const inner = new ArgumentReader(bytes);
    const out: Record<string, unknown> = {};
    while (inner.#at < bytes.length) {
      const key = inner.shortstr();
      Object.defineProperty(out, key, {
        value: inner.fieldValue(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  fieldValue(depth: number): unknown {
    if (depth > 32) throw new Error("field tables nested too deep");
    const type = String.fromCharCode(this.octet());
    const signed = (n: number) => {
      this.#need(n);
      const at = this.#at;
      this.#at += n;
      return n === 1
        ? this.bytes.readInt8(at)
        : n === 2
          ? this.bytes.readInt16BE(at)
          : n === 4
            ? this.bytes.readInt32BE(at)
            : this.bytes.readBigInt64BE(at);
    };
    switch (type) {
      case "t":
        return this.octet() !== 0;
      case "b":
        return signed(1);
      case "B":
        return this.octet();
      case "s":
        return signed(2);
      case "u":
        return this.short();
      case "I":
        return signed(4);
      case "i":
        return this.long();
      case "l":
        return signed(8);
      case "f": {
        this.#need(4);
        const v = this.bytes.readFloatBE(this.#at);
        this.#at += 4;
        return v;
      }
      case "d": {
        this.#need(8);
        const v = this.bytes.readDoubleBE(this.#at);
        this.#at += 8;
        return v;
      }
      case "D": {
        const scale = this.octet();
        return Number(signed(4)) / 10 ** scale;
      }
      case "S":
        return this.longbytes().toString("utf8");
      case "x":
        return this.longbytes();
      case "T":
        return new Date(Number(this.longlong()) * 1000).toISOString();
      case "F":
        return this.table(depth);
      case "A": {
        const inner = new ArgumentReader(this.longbytes());
        const items: unknown[] = [];
        while (inner.#at < inner.bytes.length) items.push(inner.fieldValue(depth + 1));
        return items;
      }
      case "V":
        return null;
      default:
        throw new Error(`unknown field type "${type}"`);
    }
  }
  get rest(): number {
    return this.bytes.length - this.#at;
  }
}
