/**
 * Qdiscs: list, add, replace, change, delete — `tc qdisc`. Requests are
 * byte-for-byte what tc(8) sends; replies decode completely, options and
 * extended statistics typed by kind.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import type { MessageSchema, MessageView } from "../core/message.ts";
import { encodeAttrs } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import { RTM } from "../route/constants.ts";
import { type Dev, resolveDev } from "../route/link_lookup.ts";
import { intIn } from "./common.ts";
import { TC_H } from "./constants.ts";
import { appStats, decodeTcObject, type TcObject } from "./decode.ts";
import { estimatorOf, type EstimatorOptions, type SizeTableOptions, stabOf } from "./estimator.ts";
import { formatHandle, type Handle, makeHandle, parseClassId, parseQdiscHandle } from "./handle.ts";
import { tcMessage } from "./attrs.ts";
import { kindCodecOf, type TcContext, type TcOp } from "./kind.ts";
import type { AqmQdiscData, AqmQdiscOptions } from "./qdiscs/aqm.ts";
import type { CoreQdiscData, CoreQdiscOptions } from "./qdiscs/core.ts";
import type { FairQdiscData, FairQdiscOptions } from "./qdiscs/fair.ts";
import type { SchedQdiscData, SchedQdiscOptions } from "./qdiscs/sched.ts";
import { qdiscKinds } from "./registry.ts";
import { checkKeys, firstPassContext, sendResolved, tcContext, type TcLookups, writeTcRequest } from "./request.ts";

/** RTM_*QDISC messages: struct tcmsg and TCA_*, options laid out by the qdisc kinds. */
export const QDISC_MESSAGE: MessageSchema = tcMessage("qdisc", qdiscKinds);

/** What every qdisc request takes besides its kind's options. */
export interface QdiscCommonOptions {
  /** The device (name or ifindex). */
  dev: Dev;
  /** Where it attaches: `"root"` (the default), or a class (`"1:10"`); ingress and clsact attach to their hook. */
  parent?: Handle;
  /** Its handle (`"1:"`); default: the kernel picks one (ingress and clsact: `ffff:`). */
  handle?: Handle;
  /** A rate estimator for its statistics (`estimator 1s 8s`). */
  estimator?: EstimatorOptions;
  /** A size table (`stab overhead 24 linklayer atm …`). */
  stab?: SizeTableOptions;
  /** Share the ingress filter block with this index (clsact, ingress). */
  ingressBlock?: number;
  /** Share the egress filter block with this index (clsact). */
  egressBlock?: number;
}

/** The typed options of every qdisc kind nlink knows (a union discriminated by `kind`). */
export type QdiscKindOptions = CoreQdiscOptions | AqmQdiscOptions | FairQdiscOptions | SchedQdiscOptions;

/**
 * A qdisc to add, replace or change. A kind nlink does not know is sent by
 * its name alone, as tc(8) sends one it has no module for (cast the options:
 * no other option can be given); the kernel refuses a kind it lacks.
 *
 * @example
 * ```ts ignore
 * await conn.addQdisc({ dev: "p0", handle: "1:", kind: "htb", default: 0x10 });
 * ```
 */
export type QdiscOptions = QdiscCommonOptions & QdiscKindOptions;

/** Decoded options of every qdisc kind nlink knows, by kind. */
export interface QdiscDataByKind extends CoreQdiscData, AqmQdiscData, FairQdiscData, SchedQdiscData {}

/** A qdisc, decoded completely from RTM_NEWQDISC. */
export interface Qdisc extends TcObject {
  /** Its handle (`"1:"`, `"ffff:"`, `"8001:"`). */
  handle: string;
  /** Ingress filter block index. */
  ingressBlock?: number;
  /** Egress filter block index. */
  egressBlock?: number;
  /** The size table parameters. */
  stab?: Record<string, unknown>;
  /** Number of filters (classic qdiscs). */
  fcnt?: number;
}

