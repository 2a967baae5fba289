/**
 * Reading netlink attributes (TLVs) straight from bytes, for the data the
 * library hands over undecoded (a bridge's IFLA_INFO_DATA, for one) and for
 * the route fast path, which formats messages where they lie in the receive
 * buffer instead of building an object per route.
 *
 * @module
 */

/**
 * Attribute positions by type, like iproute2's parse_rtattr: `start[t]` is the
 * payload offset of the last attribute of type `t` (0 when absent), `len[t]`
 * its payload length. Reusable: {@linkcode AttrTable.parse} resets it.
 *
 * @example
 * ```ts
 * import { AttrTable } from "./nlattr.ts";
 * const b = new Uint8Array([8, 0, 1, 0, 42, 0, 0, 0]);
 * const t = new AttrTable(4);
 * t.parse(b, new DataView(b.buffer), 0, 8);
 * t.u32(1); // 42
 * ```
 */
export class AttrTable {
  /** Payload offsets (0 = absent; a payload never starts at offset 0). */
  readonly start: Int32Array;
  /** Payload lengths. */
  readonly len: Int32Array;
  /** Bit `t` set for each present attribute type `t` < 31 (bit 31: any type ≥ 31). */
  present = 0;
  /** The bytes the offsets point into. */
  bytes: Uint8Array = new Uint8Array(0);
  /** A view over exactly {@linkcode AttrTable.bytes}. */
  view: DataView = new DataView(new ArrayBuffer(0));

  /** A table for types 0..max (larger types are ignored, as iproute2 does). */
  constructor(max: number) {
    this.start = new Int32Array(max + 1);
    this.len = new Int32Array(max + 1);
  }

  /** Indexes the attributes in `[off, end)` of `b`. */
  parse(b: Uint8Array, v: DataView, off: number, end: number): this {
    this.bytes = b;
    this.view = v;
    this.start.fill(0);
    const max = this.start.length - 1;
    let present = 0;
    while (off + 4 <= end) {
      const alen = v.getUint16(off, true);
      if (alen < 4 || off + alen > end) break;
      const type = v.getUint16(off + 2, true) & 0x3fff;
      present |= type < 31 ? 1 << type : 1 << 31;
      if (type <= max) {
        this.start[type] = off + 4;
        this.len[type] = alen - 4;
      }
      off += (alen + 3) & ~3;
    }
    this.present = present;
    return this;
  }

  /** Whether attribute `t` is present. */
  has(t: number): boolean {
    return this.start[t] !== 0;
  }

  /** u8 payload. */
  u8(t: number): number {
    return this.bytes[this.start[t]];
  }

  /** u16 payload (host order). */
  u16(t: number): number {
    return this.view.getUint16(this.start[t], true);
  }

  /** u32 payload (host order). */
  u32(t: number): number {
    return this.view.getUint32(this.start[t], true);
  }

  /** s32 payload. */
  s32(t: number): number {
    return this.view.getInt32(this.start[t], true);
  }

  /** u64 payload. */
  u64(t: number): bigint {
    return this.view.getBigUint64(this.start[t], true);
  }

  /** NUL-terminated string payload. */
  str(t: number): string {
    let end = this.start[t] + this.len[t];
    while (end > this.start[t] && this.bytes[end - 1] === 0) end--;
    return decoder.decode(this.bytes.subarray(this.start[t], end));
  }

  /** The payload bytes (a view). */
  data(t: number): Uint8Array {
    return this.bytes.subarray(this.start[t], this.start[t] + this.len[t]);
  }
}

const decoder = new TextDecoder();

/**
 * Indexes a standalone attribute buffer (e.g. raw IFLA_INFO_DATA bytes).
 *
 * @example
 * ```ts
 * import { attrsOf } from "./nlattr.ts";
 * attrsOf(new Uint8Array([5, 0, 2, 0, 7, 0, 0, 0]), 8).u8(2); // 7
 * ```
 */
export function attrsOf(data: Uint8Array, max: number): AttrTable {
  // Offset 0 means "absent" in the table, so index a copy that starts 4 bytes in.
  const b = new Uint8Array(data.length + 4);
  b.set(data, 4);
  return new AttrTable(max).parse(b, new DataView(b.buffer), 4, b.length);
}
