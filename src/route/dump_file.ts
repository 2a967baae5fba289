/**
 * iproute2's dump files (`ip route save` / `ip address save` / `ip rule save`):
 * a 32-bit magic number in host byte order, then the kernel's RTM_NEWROUTE /
 * RTM_NEWADDR / RTM_NEWRULE messages as they came from the dump. Save, read
 * back (decoded or raw) and restore them, interchangeably with iproute2's
 * `save`, `showdump` and `restore`. Rules' own entry points live in rule.ts
 * (loaded on first use), on top of {@linkcode saveDump} and {@linkcode restoreDump}.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ERRNO } from "../core/errno.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";
import { NLM_F } from "../core/header.ts";
import type { MessageView } from "../core/message.ts";
import { type Address, addressDumpRequest, decodeAddress } from "./addr.ts";
import { RTM } from "./constants.ts";
import { resolveDev } from "./link_lookup.ts";
import { decodeRoute, type GetRoutesOptions, routeDumpRequest } from "./route.ts";
import type { Route } from "./route_types.ts";

/** The magic numbers iproute2 starts its dump files with: routes, addresses and rules. */
export const DUMP_MAGIC: { readonly route: number; readonly address: number; readonly rule: number } = {
  route: 0x45311224,
  address: 0x47361222,
  rule: 0x71706986,
};

/** What a dump file holds. */
export type DumpFileKind = keyof typeof DUMP_MAGIC;

/** nlmsghdr's size: a saved message is at least this long. */
const NLMSG_HDRLEN = 16;
/** iproute2 reads saved messages into a buffer of this size. */
const MAX_MESSAGE = 16384;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Builds a dump file from the magic and the saved messages. */
function dumpFile(kind: DumpFileKind, messages: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(4 + messages.reduce((n, m) => n + m.length, 0));
  new DataView(out.buffer).setUint32(0, DUMP_MAGIC[kind], LITTLE_ENDIAN);
  let at = 4;
  for (const m of messages) out.set(m, at), at += m.length;
  return out;
}

/** A message's own bytes (nlmsg_len of them, as iproute2 writes them). */
function copyOf(m: MessageView): Uint8Array {
  return m.bytes.slice(m.offset, m.offset + m.length);
}

/**
 * Saves routes like `ip route save`: the dump's messages (those `filter`
 * keeps) after the magic number, ready for `ip route restore` or
 * {@linkcode restoreRoutes}.
 *
 * @example
 * ```ts ignore
 * const file = await saveRoutes(conn, { family: "inet", table: "main" });
 * await Deno.writeFile("routes.dump", file);
 * ```
 */
export async function saveRoutes(
  conn: NetlinkConnection,
  options: GetRoutesOptions & { filter?: (route: Route) => boolean } = {},
): Promise<Uint8Array> {
  const oif = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  const { filter } = options;
  const messages = await conn.dump(
    routeDumpRequest({ ...options, oif }),
    (m) => m.type === RTM.NEWROUTE && (filter === undefined || filter(decodeRoute(m))) ? copyOf(m) : undefined,
    "saveRoutes",
    options,
  );
  return dumpFile("route", messages);
}

/**
 * Saves a whole dump: every message of type `type` the dump `request` brings,
 * unchanged, after `kind`'s magic number (what each `ip … save` without filters writes).
 *
 * @example
 * ```ts ignore
 * import { RTM } from "./constants.ts";
 * const file = await saveDump(conn, "rule", ruleDumpRequest("inet"), RTM.NEWRULE, "saveRules");
 * ```
 */
export async function saveDump(
  conn: NetlinkConnection,
  kind: DumpFileKind,
  request: Uint8Array,
  type: number,
  operation: string,
): Promise<Uint8Array> {
  const messages = await conn.dump(request, (m) => (m.type === type ? copyOf(m) : undefined), operation);
  return dumpFile(kind, messages);
}