/** Statistics some kinds report only in TCA_STATS_APP (cake), decoded by the kind's layout. */
const APP_STATS = appStats(qdiscKinds);

const COMMON = new Set(["dev", "parent", "handle", "kind", "estimator", "stab", "ingressBlock", "egressBlock"]);

/**
 * Decodes an RTM_NEWQDISC / RTM_DELQDISC message.
 *
 * @example
 * ```ts ignore
 * const q = decodeQdisc(msg); // { kind: "htb", handle: "1:", parent: "root", options: { init: {…} }, stats: {…} }
 * ```
 */
export function decodeQdisc(msg: MessageView): Qdisc {
  const { object, raw } = decodeTcObject(QDISC_MESSAGE, msg, APP_STATS);
  const q = object as Qdisc;
  q.handle = formatHandle(raw.handle as number);
  if (raw.ingressBlock !== undefined) q.ingressBlock = raw.ingressBlock as number;
  if (raw.egressBlock !== undefined) q.egressBlock = raw.egressBlock as number;
  if (raw.stab !== undefined) q.stab = raw.stab as Record<string, unknown>;
  if (raw.fcnt !== undefined) q.fcnt = raw.fcnt as number;
  return q;
}

/**
 * A qdisc's options, typed by its kind (undefined when the kind differs).
 *
 * @example
 * ```ts ignore
 * const htb = qdiscData(q, "htb"); // HtbData | undefined
 * ```
 */
export function qdiscData<K extends keyof QdiscDataByKind>(q: Qdisc, kind: K): QdiscDataByKind[K] | undefined {
  return q.kind === kind ? q.options as QdiscDataByKind[K] : undefined;
}

/** The parent and handle a request carries: ingress and clsact sit on their hook with handle ffff:. */
function placement(o: { kind?: string; parent?: Handle; handle?: Handle }): { parent: number; handle: number } {
  if (o.kind === "ingress" || o.kind === "clsact") {
    if (o.parent !== undefined && o.parent !== "ingress" && o.parent !== "clsact") {
      throw new ValidationError("parent", o.parent, `${o.kind} attaches to its own hook; omit parent`);
    }
    const handle = o.handle === undefined ? makeHandle(TC_H.INGRESS, 0) : parseQdiscHandle(o.handle, "handle");
    return { parent: o.kind === "clsact" ? TC_H.CLSACT : TC_H.INGRESS, handle };
  }
  const parent = o.parent === undefined ? TC_H.ROOT : parseClassId(o.parent, "parent");
  return { parent, handle: o.handle === undefined ? 0 : parseQdiscHandle(o.handle, "handle") };
}

/**
 * Builds the RTM_NEWQDISC request tc(8) sends for `add`, `replace` or
 * `change`, on the device with ifindex `index`.
 *
 * @example
 * ```ts
 * import { qdiscRequest } from "./qdisc.ts";
 * qdiscRequest("add", 3, { dev: 3, kind: "pfifo", limit: 10 }).length; // 56
 * ```
 */
export function qdiscRequest(
  op: "add" | "replace" | "change",
  index: number,
  o: QdiscOptions,
  lookups: TcLookups = {},
): Uint8Array {
  const w = new MessageWriter(2048);
  writeQdiscRequest(w, op, index, o, tcContext(op, lookups));
  return w.bytes();
}

/** Appends the request {@linkcode qdiscRequest} builds to `w` (for batches). */
export function writeQdiscRequest(
  w: MessageWriter,
  op: TcOp,
  index: number,
  o: QdiscOptions,
  ctx: TcContext = tcContext(op),
): void {
  if (o === null || typeof o !== "object") throw new ValidationError("qdisc", o, "expected qdisc options");
  const codec = kindCodecOf(qdiscKinds(), o.kind, "qdisc");
  checkKeys(o, codec.keys, COMMON, o.kind);
  const { parent, handle } = placement(o);
  const before: Record<string, unknown> = { kind: o.kind };
  if (o.estimator !== undefined) before.estimator = estimatorOf(o.estimator, "estimator");
  if (o.ingressBlock !== undefined) before.ingressBlock = intIn(o.ingressBlock, 1, 0xffffffff, "ingressBlock");
  if (o.egressBlock !== undefined) before.egressBlock = intIn(o.egressBlock, 1, 0xffffffff, "egressBlock");
  const after = o.stab === undefined ? undefined : { stab: stabOf(o.stab, "stab") };
  writeTcRequest(w, {
    schema: QDISC_MESSAGE,
    type: RTM.NEWQDISC,
    op,
    header: { ifindex: index, handle, parent },
    before,
    codec,
    options: o,
    after,
  }, ctx);
}

