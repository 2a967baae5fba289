/**
 * {@linkcode MessageWriter}: builds netlink messages and attributes into one
 * growable buffer, several messages back to back for a batch.
 *
 * @module
 */
import { align4, NLA_F, NLA_HDRLEN, NLMSG_HDRLEN } from "./header.ts";

const encoder = new TextEncoder();

/**
 * Appends netlink messages and attributes (little-endian host order, 4-byte
 * alignment, padding zeroed).
 *
 * @example
 * ```ts
 * import { MessageWriter } from "./writer.ts";
 * const w = new MessageWriter();
 * const m = w.beginMessage(18, 0x301); // RTM_GETLINK dump
 * w.zeros(16);                         // struct ifinfomsg
 * w.attrU32(29, 1);                    // IFLA_EXT_MASK = RTEXT_FILTER_VF
 * w.endMessage(m);
 * w.bytes().length; // 40
 * ```
 */
export class MessageWriter {
  #buf: Uint8Array<ArrayBuffer>;
  #view: DataView;
  #pos = 0;

  /** Starts empty with `capacity` bytes reserved. */
  constructor(capacity = 256) {
    this.#buf = new Uint8Array(capacity);
    this.#view = new DataView(this.#buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#pos;
  }

  /** The written bytes (a view: copy it if the writer is reused). */
  bytes(): Uint8Array<ArrayBuffer> {
    return this.#buf.subarray(0, this.#pos);
  }

  /** Forgets everything written (keeps the buffer). */
  reset(): void {
    this.#pos = 0;
  }

  #reserve(n: number): number {
    const at = this.#pos;
    const need = at + n;
    if (need > this.#buf.length) {
      let cap = this.#buf.length * 2;
      while (cap < need) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.#buf.subarray(0, at));
      this.#buf = next;
      this.#view = new DataView(next.buffer);
    }
    this.#pos = need;
    return at;
  }

  /** Pads with zeros to the next 4-byte boundary. */
  align(): void {
    const pad = align4(this.#pos) - this.#pos;
    if (pad) {
      const at = this.#reserve(pad);
      const b = this.#buf;
      for (let i = at; i < at + pad; i++) b[i] = 0;
    }
  }

  /** Starts a message (nlmsghdr with seq/pid 0); returns its offset for {@linkcode MessageWriter.endMessage}. */
  beginMessage(type: number, flags: number): number {
    this.align();
    const at = this.#reserve(NLMSG_HDRLEN);
    this.#view.setUint32(at, 0, true);
    this.#view.setUint16(at + 4, type, true);
    this.#view.setUint16(at + 6, flags, true);
    this.#view.setUint32(at + 8, 0, true);
    this.#view.setUint32(at + 12, 0, true);
    return at;
  }

  /** Finishes the message started at `start`: writes its length. */
  endMessage(start: number): void {
    this.align();
    this.#view.setUint32(start, this.#pos - start, true);
  }

  /** Starts an attribute (a nest, or one whose payload is written piecewise). */
  beginAttr(type: number, nested = false): number {
    this.align();
    const at = this.#reserve(NLA_HDRLEN);
    this.#view.setUint16(at + 2, nested ? type | NLA_F.NESTED : type, true);
    return at;
  }

  /** Finishes the attribute started at `start`: writes nla_len, then pads. */
  endAttr(start: number): void {
    this.#view.setUint16(start, this.#pos - start, true);
    this.align();
  }

  /** Writes `n` zero bytes (e.g. a struct filled in later with {@linkcode MessageWriter.view}). */
  zeros(n: number): number {
    const at = this.#reserve(n);
    const b = this.#buf;
    // Headers and addresses are a few bytes: a loop beats fill()'s call into C.
    if (n <= 64) { for (let i = at; i < at + n; i++) b[i] = 0; }
    else b.fill(0, at, at + n);
    return at;
  }

  /** A DataView over the buffer, valid until the next write (the buffer may grow). */
  get view(): DataView {
    return this.#view;
  }

  /** The whole buffer as bytes (same lifetime as {@linkcode MessageWriter.view}). */
  get buffer(): Uint8Array<ArrayBuffer> {
    return this.#buf;
  }

  /** Raw bytes. */
  // Each writer reserves first and only then reads #buf/#view: reserving may
  // replace them with a bigger buffer.
  raw(data: Uint8Array): void {
    const at = this.#reserve(data.length);
    this.#buf.set(data, at);
  }
  /** A u8. */
  u8(v: number): void {
    const at = this.#reserve(1);
    this.#view.setUint8(at, v);
  }
  /** A u16, host order. */
  u16(v: number): void {
    const at = this.#reserve(2);
    this.#view.setUint16(at, v, true);
  }
  /** A u32, host order. */
  u32(v: number): void {
    const at = this.#reserve(4);
    this.#view.setUint32(at, v, true);
  }
  /** A u64, host order. */
  u64(v: bigint): void {
    const at = this.#reserve(8);
    this.#view.setBigUint64(at, v, true);
  }

  /** An attribute with a raw payload. */
  attr(type: number, payload: Uint8Array): void {
    const at = this.beginAttr(type);
    this.raw(payload);
    this.endAttr(at);
  }
  /** A flag attribute (no payload). */
  attrFlag(type: number): void {
    this.endAttr(this.beginAttr(type));
  }
  /** A u8 attribute. */
  attrU8(type: number, v: number): void {
    const at = this.beginAttr(type);
    this.u8(v);
    this.endAttr(at);
  }
  /** A u16 attribute. */
  attrU16(type: number, v: number): void {
    const at = this.beginAttr(type);
    this.u16(v);
    this.endAttr(at);
  }
  /** A u32 attribute. */
  attrU32(type: number, v: number): void {
    const at = this.beginAttr(type);
    this.u32(v);
    this.endAttr(at);
  }
  /** A u64 attribute. */
  attrU64(type: number, v: bigint): void {
    const at = this.beginAttr(type);
    this.u64(v);
    this.endAttr(at);
  }
  /** A NUL-terminated string attribute. */
  attrString(type: number, s: string): void {
    const at = this.beginAttr(type);
    const bytes = encoder.encode(s);
    this.raw(bytes);
    this.u8(0);
    this.endAttr(at);
  }
}