/**
 * Saves addresses like `ip address save`: every address of the family (and
 * device) after the magic number.
 *
 * @example
 * ```ts ignore
 * await Deno.writeFile("addrs.dump", await saveAddresses(conn, { dev: "p0" }));
 * ```
 */
export async function saveAddresses(
  conn: NetlinkConnection,
  options: { family?: "inet" | "inet6"; dev?: string | number } = {},
): Promise<Uint8Array> {
  const index = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  return await saveDump(
    conn,
    "address",
    addressDumpRequest({ family: options.family, index }),
    RTM.NEWADDR,
    "saveAddresses",
  );
}

/** The magic number as iproute2 reads it: from the first four bytes, or as many as there are (the rest zero). */
function magicOf(file: Uint8Array): number {
  let magic = 0;
  const n = Math.min(file.length, 4);
  for (let i = 0; i < n; i++) magic += file[i] * 2 ** (8 * (LITTLE_ENDIAN ? i : 3 - i));
  return magic;
}

/** The whole messages of a dump file, up to the first damaged one, and what is wrong with that one. */
function scan(file: Uint8Array, kind: DumpFileKind): { messages: MessageView[]; end: number; error?: ValidationError } {
  if (!(file instanceof Uint8Array)) throw new ValidationError("dump file", file, "expected bytes");
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = magicOf(file);
  if (magic !== DUMP_MAGIC[kind]) {
    throw new ValidationError(
      "dump file",
      magic,
      `Magic mismatch (${file.length >= 4 ? 1 : 0} elems, ${magic.toString(16)} magic)`,
    );
  }
  const messages: MessageView[] = [];
  let at = 4;
  const damaged = (value: unknown, why: string) => ({
    messages,
    end: at,
    error: new ValidationError("dump file", value, why),
  });
  while (at < file.length) {
    if (file.length - at < NLMSG_HDRLEN) return damaged(at, "truncated message");
    const length = view.getUint32(at, LITTLE_ENDIAN);
    if (length < NLMSG_HDRLEN || length > MAX_MESSAGE) {
      return damaged(length, `malformed message: len=${length} @${at + NLMSG_HDRLEN}`);
    }
    const padded = NLMSG_HDRLEN + ((length - NLMSG_HDRLEN + 3) & ~3);
    if (at + padded > file.length) return damaged(at, "truncated message");
    messages.push({
      bytes: file,
      view,
      offset: at,
      length,
      type: view.getUint16(at + 4, LITTLE_ENDIAN),
      flags: view.getUint16(at + 6, LITTLE_ENDIAN),
      seq: view.getUint32(at + 8, LITTLE_ENDIAN),
      pid: view.getUint32(at + 12, LITTLE_ENDIAN),
    });
    at += padded;
  }
  return { messages, end: at };
}

/**
 * The messages of a dump file, checked as iproute2 checks them: the magic
 * number, then whole messages. Rejects with a ValidationError naming what is
 * wrong (`Magic mismatch`, a truncated or malformed message).
 *
 * @example
 * ```ts
 * import { readDumpFile } from "./dump_file.ts";
 * readDumpFile(new Uint8Array([0x24, 0x12, 0x31, 0x45]), "route").length; // 0
 * ```
 */
export function readDumpFile(file: Uint8Array, kind: DumpFileKind): MessageView[] {
  const { messages, error } = scan(file, kind);
  if (error) throw error;
  return messages;
}

/**
 * Splits a damaged dump file where iproute2's `restore` would stop: `whole`
 * is the magic number and every whole message before the damaged one (a valid
 * dump file, which iproute2 restores before it fails), `error` what is wrong
 * after it (undefined when the file is sound). Throws a ValidationError when
 * the magic number is wrong (iproute2 restores nothing then).
 *
 * @example
 * ```ts
 * import { splitDumpFile } from "./dump_file.ts";
 * const { whole, error } = splitDumpFile(new Uint8Array([0x86, 0x69, 0x70, 0x71, 1, 2]), "rule");
 * whole.length; // 4
 * error?.message; // … truncated message
 * ```
 */
