/**
 * A growable UTF-8 output buffer with writers for the tokens big listings are
 * made of (ASCII words, decimal numbers, values between constant text),
 * so a table of 100,000 routes prints without a string per token.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * An append-only byte buffer.
 *
 * @example
 * ```ts
 * import { ByteSink } from "./bytes.ts";
 * const s = new ByteSink();
 * s.field("via ", "10.0.0.1", " ");
 * s.uint(42);
 * new TextDecoder().decode(s.view()); // "via 10.0.0.1 42"
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

  /** Bytes (short ones, the usual keys and separators, copied in a loop: cheaper than a `set` call). */
  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.len + n > this.buf.length) this.ensure(n);
    const buf = this.buf;
    const at = this.len;
    if (n < 32) { for (let i = 0; i < n; i++) buf[at + i] = b[i]; }
    else buf.set(b, at);
    this.len = at + n;
  }

  /** A string as UTF-8 (ASCII copied directly); only its first `end` characters when given. */
  str(s: string, end: number = s.length): void {
    this.ensure(3 * end);
    this.len = this.#put(s, end, this.len);
  }

  /**
   * A value with constant text around it (`via ` value ` `), with one bounds
   * check: `pre` and `post` are ASCII, `s` any string (its first `end` characters).
   */
  field(pre: string, s: string, post: string, end: number = s.length): void {
    this.ensure(pre.length + 3 * end + post.length);
    const buf = this.buf;
    let at = this.len;
    for (let i = 0; i < pre.length; i++) buf[at++] = pre.charCodeAt(i);
    at = this.#put(s, end, at);
    for (let i = 0; i < post.length; i++) buf[at++] = post.charCodeAt(i);
    this.len = at;
  }

  /** Writes `s` up to `end` at `at` (room already made) and returns the new end. */
  #put(s: string, end: number, at: number): number {
    const buf = this.buf;
    for (let i = 0; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return at + encoder.encodeInto(s.slice(i, end), buf.subarray(at)).written;
      buf[at++] = c;
    }
    return at;
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
}
