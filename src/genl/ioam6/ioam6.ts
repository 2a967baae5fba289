/**
 * In-situ OAM for IPv6 (RFC 9197) through the `IOAM6` generic netlink family
 * (what `ip ioam` does), in the connection's own network namespace: the IOAM
 * namespaces this node takes part in (an id, with the data it inserts into
 * traces), and the opaque schemas a namespace can point to. Requests are byte
 * for byte what iproute2's `ip ioam` sends.
 *
 * @module
 */
import type { NetlinkConnection } from "../../core/connection.ts";
import { ValidationError } from "../../core/errors.ts";
import { REQUEST_FLAGS } from "../../core/header.ts";
import { decodeMessage, type MessageView } from "../../core/message.ts";
import { familyBeside, type GenlConnection, withFamilyId } from "../connection.ts";
import { genlRequest } from "../header.ts";
import { IOAM6_CMD, IOAM6_GENL, IOAM6_GENL_NAME, IOAM6_MAX, IOAM6_MESSAGE } from "./attrs.ts";

/** One IOAM namespace, as the kernel lists it (`ip ioam namespace show`). */
export interface IoamNamespace {
  /** The namespace id (16 bits). */
  id: number;
  /** The id of the schema attached to it, if any. */
  schema?: number;
  /** The data (32 bits) inserted into traces; absent when unset (the kernel's 0xffffffff). */
  data?: number;
  /** The wide data (64 bits, a bigint); absent when unset (the kernel's all-ones value). */
  wide?: bigint;
}

/** What {@linkcode addIoamNamespace} creates (`ip ioam namespace add ID [data DATA32] [wide DATA64]`). */
export interface IoamNamespaceOptions {
  /** The namespace id: 0 to 65535. */
  id: number;
  /** The data: 0 to 0xffffffff (the all-ones value means unset to the kernel). */
  data?: number;
  /** The wide data: 0n to 2n ** 64n - 1n (the all-ones value means unset to the kernel). */
  wide?: bigint;
}

/** One IOAM schema, as the kernel lists it (`ip ioam schema show`). */
export interface IoamSchema {
  /** The schema id (32 bits). */
  id: number;
  /** The namespace the schema is attached to, if any. */
  namespace?: number;
  /** The data, as the kernel keeps it: what was given, zero-padded to a multiple of 4 bytes. */
  data: Uint8Array;
}

/** What {@linkcode addIoamSchema} creates (`ip ioam schema add ID DATA`). */
export interface IoamSchemaOptions {
  /** The schema id: 0 to 0xffffffff. */
  id: number;
  /** The data, at most 1020 bytes (a string is taken as its UTF-8 bytes, without a terminating NUL). */
  data: string | Uint8Array;
}

/** One IOAM6 request, by command. */
export type IoamRequest =
  | ({ cmd: "add_namespace" } & IoamNamespaceOptions)
  | { cmd: "del_namespace"; id: number }
  | { cmd: "dump_namespaces" }
  | ({ cmd: "add_schema" } & IoamSchemaOptions)
  | { cmd: "del_schema"; id: number }
  | { cmd: "dump_schemas" }
  | { cmd: "ns_set_schema"; namespace: number; schema: number | null };

const encoder = new TextEncoder();

function unsigned(field: string, x: unknown, max: number): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > max) {
    throw new ValidationError(field, x, `expected an integer from 0 to ${max}`);
  }
  return x;
}

function wideOf(x: unknown): bigint {
  if (typeof x !== "bigint" || x < 0n || x > 0xffffffffffffffffn) {
    throw new ValidationError("wide", x, "expected a bigint from 0n to 2n ** 64n - 1n");
  }
  return x;
}

function schemaData(x: unknown): Uint8Array {
  const bytes = typeof x === "string" ? encoder.encode(x) : x;
  if (!(bytes instanceof Uint8Array)) throw new ValidationError("data", x, "expected a string or a Uint8Array");
  if (bytes.length > IOAM6_MAX.SCHEMA_DATA_LEN) {
    throw new ValidationError("data", x, `at most ${IOAM6_MAX.SCHEMA_DATA_LEN} bytes`);
  }
  return bytes;
}

