/**
 * What the non-inet families share: a dump request made of one `*_diag_req`
 * struct (family, a `show` mask, states), and a reply decoder that reads the
 * family's header at its audited offsets, then the attributes.
 *
 * @module
 */
import { NLMSG_HDRLEN, REQUEST_FLAGS } from "../core/header.ts";
import type { MessageView } from "../core/message.ts";
import { type AttrSchema, decodeAttrs } from "../core/schema.ts";
import type { StructDef } from "../core/struct.ts";
import { MessageWriter } from "../core/writer.ts";
import { SOCK_DIAG } from "./constants.ts";

/**
 * Builds a SOCK_DIAG_BY_FAMILY dump request whose payload is `struct`
 * filled from `header` (unnamed fields zero).
 *
 * @example
 * ```ts ignore
 * import { familyDumpRequest } from "./family.ts";
 * familyDumpRequest(UNIX_DIAG_REQ, { family: 1, states: 0xfff, show: 0x15 });
 * ```
 */
export function familyDumpRequest(struct: StructDef, header: Record<string, unknown>): Uint8Array<ArrayBuffer> {
  const w = new MessageWriter(NLMSG_HDRLEN + struct.size);
  const start = w.beginMessage(SOCK_DIAG.SOCK_DIAG_BY_FAMILY, REQUEST_FLAGS.dump);
  struct.encode(w, header, "request");
  w.endMessage(start);
  return w.bytes();
}

/** The byte offset of each named field of a struct. */
export function offsetsOf(struct: StructDef): Record<string, number> {
  return Object.fromEntries(struct.fields.map((f) => [f.name, f.offset]));
}

/**
 * A reply decoder: `header` builds the result from the family header at
 * `off`; the attributes after it are decoded into that object.
 *
 * @example
 * ```ts ignore
 * import { familyDecoder } from "./family.ts";
 * const decode = familyDecoder(UNIX_DIAG_MSG, UNIX_ATTRS, unixHeader);
 * ```
 */
export function familyDecoder<T>(
  struct: StructDef,
  attrs: AttrSchema,
  header: (b: Uint8Array, v: DataView, off: number) => T,
): (m: MessageView) => T | undefined {
  const ctx = { family: 0 };
  return (m) => {
    if (m.type !== SOCK_DIAG.SOCK_DIAG_BY_FAMILY) return undefined;
    const off = m.offset + NLMSG_HDRLEN;
    const end = m.offset + m.length;
    if (end - off < struct.size) return undefined;
    const into = header(m.bytes, m.view, off) as Record<string, unknown>;
    return decodeAttrs(attrs, m.bytes, m.view, off + ((struct.size + 3) & ~3), end, ctx, into) as T;
  };
}
