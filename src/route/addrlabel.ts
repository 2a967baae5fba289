/**
 * IPv6 address labels (RFC 6724 policy table: source and destination address
 * selection), as `ip addrlabel` lists, adds, deletes and flushes them
 * (RTM_*ADDRLABEL). Each namespace has its own table, filled with the RFC's
 * defaults.
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageSchema, messageSchema, type MessageView } from "../core/message.ts";
import { attrSchema } from "../core/schema.ts";
import { cStruct, type StructDef } from "../core/struct.ts";
import { MessageWriter } from "../core/writer.ts";
import { parsePrefix } from "../util/addr.ts";
import { FAMILY, familyNumber, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";

/** struct ifaddrlblmsg. */
export const IFADDRLBLMSG: StructDef = cStruct("linux/if_addrlabel.h", "struct ifaddrlblmsg", [
  { c: "ifal_family", type: "u8", enum: FAMILY },
  { c: "__ifal_reserved", type: "pad", size: 1 },
  { c: "ifal_prefixlen", type: "u8" },
  { c: "ifal_flags", type: "u8" },
  { c: "ifal_index", type: "u32" },
  { c: "ifal_seq", type: "u32" },
], { strip: "ifal_" });

/** The address-label message: ifaddrlblmsg + IFAL_*. */
export const ADDRLABEL_MESSAGE: MessageSchema = messageSchema(
  "addrlabel",
  IFADDRLBLMSG,
  attrSchema("IFAL_", "linux/if_addrlabel.h", {
    ADDRESS: { id: 1, type: "addr" },
    LABEL: { id: 2, type: "u32" },
  }),
  "family",
  familyNumber,
);

/** One entry of the address-label table. */
export interface AddressLabel {
  /** `"inet6"`. */
  family: string | number;
  /** The prefix's length. */
  prefixlen: number;
  /** ifal_flags (unused by the kernel: 0). */
  flags: number;
  /** The device the entry applies to; 0 for any. */
  index: number;
  /** The table's sequence number when the entry was read. */
  seq: number;
  /** The prefix's address. */
  address?: string;
  /** The label. */
  label?: number;
}

/** What {@linkcode addAddressLabel} and {@linkcode delAddressLabel} take. */
export interface AddressLabelOptions {
  /** The IPv6 prefix (`2001:db8::/32`); a bare address is a /128 (an IPv4 one the kernel refuses). */
  prefix: string;
  /** The label (0 … 0xfffffffe). */
  label: number;
  /** Only for addresses on this device. */
  dev?: Dev;
  /**
   * The message's family: inet6 (the default; labels are IPv6's), or inet as
   * `ip -4 addrlabel` sends it (which the kernel refuses).
   */
  family?: "inet6" | "inet";
}

/**
 * Builds the RTM_GETADDRLABEL dump `ip addrlabel list` sends (family inet6
 * unless told: only IPv6 has labels, a kernel answers another family with
 * EOPNOTSUPP).
 *
 * @example
 * ```ts
 * import { addressLabelDumpRequest } from "./addrlabel.ts";
 * addressLabelDumpRequest().length; // 28
 * ```
 */
export function addressLabelDumpRequest(family: "inet6" | "inet" = "inet6"): Uint8Array {
  const w = new MessageWriter(32);
  encodeMessage(w, ADDRLABEL_MESSAGE, RTM.GETADDRLABEL, REQUEST_FLAGS.dump, { family });
  return w.bytes();
}

/**
 * Builds the RTM_NEWADDRLABEL (`add`, create-exclusive) or RTM_DELADDRLABEL
 * request as `ip addrlabel add|del prefix P [dev D] label L` sends it: the
 * label, then the address.
 *
 * @example
 * ```ts
 * import { addressLabelRequest } from "./addrlabel.ts";
 * addressLabelRequest("add", { prefix: "2001:db8::/32", label: 100 }).length; // 52
 * ```
 */