/**
 * Checks qdisc options as {@linkcode addQdisc} does before it looks anything
 * up: a bad one throws a ValidationError naming the field (tc refuses such
 * words before it reads the link table).
 *
 * @example
 * ```ts
 * import { checkQdisc } from "./qdisc.ts";
 * checkQdisc("add", { dev: "p0", kind: "pfifo", limit: 10 }); // fine
 * ```
 */
export function checkQdisc(op: "add" | "replace" | "change", o: QdiscOptions): void {
  writeQdiscRequest(new MessageWriter(2048), op, 0, o, firstPassContext(op));
}

/** Which qdisc to delete: `tc qdisc del dev D root | parent P | handle H | ingress | clsact`. */
export interface DeleteQdiscOptions {
  /** The device. */
  dev: Dev;
  /** Its parent (default `"root"`). */
  parent?: Handle;
  /** Its handle. */
  handle?: Handle;
  /** Its kind (required for ingress and clsact, which are found by it). */
  kind?: string;
}

/**
 * Builds the RTM_DELQDISC request `tc qdisc del` sends.
 *
 * @example
 * ```ts
 * import { deleteQdiscRequest } from "./qdisc.ts";
 * deleteQdiscRequest(3, { dev: 3 }).length; // 36
 * ```
 */
export function deleteQdiscRequest(index: number, o: DeleteQdiscOptions): Uint8Array {
  const { parent, handle } = placement(o);
  const w = new MessageWriter(64);
  writeTcRequest(w, {
    schema: QDISC_MESSAGE,
    type: RTM.DELQDISC,
    op: "delete",
    header: { ifindex: index, handle, parent },
    before: o.kind === undefined ? undefined : { kind: o.kind },
  }, tcContext("delete"));
  return w.bytes();
}

async function modify(conn: NetlinkConnection, op: "add" | "replace" | "change", o: QdiscOptions): Promise<void> {
  await sendResolved(conn, op, `${op}Qdisc`, (w, ctx) => {
    // The first pass validates before any look-up: the device resolves like any other.
    const index = typeof o.dev === "number" ? o.dev : ctx.dev("dev", o.dev);
    writeQdiscRequest(w, op, index, o, ctx);
  }, { devices: [{ dev: o.dev, field: "dev" }], linkDev: o.dev });
}

/**
 * Adds a qdisc (`tc qdisc add`); fails if one is there.
 *
 * @example
 * ```ts ignore
 * await addQdisc(conn, { dev: "p0", kind: "tbf", rate: "1mbit", burst: "10k", latency: "50ms" });
 * ```
 */
export function addQdisc(conn: NetlinkConnection, o: QdiscOptions): Promise<void> {
  return modify(conn, "add", o);
}

/**
 * Adds or replaces a qdisc (`tc qdisc replace`).
 *
 * @example
 * ```ts ignore
 * await replaceQdisc(conn, { dev: "p0", kind: "pfifo", limit: 100 });
 * ```
 */
export function replaceQdisc(conn: NetlinkConnection, o: QdiscOptions): Promise<void> {
  return modify(conn, "replace", o);
}

/**
 * Changes an existing qdisc's options (`tc qdisc change`).
 *
 * @example
 * ```ts ignore
 * await changeQdisc(conn, { dev: "p0", handle: "1:", kind: "htb", default: 0x20 });
 * ```
 */
