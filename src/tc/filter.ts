/**
 * Filters: list, add, replace, change, delete, get — `tc filter`. A filter
 * sits on a device's qdisc or class (or a shared block), at a priority, for
 * an ethernet protocol, in a chain; its kind's options (and actions) are
 * typed. Requests are byte-for-byte what tc(8) sends.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { NLM_F, REQUEST_FLAGS } from "../core/header.ts";
import type { MessageSchema, MessageView } from "../core/message.ts";
import { encodeAttrs } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { RTM } from "../route/constants.ts";
import { type Dev, resolveDev } from "../route/link_lookup.ts";
import { tcMessage } from "./attrs.ts";
import { intIn } from "./common.ts";
import { ETH_PROTOCOL, TCM_IFINDEX_MAGIC_BLOCK } from "./constants.ts";
import { decodeTcObject, type TcObject } from "./decode.ts";
import { estimatorOf, type EstimatorOptions } from "./estimator.ts";
import type { ClassicFilterData, ClassicFilterOptions } from "./filters/classic.ts";
import type { FlowerFilterData, FlowerFilterOptions } from "./filters/flower_group.ts";
import type { MiscFilterData, MiscFilterOptions } from "./filters/misc.ts";
import { type Handle, parseParent } from "./handle.ts";
import { kindCodecOf, type TcContext, type TcKindCodec, type TcOp, type TcOptions } from "./kind.ts";
import { filterKinds } from "./registry.ts";
import { checkKeys, sendResolved, tcContext, writeTcRequest } from "./request.ts";

/** RTM_*TFILTER messages: struct tcmsg and TCA_*, options laid out by the filter kinds. */
export const FILTER_MESSAGE: MessageSchema = tcMessage("filter", filterKinds);

/** Where a filter is: a device's qdisc or class, or a shared block. */
export interface FilterPlace {
  /** The device (give this or `block`). */
  dev?: Dev;
  /** A shared filter block's index (give this or `dev`). */
  block?: number;
  /** The qdisc or class it attaches to (`"1:"`, `"ingress"`, `"egress"`; default: the root qdisc). */
  parent?: Handle;
}

/** What every filter request takes besides its kind's options. */
export interface FilterCommonOptions extends FilterPlace {
  /** Priority (`prio`/`pref`, 1-65535; default: the kernel picks one). */
  prio?: number;
  /** The ethernet protocol it matches (`"all"` by default when adding, `"ip"`, `"ipv6"`, `"802.1Q"`, or a number). */
  protocol?: string | number;
  /** Its handle, in the kind's syntax (u32: `"800::800"`; fw: a mark; others: a number). */
  handle?: Handle;
  /** The chain (default 0). */
  chain?: number;
  /** A rate estimator for its statistics. */
  estimator?: EstimatorOptions;
}

/** The typed options of every filter kind nlink knows (a union discriminated by `kind`). */
export type FilterKindOptions = ClassicFilterOptions | MiscFilterOptions | FlowerFilterOptions;

/**
 * A filter to add, replace or change. A kind nlink does not know is sent by
 * its name alone, as tc(8) sends one it has no module for (cast the options:
 * no kind option can be given); the kernel refuses a kind it lacks.
 *
 * @example
 * ```ts ignore
 * await conn.addFilter({ dev: "p0", parent: "1:", protocol: "ip", prio: 1, kind: "u32", match: [...], classid: "1:10" });
 * ```
 */
export type FilterOptions = FilterCommonOptions & FilterKindOptions;

/** Decoded options of every filter kind nlink knows, by kind. */
export interface FilterDataByKind extends ClassicFilterData, MiscFilterData, FlowerFilterData {}

/** A filter, decoded completely from RTM_NEWTFILTER. */
export interface Filter extends TcObject {
  /** Its handle (kind-specific meaning; 0 for the priority's head entry). */
  handle: number;
  /** Priority. */
  prio: number;
  /** The ethernet protocol (`"ip"`, `"all"`, … or the number). */
  protocol: string | number;
}

const COMMON = new Set(["dev", "block", "parent", "prio", "protocol", "handle", "chain", "estimator", "kind"]);

/**
 * Decodes an RTM_NEWTFILTER / RTM_DELTFILTER message.
 *
 * @example
 * ```ts ignore
 * const f = decodeFilter(msg); // { kind: "u32", prio: 1, protocol: "ip", handle: 0x80000800, options: {…} }
 * ```
 */