export function splitDumpFile(file: Uint8Array, kind: DumpFileKind): { whole: Uint8Array; error?: ValidationError } {
  const { end, error } = scan(file, kind);
  return { whole: file.subarray(0, end), error };
}

/**
 * The routes of a route dump file, decoded (as `ip route showdump` lists them).
 *
 * @example
 * ```ts ignore
 * for (const r of readSavedRoutes(await Deno.readFile("routes.dump"))) console.log(r.dst);
 * ```
 */
export function readSavedRoutes(file: Uint8Array): Route[] {
  return readDumpFile(file, "route").map(decodeRoute);
}

/**
 * The addresses of an address dump file, decoded (as `ip address showdump` lists them).
 *
 * @example
 * ```ts ignore
 * for (const a of readSavedAddresses(await Deno.readFile("addrs.dump"))) console.log(a.index, a.local);
 * ```
 */
export function readSavedAddresses(file: Uint8Array): Address[] {
  return readDumpFile(file, "address").map(decodeAddress);
}

/** Sends one saved message back as a create request; an object that exists already is not an error. */
async function restoreOne(conn: NetlinkConnection, m: MessageView, operation: string): Promise<void> {
  const request = copyOf(m);
  const v = new DataView(request.buffer);
  v.setUint16(6, m.flags | NLM_F.REQUEST | NLM_F.CREATE | NLM_F.ACK, true);
  try {
    await conn.ack(request, operation);
  } catch (e) {
    if (!(e instanceof NetlinkError && e.errno === ERRNO.EEXIST)) throw e;
  }
}

/**
 * The pass of `ip route restore` a saved route belongs to: routes to local
 * addresses first (no gateway, and no preferred source or one equal to the
 * destination), then the other routes without a gateway, then routes via a gateway.
 */
function restorePass(r: Route): number {
  if (r.gateway !== undefined) return 2;
  if (r.prefsrc === undefined) return 0;
  const dst = r.dst === undefined ? undefined : r.dst.split("/")[0];
  return r.dstLen !== 0 && r.prefsrc === dst ? 0 : 1;
}

/**
 * Restores a route dump file like `ip route restore`: each route sent back as
 * a create request, in three passes (local, directly connected, via a
 * gateway); routes that exist already are skipped. Rejects with the first
 * other error, or a ValidationError for a damaged file.
 *
 * @example
 * ```ts ignore
 * await restoreRoutes(conn, await Deno.readFile("routes.dump"));
 * ```
 */
export async function restoreRoutes(conn: NetlinkConnection, file: Uint8Array): Promise<void> {
  const messages = readDumpFile(file, "route");
  const passes = messages.map((m) => restorePass(decodeRoute(m)));
  for (let pass = 0; pass < 3; pass++) {
    for (let i = 0; i < messages.length; i++) {
      if (passes[i] === pass) await restoreOne(conn, messages[i], "restoreRoutes");
    }
  }
}

/**
 * Restores an address dump file like `ip address restore`: each address sent
 * back as a create request; addresses that exist already are skipped.
 *
 * @example
 * ```ts ignore
 * await restoreAddresses(conn, await Deno.readFile("addrs.dump"));
 * ```
 */
export async function restoreAddresses(conn: NetlinkConnection, file: Uint8Array): Promise<void> {
  await restoreDump(conn, file, "address", "restoreAddresses");
}

/**
 * Restores a dump file in one pass, in the file's order: each message sent
 * back as a create request (NLM_F_CREATE without NLM_F_EXCL, as iproute2 sends
 * it); an object that exists already is skipped. The file is checked whole
 * before anything is sent; rejects with the first other error.
 *
 * @example
 * ```ts ignore
 * await restoreDump(conn, await Deno.readFile("rules.dump"), "rule", "restoreRules");
 * ```
 */
export async function restoreDump(
  conn: NetlinkConnection,
  file: Uint8Array,
  kind: DumpFileKind,
  operation: string,
): Promise<void> {
  for (const m of readDumpFile(file, kind)) await restoreOne(conn, m, operation);
}