export function addressLabelRequest(op: "add" | "del", o: AddressLabelOptions, index = 0): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("addrlabel", o, "expected { prefix, label }");
  // Labels are IPv6's: an IPv4 prefix is sent as `ip addrlabel` sends it, for the kernel to refuse.
  const p = parsePrefix(o.prefix, "prefix");
  if (!Number.isInteger(o.label) || o.label < 0 || o.label >= 0xffffffff) {
    throw new ValidationError("label", o.label, "a label is an integer from 0 to 4294967294");
  }
  const w = new MessageWriter(64);
  const type = op === "add" ? RTM.NEWADDRLABEL : RTM.DELADDRLABEL;
  const flags = op === "add" ? REQUEST_FLAGS.create : REQUEST_FLAGS.ack;
  if (o.family !== undefined && o.family !== "inet6" && o.family !== "inet") {
    throw new ValidationError("family", o.family, 'expected "inet6" or "inet"');
  }
  const header = { family: o.family ?? "inet6", prefixlen: p.length, index };
  encodeMessage(w, ADDRLABEL_MESSAGE, type, flags, header, { label: o.label, address: p.address }, p.family);
  return w.bytes();
}

/**
 * Decodes an RTM_NEWADDRLABEL or RTM_DELADDRLABEL message (undefined for others).
 *
 * @example
 * ```ts ignore
 * decodeAddressLabel(msg); // { family: "inet6", prefixlen: 96, address: "::", label: 3, index: 0, … }
 * ```
 */
export function decodeAddressLabel(m: MessageView): AddressLabel | undefined {
  if (m.type !== RTM.NEWADDRLABEL && m.type !== RTM.DELADDRLABEL) return undefined;
  return decodeMessage(ADDRLABEL_MESSAGE, m) as unknown as AddressLabel;
}

/**
 * The address-label table (`ip addrlabel list`).
 *
 * @example
 * ```ts ignore
 * for (const l of await getAddressLabels(conn)) console.log(`${l.address}/${l.prefixlen}`, l.label);
 * ```
 */
export function getAddressLabels(
  conn: NetlinkConnection,
  options: GetAddressLabelsOptions = {},
): Promise<AddressLabel[]> {
  return conn.dump(addressLabelDumpRequest(options.family), decodeAddressLabel, "getAddressLabels", options);
}

/** Options of {@linkcode getAddressLabels}. */
export interface GetAddressLabelsOptions extends DumpOptions {
  /** The family asked for (default inet6, the only one with labels). */
  family?: "inet6" | "inet";
}

async function modify(conn: NetlinkConnection, op: "add" | "del", o: AddressLabelOptions): Promise<void> {
  addressLabelRequest(op, o); // bad input fails before any look-up
  const index = o.dev === undefined ? 0 : await resolveDev(conn, o.dev);
  await conn.ack(addressLabelRequest(op, o, index), `${op}AddressLabel ${o.prefix}`);
}

/**
 * Adds an entry (`ip addrlabel add prefix P [dev D] label L`); EEXIST when
 * the prefix (and device) has one.
 *
 * @example
 * ```ts ignore
 * await addAddressLabel(conn, { prefix: "2001:db8::/32", label: 100 });
 * ```
 */
export function addAddressLabel(conn: NetlinkConnection, o: AddressLabelOptions): Promise<void> {
  return modify(conn, "add", o);
}

/**
 * Deletes an entry (`ip addrlabel del prefix P [dev D] label L`: the kernel
 * matches prefix, device and label).
 *
 * @example
 * ```ts ignore
 * await delAddressLabel(conn, { prefix: "2001:db8::/32", label: 100 });
 * ```
 */
export function delAddressLabel(conn: NetlinkConnection, o: AddressLabelOptions): Promise<void> {
  return modify(conn, "del", o);
}

/**
 * Deletes every entry, the defaults included (`ip addrlabel flush`): each one
 * read is sent back as RTM_DELADDRLABEL, as iproute2 does. Returns them.
 *
 * @example
 * ```ts ignore
 * const removed = await flushAddressLabels(conn);
 * ```
 */
export async function flushAddressLabels(conn: NetlinkConnection): Promise<AddressLabel[]> {
  const all = await getAddressLabels(conn);
  for (const l of all) {
    if (l.address === undefined) continue;
    const w = new MessageWriter(64);
    const family = familyNumber(l.family);
    const header = { family: l.family, prefixlen: l.prefixlen, flags: l.flags, index: l.index, seq: l.seq };
    const attrs = { address: l.address, label: l.label };
    encodeMessage(w, ADDRLABEL_MESSAGE, RTM.DELADDRLABEL, REQUEST_FLAGS.ack, header, attrs, family);
    await conn.ack(w.bytes(), `flushAddressLabels ${l.address}/${l.prefixlen}`);
  }
  return all;
}
