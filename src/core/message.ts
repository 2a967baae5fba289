/**
 * Message schemas: a family header (a C struct such as ifinfomsg) followed by
 * attributes. One schema decodes a whole message into one plain object — the
 * header's fields and the attributes side by side — and encodes one back.
 *
 * @module
 */
import { DecodeError } from "./errors.ts";
import { NLMSG_HDRLEN } from "./header.ts";
import { type AttrSchema, decodeAttrs, type DecodeContext, encodeAttrs } from "./schema.ts";
import type { StructDef } from "./struct.ts";
import type { MessageWriter } from "./writer.ts";

/** A message layout: fixed header, then attributes. */
export interface MessageSchema {
  /** A label for errors, e.g. `"route"`. */
  readonly name: string;
  /** The fixed family header. */
  readonly header: StructDef;
  /** The attributes that follow it. */
  readonly attrs: AttrSchema;
  /** The header property holding the address family (for "addr" attributes). */
  readonly familyField?: string;
  /** The header field's raw family number when it is decoded as a name. */
  readonly familyNumber?: (decoded: unknown) => number;
  /** Where the family byte sits in the header, when it is one byte: read as is, not named and looked up again. */
  readonly familyOffset?: number;
}

/**
 * Declares a message layout.
 *
 * @example
 * ```ts ignore
 * import { messageSchema } from "./message.ts";
 * const ROUTE = messageSchema("route", RTMSG, RTA, "family");
 * ```
 */
export function messageSchema(
  name: string,
  header: StructDef,
  attrs: AttrSchema,
  familyField?: string,
  familyNumber?: (decoded: unknown) => number,
): MessageSchema {
  const field = familyField === undefined ? undefined : header.fields.find((f) => f.name === familyField);
  const familyOffset = field?.size === 1 ? field.offset : undefined;
  return { name, header, attrs, familyField, familyNumber, familyOffset };
}

/**
 * A received message, as the connection hands it to decoders: the buffer, and
 * where this message sits in it. Valid only during the callback (the buffer is
 * reused); decoders copy what they keep.
 */
export interface MessageView {
  /** The receive buffer. */
  bytes: Uint8Array;
  /** A DataView over exactly `bytes`. */
  view: DataView;
  /** Offset of the nlmsghdr. */
  offset: number;
  /** nlmsg_len. */
  length: number;
  /** nlmsg_type. */
  type: number;
  /** nlmsg_flags. */
  flags: number;
  /** nlmsg_seq. */
  seq: number;
  /** nlmsg_pid. */
  pid: number;
}

/**
 * A header field of a message read straight from its bytes (where its layout
 * puts it), for the few callers that need one value and no decoding: the
 * family of a link message, the index in a link reply.
 *
 * @example
 * ```ts ignore
 * import { headerField } from "./message.ts";
 * headerField(LINK_MESSAGE, msg, "index"); // 3
 * ```
 */
export function headerField(schema: MessageSchema, msg: MessageView, name: string): unknown {
  const f = schema.header.fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`${schema.name}: no header field ${name}`);
  return f.read(msg.bytes, msg.view, msg.offset + NLMSG_HDRLEN + f.offset);
}

/**
 * Decodes the payload of `msg` (after nlmsghdr) with `schema`.
 *
 * @example
 * ```ts ignore
 * import { decodeMessage } from "./message.ts";
 * const route = decodeMessage(ROUTE, msg); // { family, dstLen, …, dst, gateway, oif, … }
 * ```
 */
export function decodeMessage(schema: MessageSchema, msg: MessageView): Record<string, unknown> {
  return decodePayload(schema, msg.bytes, msg.view, msg.offset + NLMSG_HDRLEN, msg.length - NLMSG_HDRLEN);
}

/**
 * Decodes a header + attributes payload at [off, off+len).
 *
 * @example
 * ```ts ignore
 * import { decodePayload } from "./message.ts";
 * decodePayload(LINK, bytes, view, 16, bytes.length - 16);
 * ```
 */
export function decodePayload(
  schema: MessageSchema,
  b: Uint8Array,
  v: DataView,
  off: number,
  len: number,
): Record<string, unknown> {
  const hsize = schema.header.size;
  if (len < hsize) throw new DecodeError(`${schema.name}: ${len} bytes, header needs ${hsize}`, off);
  const out = schema.header.decode(b, v, off, hsize);
  let family = 0;
  if (schema.familyOffset !== undefined) family = b[off + schema.familyOffset];
  else if (schema.familyField) {
    const f = out[schema.familyField];
    family = schema.familyNumber ? schema.familyNumber(f) : typeof f === "number" ? f : 0;
  }
  const ctx: DecodeContext = { family };
  return decodeAttrs(schema.attrs, b, v, off + ((hsize + 3) & ~3), off + len, ctx, out);
}

/**
 * Appends a complete message: nlmsghdr (seq and pid left 0 for the connection
 * to fill), the header struct, then the attributes in the order of `attrs`'s
 * properties.
 *
 * @example
 * ```ts ignore
 * import { encodeMessage } from "./message.ts";
 * encodeMessage(w, ROUTE, RTM.NEWROUTE, REQUEST_FLAGS.create,
 *   { family: 2, dstLen: 24 }, { dst: "10.0.0.0", oif: 3 });
 * ```
 */
export function encodeMessage(
  w: MessageWriter,
  schema: MessageSchema,
  type: number,
  flags: number,
  header: Readonly<Record<string, unknown>>,
  attrs: Readonly<Record<string, unknown>> = {},
  family = 0,
): number {
  const start = w.beginMessage(type, flags);
  schema.header.encode(w, header, schema.name);
  encodeAttrs(w, schema.attrs, attrs, schema.name, { family });
  w.endMessage(start);
  return start;
}

/**
 * `attrs` reordered so that the attributes each option becomes come in the
 * order of `options`' keys, then the attributes no key names, in their own
 * order. iproute2 adds most attributes as it reads each word; a CLI that
 * builds its options word by word so sends what iproute2 sends.
 * `attrsOf` maps an option key to the attribute (or attributes) it becomes.
 *
 * @example
 * ```ts
 * import { inOptionOrder } from "./message.ts";
 * Object.keys(inOptionOrder({ to: "b", from: "a" }, { src: 1, dst: 2, oif: 3 }, { from: "src", to: "dst" }));
 * // ["dst", "src", "oif"]
 * ```
 */
export function inOptionOrder(
  options: object,
  attrs: Record<string, unknown>,
  attrsOf: Readonly<Record<string, string | readonly string[]>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const named = Object.hasOwn(attrsOf, key) ? attrsOf[key] : [];
    for (const a of typeof named === "string" ? [named] : named) if (a in attrs && !(a in out)) out[a] = attrs[a];
  }
  for (const [a, v] of Object.entries(attrs)) if (!(a in out)) out[a] = v;
  return out;
}