export function decodeFilter(msg: MessageView): Filter {
  const { object, raw } = decodeTcObject(FILTER_MESSAGE, msg);
  const f = object as Filter;
  const info = raw.info as number;
  f.handle = raw.handle as number;
  f.prio = info >>> 16;
  const proto = info & 0xffff;
  f.protocol = ETH_PROTOCOL.name(((proto & 0xff) << 8) | (proto >> 8));
  return f;
}

/**
 * A filter's options, typed by its kind (undefined when the kind differs).
 *
 * @example
 * ```ts ignore
 * const u32 = filterData(f, "u32");
 * ```
 */
export function filterData<K extends keyof FilterDataByKind>(f: Filter, kind: K): FilterDataByKind[K] | undefined {
  return f.kind === kind ? f.options as FilterDataByKind[K] : undefined;
}

/** tcm_info: the priority in the upper half, the protocol in network order in the lower. */
function filterInfo(prio: unknown, protocol: unknown, creating: boolean): number {
  const p = intIn(prio, 0, 0xffff, "prio") ?? 0;
  const proto = protocol === undefined ? (creating ? ETH_PROTOCOL.value("all") : 0) : protocolNumber(protocol);
  return ((p << 16) | ((proto & 0xff) << 8) | (proto >> 8)) >>> 0;
}

/**
 * An ethernet protocol option as its number: a name (`"ip"`, `"802.1Q"`), `0x…` text or a number.
 *
 * @example
 * ```ts
 * import { protocolNumber } from "./filter.ts";
 * protocolNumber("ipv6"); // 0x86dd
 * ```
 */
export function protocolNumber(x: unknown): number {
  if (typeof x === "string" && /^0x[0-9a-fA-F]{1,4}$/.test(x)) return parseInt(x, 16);
  const n = ETH_PROTOCOL.value(x as string | number, "protocol");
  if (n < 0 || n > 0xffff) throw new ValidationError("protocol", x, "expected an ethernet protocol (16 bits)");
  return n;
}

/**
 * The header's ifindex and parent: a device's, or a block's (TCM_IFINDEX_MAGIC_BLOCK + the block index).
 *
 * @example
 * ```ts
 * import { place } from "./filter.ts";
 * place({ block: 7 }, 0); // { ifindex: -1, parent: 7 }
 * ```
 */
export function place(o: FilterPlace, index: number): { ifindex: number; parent: number } {
  if (o.block !== undefined) {
    if (o.dev !== undefined) throw new ValidationError("block", o.block, "give dev or block, not both");
    return { ifindex: TCM_IFINDEX_MAGIC_BLOCK | 0, parent: intIn(o.block, 1, 0xffffffff, "block")! };
  }
  return { ifindex: index, parent: o.parent === undefined ? 0 : parseParent(o.parent, "parent") };
}