/** The attributes of a request, in iproute2's order, checked. */
function attrsOf(r: IoamRequest): Record<string, unknown> {
  switch (r.cmd) {
    case "add_namespace": {
      const attrs: Record<string, unknown> = { nsId: unsigned("id", r.id, 0xffff) };
      if (r.data !== undefined) attrs.nsData = unsigned("data", r.data, 0xffffffff);
      if (r.wide !== undefined) attrs.nsDataWide = wideOf(r.wide);
      return attrs;
    }
    case "del_namespace":
      return { nsId: unsigned("id", r.id, 0xffff) };
    case "add_schema":
      return { scId: unsigned("id", r.id, 0xffffffff), scData: schemaData(r.data) };
    case "del_schema":
      return { scId: unsigned("id", r.id, 0xffffffff) };
    case "ns_set_schema": {
      const nsId = unsigned("namespace", r.namespace, 0xffff);
      return r.schema === null ? { nsId, scNone: true } : { nsId, scId: unsigned("schema", r.schema, 0xffffffff) };
    }
    case "dump_namespaces":
    case "dump_schemas":
      return {};
  }
  throw new ValidationError("cmd", (r as { cmd?: unknown })?.cmd, "expected an IOAM6 command");
}

/**
 * One IOAM6 request (`familyId`: the family's id on this kernel), checked
 * before anything is sent: the dumps go with NLM_F_DUMP, the changes ask for
 * an acknowledgement, as iproute2 sends them.
 *
 * @example
 * ```ts
 * import { ioamRequest } from "./ioam6.ts";
 * // ip ioam namespace add 123 data 0xdeadbeef (the family has id 30, say)
 * ioamRequest(30, { cmd: "add_namespace", id: 123, data: 0xdeadbeef }).length; // 36
 * ioamRequest(30, { cmd: "dump_schemas" }).length; // 20
 * ```
 */
export function ioamRequest(familyId: number, request: IoamRequest): Uint8Array {
  if (request === null || typeof request !== "object") {
    throw new ValidationError("request", request, "expected { cmd, … }");
  }
  const attrs = attrsOf(request);
  const dump = request.cmd === "dump_namespaces" || request.cmd === "dump_schemas";
  return genlRequest({
    familyId,
    flags: dump ? REQUEST_FLAGS.dump : REQUEST_FLAGS.ack,
    cmd: IOAM6_CMD.value(request.cmd),
    version: IOAM6_GENL.VERSION,
    schema: IOAM6_MESSAGE,
    attrs,
  });
}

/** What the generic decoder gives for one message. */
interface Decoded {
  cmd?: number;
  nsId?: number;
  nsData?: number;
  nsDataWide?: bigint;
  scId?: number;
  scData?: Uint8Array;
}

function decoded(msg: MessageView, familyId: number, cmd: string): Decoded | undefined {
  if (msg.type !== familyId) return undefined;
  const m = decodeMessage(IOAM6_MESSAGE, msg) as Decoded;
  return m.cmd === IOAM6_CMD.value(cmd) ? m : undefined;
}

/**
 * Decodes one message of a namespace dump of the family `familyId`;
 * anything else (another command, a message without a namespace id) gives
 * undefined.
 *
 * @example
 * ```ts ignore
 * import { decodeIoamNamespace } from "./ioam6.ts";
 * decodeIoamNamespace(msg, 30); // { id: 123, schema: 7, data: 3735928559 }
 * ```
 */
export function decodeIoamNamespace(msg: MessageView, familyId: number): IoamNamespace | undefined {
  const m = decoded(msg, familyId, "dump_namespaces");
  if (m?.nsId === undefined) return undefined;
  const out: IoamNamespace = { id: m.nsId };
  if (m.scId !== undefined) out.schema = m.scId;
  if (m.nsData !== undefined) out.data = m.nsData;
  if (m.nsDataWide !== undefined) out.wide = m.nsDataWide;
  return out;
}

/**
 * Decodes one message of a schema dump of the family `familyId`; anything
 * else (another command, a message without a schema id) gives undefined.
 *
 * @example
 * ```ts ignore
 * import { decodeIoamSchema } from "./ioam6.ts";
 * decodeIoamSchema(msg, 30); // { id: 7, namespace: 123, data: Uint8Array [0x61, 0x62, 0x63, 0] }
 * ```
 */
export function decodeIoamSchema(msg: MessageView, familyId: number): IoamSchema | undefined {
  const m = decoded(msg, familyId, "dump_schemas");
  if (m?.scId === undefined) return undefined;
  const data = m.scData ?? new Uint8Array(0);
  return m.nsId === undefined ? { id: m.scId, data } : { id: m.scId, namespace: m.nsId, data };
}

/** Builds (and checks) a request, resolves the family beside `conn`, sets its id. */
async function prepare(conn: NetlinkConnection, request: IoamRequest): Promise<[GenlConnection, Uint8Array, number]> {
  const bytes = ioamRequest(0, request);
  const [genl, id] = await familyBeside(conn, IOAM6_GENL_NAME);
  return [genl, withFamilyId(bytes, id), id];
}