export function changeQdisc(conn: NetlinkConnection, o: QdiscOptions): Promise<void> {
  return modify(conn, "change", o);
}

/**
 * Deletes a qdisc (`tc qdisc del`); the device falls back to its default.
 *
 * @example
 * ```ts ignore
 * await deleteQdisc(conn, { dev: "p0" }); // the root qdisc
 * await deleteQdisc(conn, { dev: "p0", kind: "clsact" });
 * ```
 */
export async function deleteQdisc(conn: NetlinkConnection, o: DeleteQdiscOptions): Promise<void> {
  deleteQdiscRequest(1, o);
  const index = await resolveDev(conn, o.dev);
  await conn.ack(deleteQdiscRequest(index, o), "deleteQdisc");
}

/** Filters for {@linkcode getQdiscs}. */
export interface GetQdiscsOptions extends DumpOptions {
  /** Only this device's qdiscs. */
  dev?: Dev;
  /** Only qdiscs with this handle. */
  handle?: Handle;
  /** Only qdiscs under this parent. */
  parent?: Handle;
  /** Only qdiscs of this kind. */
  kind?: string;
  /** Also the default qdiscs the kernel hides (TCA_DUMP_INVISIBLE, `tc qdisc show invisible`). */
  invisible?: boolean;
}

/**
 * Builds the RTM_GETQDISC dump request `tc qdisc show [dev D] [invisible]` sends.
 *
 * @example
 * ```ts
 * import { qdiscDumpRequest } from "./qdisc.ts";
 * qdiscDumpRequest(3).length; // 36
 * ```
 */
export function qdiscDumpRequest(index = 0, invisible = false): Uint8Array {
  const w = new MessageWriter(64);
  const start = w.beginMessage(RTM.GETQDISC, REQUEST_FLAGS.dump);
  QDISC_MESSAGE.header.encode(w, { ifindex: index }, "qdisc");
  encodeAttrs(w, QDISC_MESSAGE.attrs, { dumpInvisible: invisible }, "qdisc");
  w.endMessage(start);
  return w.bytes();
}

async function dumpParts(conn: NetlinkConnection, o: GetQdiscsOptions) {
  const index = o.dev === undefined ? 0 : await resolveDev(conn, o.dev);
  const handle = o.handle === undefined ? undefined : formatHandle(parseQdiscHandle(o.handle, "handle"));
  const parent = o.parent === undefined ? undefined : formatHandle(parseClassId(o.parent, "parent"));
  const decode = (m: MessageView): Qdisc | undefined => {
    if (m.type !== RTM.NEWQDISC) return undefined;
    const q = decodeQdisc(m);
    if (index && q.ifindex !== index) return undefined;
    if (handle !== undefined && q.handle !== handle) return undefined;
    if (parent !== undefined && q.parent !== parent) return undefined;
    if (o.kind !== undefined && q.kind !== o.kind) return undefined;
    return q;
  };
  return { request: qdiscDumpRequest(index, o.invisible), decode };
}

/**
 * The qdiscs (of one device, or all), decoded completely (`tc qdisc show`).
 *
 * @example
 * ```ts ignore
 * for (const q of await getQdiscs(conn, { dev: "p0" })) console.log(q.kind, q.handle, q.stats?.drops);
 * ```
 */
export async function getQdiscs(conn: NetlinkConnection, options: GetQdiscsOptions = {}): Promise<Qdisc[]> {
  const { request, decode } = await dumpParts(conn, options);
  return conn.dump(request, decode, "getQdiscs", options);
}

/**
 * Streams qdiscs one by one without building a list.
 *
 * @example
 * ```ts ignore
 * for await (const q of streamQdiscs(conn)) console.log(q.kind);
 * ```
 */
export async function* streamQdiscs(conn: NetlinkConnection, options: GetQdiscsOptions = {}): AsyncGenerator<Qdisc> {
  const { request, decode } = await dumpParts(conn, options);
  yield* conn.stream(request, decode, "streamQdiscs", streamOptionsOf(options));
}