/** A handle in the default syntax (C's strtoul with base 0: `0x10`, `010`, `16`). */
export function parseNumericHandle(value: unknown, field: string): number {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
  if (typeof value === "string" && /^(0x[0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(value)) {
    const n = value.startsWith("0x") ? parseInt(value, 16) : value.startsWith("0") ? parseInt(value, 8) : Number(value);
    if (n <= 0xffffffff) return n;
  }
  throw new ValidationError(field, value, "expected a 32-bit handle");
}

function kindCodec(kind: unknown): TcKindCodec {
  return kindCodecOf(filterKinds(), kind, "filter");
}

/**
 * Appends the RTM_NEWTFILTER request tc(8) sends for `add`, `replace` or
 * `change`; device options in the kind's options come from `ctx`.
 *
 * @example
 * ```ts ignore
 * writeFilterRequest(w, "add", 3, { dev: 3, parent: "1:", kind: "u32", … }, tcContext("add"));
 * ```
 */
export function writeFilterRequest(
  w: MessageWriter,
  op: TcOp,
  index: number,
  options: FilterOptions,
  ctx: TcContext,
): void {
  // Read through the common shape: the kinds' union is checked by the kind's codec.
  const o = options as FilterCommonOptions & { kind: string };
  if (o === null || typeof o !== "object") throw new ValidationError("filter", o, "expected filter options");
  const codec = kindCodec(o.kind);
  checkKeys(o, codec.keys, COMMON, o.kind);
  const handle = o.handle === undefined
    ? codec.defaultHandle?.(o as unknown as TcOptions) ?? 0
    : (codec.parseHandle ?? parseNumericHandle)(o.handle, "handle");
  const before: Record<string, unknown> = {};
  if (o.chain !== undefined) before.chain = intIn(o.chain, 0, 0xffffffff, "chain");
  before.kind = o.kind;
  const after = o.estimator === undefined ? undefined : { estimator: estimatorOf(o.estimator, "estimator") };
  writeTcRequest(w, {
    schema: FILTER_MESSAGE,
    type: RTM.NEWTFILTER,
    op,
    // tc filter replace asks to create (NLM_F_CREATE) but not to replace: the kernel replaces a filter it finds.
    flags: op === "replace" ? NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE : undefined,
    header: { ...place(o, index), handle, info: filterInfo(o.prio, o.protocol, op !== "change") },
    before,
    codec,
    options: o,
    after,
  }, ctx);
}

/**
 * Builds the request {@linkcode writeFilterRequest} appends, with devices
 * given as indexes.
 *
 * @example
 * ```ts ignore
 * filterRequest("add", 3, { dev: 3, parent: "ingress", kind: "matchall", actions: [...] });
 * ```
 */
export function filterRequest(op: "add" | "replace" | "change", index: number, o: FilterOptions): Uint8Array {
  const w = new MessageWriter(512);
  writeFilterRequest(w, op, index, o, tcContext(op));
  return w.bytes();
}

async function modify(
  conn: NetlinkConnection,
  op: "add" | "replace" | "change",
  options: FilterOptions,
): Promise<void> {
  const o = options as FilterCommonOptions;
  const extra = o.dev === undefined ? [] : [{ dev: o.dev, field: "dev" }];
  if (o.dev === undefined && o.block === undefined) {
    throw new ValidationError("dev", o.dev, "a filter needs dev or block");
  }
  await sendResolved(conn, op, `${op}Filter`, (w, ctx) => {
    const index = o.dev === undefined ? 0 : typeof o.dev === "number" ? o.dev : ctx.dev("dev", o.dev);
    writeFilterRequest(w, op, index, options, ctx);
  }, { devices: extra, linkDev: o.dev });
}

/**
 * Adds a filter (`tc filter add`).
 *
 * @example
 * ```ts ignore
 * await addFilter(conn, { dev: "p0", parent: "ingress", kind: "matchall", actions: [{ kind: "gact", control: "drop" }] });
 * ```
 */
export function addFilter(conn: NetlinkConnection, o: FilterOptions): Promise<void> {
  return modify(conn, "add", o);
}

/**
 * Adds or replaces a filter (`tc filter replace`; give `prio` and `handle` to replace one).
 *
 * @example
 * ```ts ignore
 * await replaceFilter(conn, { dev: "p0", parent: "1:", prio: 1, handle: 1, kind: "fw", classid: "1:10" });
 * ```
 */
export function replaceFilter(conn: NetlinkConnection, o: FilterOptions): Promise<void> {
  return modify(conn, "replace", o);
}

/**
 * Changes an existing filter (`tc filter change`).
 *
 * @example
 * ```ts ignore
 * await changeFilter(conn, { dev: "p0", parent: "1:", prio: 1, handle: 1, kind: "fw", classid: "1:20" });
 * ```
 */
export function changeFilter(conn: NetlinkConnection, o: FilterOptions): Promise<void> {
  return modify(conn, "change", o);
}

/** Which filters to delete or get: `tc filter del|get dev D parent P [prio N] [protocol X] [handle H KIND]`. */
export interface FilterSelector extends FilterPlace {
  /** The priority (delete: every filter of it when no handle). */
  prio?: number;
  /** The protocol. */
  protocol?: string | number;
  /** One filter's handle (needs `kind`). */
  handle?: Handle;
  /** The kind (needed with `handle`). */
  kind?: string;
  /** The chain. */
  chain?: number;
}

/**
 * Builds the RTM_DELTFILTER (or, for `get`, RTM_GETTFILTER) request.
 *
 * @example
 * ```ts
 * import { filterSelectorRequest } from "./filter.ts";
 * filterSelectorRequest("delete", 3, { parent: "1:", prio: 1 }).length; // 36
 * ```
 */
export function filterSelectorRequest(op: "delete" | "get", index: number, o: FilterSelector): Uint8Array {
  if (o.handle !== undefined && o.kind === undefined) {
    throw new ValidationError("kind", o.kind, "a filter handle needs the filter's kind");
  }
  const codec = o.kind === undefined ? undefined : kindCodec(o.kind);
  const handle = o.handle === undefined ? 0 : (codec?.parseHandle ?? parseNumericHandle)(o.handle, "handle");
  const before: Record<string, unknown> = {};
  if (o.chain !== undefined) before.chain = intIn(o.chain, 0, 0xffffffff, "chain");
  if (o.kind !== undefined) before.kind = o.kind;
  const w = new MessageWriter(64);
  writeTcRequest(w, {
    schema: FILTER_MESSAGE,
    type: op === "get" ? RTM.GETTFILTER : RTM.DELTFILTER,
    op,
    // tc filter get asks for an echo of the filter (NLM_F_ECHO), not an acknowledgement.
    flags: op === "get" ? NLM_F.REQUEST | NLM_F.ECHO : undefined,
    header: { ...place(o, index), handle, info: filterInfo(o.prio, o.protocol, false) },
    before,
  }, tcContext(op));
  return w.bytes();
}

async function indexOf(conn: NetlinkConnection, o: FilterPlace): Promise<number> {
  if (o.dev === undefined && o.block === undefined) throw new ValidationError("dev", o.dev, "give dev or block");
  return o.dev === undefined ? 0 : await resolveDev(conn, o.dev);
}

/**
 * Deletes filters (`tc filter del`): one by handle and kind, all of a
 * priority, or all of the parent.
 *
 * @example
 * ```ts ignore
 * await deleteFilter(conn, { dev: "p0", parent: "1:", prio: 1 });
 * ```
 */
export async function deleteFilter(conn: NetlinkConnection, o: FilterSelector): Promise<void> {
  filterSelectorRequest("delete", 1, o);
  await conn.ack(filterSelectorRequest("delete", await indexOf(conn, o), o), "deleteFilter");
}

/**
 * One filter by parent, priority, protocol, handle and kind (`tc filter get`).
 *
 * @example
 * ```ts ignore
 * const f = await getFilter(conn, { dev: "p0", parent: "1:", prio: 1, protocol: "ip", handle: "800::800", kind: "u32" });
 * ```
 */
export async function getFilter(conn: NetlinkConnection, o: FilterSelector): Promise<Filter> {
  filterSelectorRequest("get", 1, o);
  const request = filterSelectorRequest("get", await indexOf(conn, o), o);
  return conn.get(request, (m) => (m.type === RTM.NEWTFILTER ? decodeFilter(m) : undefined), "getFilter");
}

/** Filters for {@linkcode getFilters}. */
export interface GetFiltersOptions extends FilterPlace, DumpOptions {
  /** Only this priority. */
  prio?: number;
  /** Only this protocol. */
  protocol?: string | number;
  /** Only this chain. */
  chain?: number;
  /** Only this kind (filtered here). */
  kind?: string;
}

/**
 * Builds the RTM_GETTFILTER dump request `tc filter show` sends.
 *
 * @example
 * ```ts
 * import { filterDumpRequest } from "./filter.ts";
 * filterDumpRequest(3, { parent: "1:" }).length; // 36
 * ```
 */
export function filterDumpRequest(index: number, o: GetFiltersOptions = {}): Uint8Array {
  const w = new MessageWriter(64);
  const start = w.beginMessage(RTM.GETTFILTER, REQUEST_FLAGS.dump);
  FILTER_MESSAGE.header.encode(w, { ...place(o, index), info: filterInfo(o.prio, o.protocol, false) }, "filter");
  encodeAttrs(w, FILTER_MESSAGE.attrs, { chain: intIn(o.chain, 0, 0xffffffff, "chain") }, "filter");
  w.endMessage(start);
  return w.bytes();
}

async function dumpParts(conn: NetlinkConnection, o: GetFiltersOptions) {
  const request = filterDumpRequest(await indexOf(conn, o), o);
  const decode = (m: MessageView): Filter | undefined => {
    if (m.type !== RTM.NEWTFILTER) return undefined;
    const f = decodeFilter(m);
    return o.kind === undefined || f.kind === o.kind ? f : undefined;
  };
  return { request, decode };
}

/**
 * A device's (or block's) filters, decoded completely (`tc filter show`).
 *
 * @example
 * ```ts ignore
 * for (const f of await getFilters(conn, { dev: "p0", parent: "ingress" })) console.log(f.kind, f.prio, f.options);
 * ```
 */
export async function getFilters(conn: NetlinkConnection, options: GetFiltersOptions): Promise<Filter[]> {
  const { request, decode } = await dumpParts(conn, options);
  return conn.dump(request, decode, "getFilters", options);
}

/**
 * Streams filters one by one.
 *
 * @example
 * ```ts ignore
 * for await (const f of streamFilters(conn, { dev: "p0" })) console.log(f.kind);
 * ```
 */
export async function* streamFilters(conn: NetlinkConnection, options: GetFiltersOptions): AsyncGenerator<Filter> {
  const { request, decode } = await dumpParts(conn, options);
  yield* conn.stream(request, decode, "streamFilters", streamOptionsOf(options));
}