/**
 * Every IOAM namespace (`ip ioam namespace show`), in the kernel's order.
 *
 * @example
 * ```ts ignore
 * import { Connection } from "@nlink/nlink";
 * import { getIoamNamespaces } from "@nlink/nlink/genl";
 * using conn = await Connection.open();
 * for (const ns of await getIoamNamespaces(conn)) console.log(ns.id, ns.schema, ns.data, ns.wide);
 * ```
 */
export async function getIoamNamespaces(conn: NetlinkConnection): Promise<IoamNamespace[]> {
  const [genl, request, id] = await prepare(conn, { cmd: "dump_namespaces" });
  return await genl.dump(request, (m) => decodeIoamNamespace(m, id), "getIoamNamespaces");
}

/**
 * Adds an IOAM namespace (`ip ioam namespace add ID [data DATA32] [wide
 * DATA64]`). Rejects with EEXIST (`isExists()`) when it is there already.
 *
 * @example
 * ```ts ignore
 * import { addIoamNamespace } from "@nlink/nlink/genl";
 * await addIoamNamespace(conn, { id: 123, data: 0xdeadbeef, wide: 0x1122334455667788n });
 * ```
 */
export async function addIoamNamespace(conn: NetlinkConnection, options: IoamNamespaceOptions): Promise<void> {
  const { id, data, wide } = options ?? ({} as IoamNamespaceOptions);
  const [genl, request] = await prepare(conn, { cmd: "add_namespace", id, data, wide });
  await genl.ack(request, `addIoamNamespace ${id}`);
}

/**
 * Deletes an IOAM namespace (`ip ioam namespace del ID`). Rejects with
 * ENOENT (`isNotFound()`) when there is none.
 *
 * @example
 * ```ts ignore
 * import { delIoamNamespace } from "@nlink/nlink/genl";
 * await delIoamNamespace(conn, 123);
 * ```
 */
export async function delIoamNamespace(conn: NetlinkConnection, id: number): Promise<void> {
  const [genl, request] = await prepare(conn, { cmd: "del_namespace", id });
  await genl.ack(request, `delIoamNamespace ${id}`);
}

/**
 * Every IOAM schema (`ip ioam schema show`), in the kernel's order.
 *
 * @example
 * ```ts ignore
 * import { getIoamSchemas } from "@nlink/nlink/genl";
 * for (const s of await getIoamSchemas(conn)) console.log(s.id, s.namespace, s.data);
 * ```
 */
export async function getIoamSchemas(conn: NetlinkConnection): Promise<IoamSchema[]> {
  const [genl, request, id] = await prepare(conn, { cmd: "dump_schemas" });
  return await genl.dump(request, (m) => decodeIoamSchema(m, id), "getIoamSchemas");
}

/**
 * Adds an IOAM schema (`ip ioam schema add ID DATA`). Rejects with EEXIST
 * when it is there already.
 *
 * @example
 * ```ts ignore
 * import { addIoamSchema } from "@nlink/nlink/genl";
 * await addIoamSchema(conn, { id: 7, data: "abc" }); // kept as 61 62 63 00
 * ```
 */
export async function addIoamSchema(conn: NetlinkConnection, options: IoamSchemaOptions): Promise<void> {
  const { id, data } = options ?? ({} as IoamSchemaOptions);
  const [genl, request] = await prepare(conn, { cmd: "add_schema", id, data });
  await genl.ack(request, `addIoamSchema ${id}`);
}

/**
 * Deletes an IOAM schema (`ip ioam schema del ID`), detaching it from its
 * namespace. Rejects with ENOENT when there is none.
 *
 * @example
 * ```ts ignore
 * import { delIoamSchema } from "@nlink/nlink/genl";
 * await delIoamSchema(conn, 7);
 * ```
 */
export async function delIoamSchema(conn: NetlinkConnection, id: number): Promise<void> {
  const [genl, request] = await prepare(conn, { cmd: "del_schema", id });
  await genl.ack(request, `delIoamSchema ${id}`);
}

/**
 * Attaches schema `schema` to IOAM namespace `namespace`, or detaches its
 * schema when `schema` is null (`ip ioam namespace set ID schema { ID | none
 * }`). Rejects with ENOENT when either is missing.
 *
 * @example
 * ```ts ignore
 * import { setIoamNamespaceSchema } from "@nlink/nlink/genl";
 * await setIoamNamespaceSchema(conn, 123, 7);
 * await setIoamNamespaceSchema(conn, 123, null);
 * ```
 */
export async function setIoamNamespaceSchema(
  conn: NetlinkConnection,
  namespace: number,
  schema: number | null,
): Promise<void> {
  const [genl, request] = await prepare(conn, { cmd: "ns_set_schema", namespace, schema });
  await genl.ack(request, `setIoamNamespaceSchema ${namespace}`);
}
