/**
 * A growable UTF-8 output buffer with writers for the tokens big listings are
 * made of (ASCII words, decimal numbers, IPv4 addresses, cached constants),
 * so a table of 100,000 routes prints without a string per token.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Constant strings as bytes, encoded once. */
const constants = new Map<string, Uint8Array>();

/**
 * The UTF-8 bytes of a string that is written many times (keys, separators).
 *
 * @example
 * ```ts
 * import { constBytes } from "./bytes.ts";
 * constBytes('"dst":').length; // 6
 * ```
 */
export function constBytes(s: string): Uint8Array {
  let b = constants.get(s);
  if (b === undefined) {
    b = encoder.encode(s);
    constants.set(s, b);
  }
  return b;
}

/**
 * An append-only byte buffer.
 *
 * @example
 * ```ts
 * import { ByteSink } from "./bytes.ts";
 * const s = new ByteSink();
 * s.str("via ");
 * s.ipv4(new Uint8Array([10, 0, 0, 1]), 0);
 * new TextDecoder().decode(s.view()); // "via 10.0.0.1"
 * ```
 */
export class ByteSink {
  /** The buffer (replaced when it grows). */
  buf: Uint8Array = new Uint8Array(1 << 20);
  /** Bytes written. */
  len = 0;
  /**
   * When set, a full buffer is handed to this function and emptied instead of
   * growing (streaming output: memory stays flat for any listing size).
   */
  spill: ((bytes: Uint8Array) => void) | undefined;

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.len + n > this.buf.length) this.#grow(n);
  }

  #grow(n: number): void {
    if (this.spill && this.len > 0) {
      this.spill(this.buf.subarray(0, this.len));
      this.len = 0;
      if (n <= this.buf.length) return;
    }
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** The bytes written so far (a view). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Forgets everything written. */
  reset(): void {
    this.len = 0;
  }

  /** One byte. */
  byte(c: number): void {
    this.ensure(1);
    this.buf[this.len++] = c;
  }

  /** Bytes. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.len + n > this.buf.length) this.ensure(n);
    this.buf.set(b, this.len);
    this.len += n;
  }

  /** A string as UTF-8 (ASCII copied directly). */
  str(s: string): void {
    const n = s.length;
    this.ensure(3 * n);
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        at += encoder.encodeInto(s.slice(i), buf.subarray(at)).written;
        break;
      }
      buf[at++] = c;
    }
    this.len = at;
  }

  /** A non-negative integer in decimal. */
  uint(v: number): void {
    this.ensure(20);
    const buf = this.buf;
    if (v < 10) {
      buf[this.len++] = 48 + v;
      return;
    }
    const start = this.len;
    let at = start;
    while (v > 0) {
      buf[at++] = 48 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.len = at;
    for (let i = start, j = at - 1; i < j; i++, j--) {
      const t = buf[i];
      buf[i] = buf[j];
      buf[j] = t;
    }
  }

  /** Four bytes at `off` as a dotted quad. */
  ipv4(b: Uint8Array, off: number): void {
    this.ensure(15);
    const buf = this.buf;
    let at = this.len;
    for (let k = 0; k < 4; k++) {
      if (k) buf[at++] = 46;
      let v = b[off + k];
      if (v >= 100) {
        buf[at++] = 48 + ((v / 100) | 0);
        v %= 100;
        buf[at++] = 48 + ((v / 10) | 0);
        buf[at++] = 48 + (v % 10);
      } else if (v >= 10) {
        buf[at++] = 48 + ((v / 10) | 0);
        buf[at++] = 48 + (v % 10);
      } else buf[at++] = 48 + v;
    }
    this.len = at;
  }
}
