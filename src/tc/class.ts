/**
 * Classes of classful qdiscs (htb, hfsc, drr, qfq, ets, …): list, add,
 * replace, change, delete — `tc class`. Requests are byte-for-byte what
 * tc(8) sends.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { NLM_F, REQUEST_FLAGS } from "../core/header.ts";
import type { MessageSchema, MessageView } from "../core/message.ts";
import { MessageWriter } from "../core/writer.ts";
import { RTM } from "../route/constants.ts";
import { type Dev, resolveDev } from "../route/link_lookup.ts";
import { tcMessage } from "./attrs.ts";
import { appStats, decodeTcObject, type TcObject } from "./decode.ts";
import { estimatorOf, type EstimatorOptions } from "./estimator.ts";
import { formatHandle, type Handle, parseClassId } from "./handle.ts";
import type { TcContext, TcOp } from "./kind.ts";
import type { CoreClassData, CoreClassOptions } from "./qdiscs/core.ts";
import type { SchedClassData, SchedClassOptions } from "./qdiscs/sched.ts";
import { classKinds } from "./registry.ts";
import { checkKeys, firstPassContext, sendResolved, tcContext, type TcLookups, writeTcRequest } from "./request.ts";

/** RTM_*TCLASS messages: struct tcmsg and TCA_*, options laid out by the class kinds. */
export const CLASS_MESSAGE: MessageSchema = tcMessage("class", classKinds);

/** What every class request takes besides its kind's options. */
export interface ClassCommonOptions {
  /** The device. */
  dev: Dev;
  /** Its parent: the qdisc (`"1:"`) or a parent class (`"1:1"`). */
  parent?: Handle;
  /** Its class id (`"1:10"`). */
  classid: Handle;
  /** A rate estimator for its statistics. */
  estimator?: EstimatorOptions;
}

/** The typed options of every class kind nlink knows. */
export type ClassKindOptions = CoreClassOptions | SchedClassOptions;

/**
 * A class to add, replace or change.
 *
 * @example
 * ```ts ignore
 * await conn.addClass({ dev: "p0", parent: "1:", classid: "1:10", kind: "htb", rate: "10mbit" });
 * ```
 */
export type ClassOptions = ClassCommonOptions & ClassKindOptions;

/** Decoded options of every class kind nlink knows, by kind. */
export interface ClassDataByKind extends CoreClassData, SchedClassData {}

/** A class, decoded completely from RTM_NEWTCLASS. */
export interface TcClass extends TcObject {
  /** Its class id (`"1:10"`). */
  handle: string;
}

/** Statistics some kinds report only in TCA_STATS_APP (cake), decoded by the kind's layout. */
const APP_STATS = appStats(classKinds);

const COMMON = new Set(["dev", "parent", "classid", "estimator", "kind"]);

/**
 * Decodes an RTM_NEWTCLASS / RTM_DELTCLASS message.
 *
 * @example
 * ```ts ignore
 * const c = decodeClass(msg); // { kind: "htb", handle: "1:10", parent: "1:", options: { parms: {…} }, xstats: {…} }
 * ```
 */
export function decodeClass(msg: MessageView): TcClass {
  const { object, raw } = decodeTcObject(CLASS_MESSAGE, msg, APP_STATS);
  const c = object as TcClass;
  c.handle = formatHandle(raw.handle as number);
  return c;
}

/**
 * A class's options, typed by its kind (undefined when the kind differs).
 *
 * @example
 * ```ts ignore
 * const htb = classData(c, "htb");
 * ```
 */
export function classData<K extends keyof ClassDataByKind>(c: TcClass, kind: K): ClassDataByKind[K] | undefined {
  return c.kind === kind ? c.options as ClassDataByKind[K] : undefined;
}

/**
 * Builds the RTM_NEWTCLASS request tc(8) sends.
 *
 * @example
 * ```ts ignore
 * classRequest("add", 3, { dev: 3, parent: "1:", classid: "1:10", kind: "htb", rate: "1mbit" });
 * ```
 */
export function classRequest(
  op: "add" | "replace" | "change",
  index: number,
  o: ClassOptions,
  lookups: TcLookups = {},
): Uint8Array {
  const w = new MessageWriter(2560);
  writeClassRequest(w, op, index, o, tcContext(op, lookups));
  return w.bytes();
}

/**
 * Checks class options as {@linkcode addClass} does before it looks anything
 * up: a bad one throws a ValidationError naming the field.
 *
 * @example
 * ```ts
 * import { checkClass } from "./class.ts";
 * checkClass("add", { dev: "p0", classid: "1:10", kind: "htb", rate: "1mbit" }); // fine
 * ```
 */
export function checkClass(op: "add" | "replace" | "change", o: ClassOptions): void {
  writeClassRequest(new MessageWriter(2560), op, 0, o, firstPassContext(op));
}

/** Appends the request {@linkcode classRequest} builds to `w`. */
export function writeClassRequest(
  w: MessageWriter,
  op: TcOp,
  index: number,
  o: ClassOptions,
  ctx: TcContext = tcContext(op),
): void {
  if (o === null || typeof o !== "object") throw new ValidationError("class", o, "expected class options");
  const codec = classKinds()[o.kind];
  if (codec === undefined) {
    throw new ValidationError("kind", o.kind, `not a class kind nlink knows (${Object.keys(classKinds()).join(", ")})`);
  }
  checkKeys(o, codec.keys, COMMON, o.kind);
  if (o.classid === undefined) throw new ValidationError("classid", o.classid, "a class needs its class id");
  const before: Record<string, unknown> = { kind: o.kind };
  if (o.estimator !== undefined) before.estimator = estimatorOf(o.estimator, "estimator");
  writeTcRequest(w, {
    schema: CLASS_MESSAGE,
    type: RTM.NEWTCLASS,
    op,
    // tc class replace asks to create (NLM_F_CREATE) but not to replace, as tc filter replace does.
    flags: op === "replace" ? NLM_F.REQUEST | NLM_F.ACK | NLM_F.CREATE : undefined,
    header: {
      ifindex: index,
      handle: parseClassId(o.classid, "classid"),
      parent: o.parent === undefined ? 0 : parseClassId(o.parent, "parent"),
    },
    before,
    codec,
    options: o,
  }, ctx);
}

async function modify(conn: NetlinkConnection, op: "add" | "replace" | "change", o: ClassOptions): Promise<void> {
  await sendResolved(conn, op, `${op}Class`, (w, ctx) => {
    const index = typeof o.dev === "number" ? o.dev : ctx.dev("dev", o.dev);
    writeClassRequest(w, op, index, o, ctx);
  }, { devices: [{ dev: o.dev, field: "dev" }], linkDev: o.dev });
}

/**
 * Adds a class (`tc class add`).
 *
 * @example
 * ```ts ignore
 * await addClass(conn, { dev: "p0", parent: "1:", classid: "1:10", kind: "htb", rate: "10mbit", ceil: "20mbit" });
 * ```
 */
export function addClass(conn: NetlinkConnection, o: ClassOptions): Promise<void> {
  return modify(conn, "add", o);
}

/**
 * Adds or replaces a class (`tc class replace`).
 *
 * @example
 * ```ts ignore
 * await replaceClass(conn, { dev: "p0", parent: "1:", classid: "1:10", kind: "htb", rate: "5mbit" });
 * ```
 */
export function replaceClass(conn: NetlinkConnection, o: ClassOptions): Promise<void> {
  return modify(conn, "replace", o);
}

/**
 * Changes a class (`tc class change`).
 *
 * @example
 * ```ts ignore
 * await changeClass(conn, { dev: "p0", parent: "1:", classid: "1:10", kind: "htb", rate: "8mbit" });
 * ```
 */
export function changeClass(conn: NetlinkConnection, o: ClassOptions): Promise<void> {
  return modify(conn, "change", o);
}

/**
 * Builds the RTM_DELTCLASS request `tc class del dev D classid C` sends.
 *
 * @example
 * ```ts
 * import { deleteClassRequest } from "./class.ts";
 * deleteClassRequest(3, { classid: "1:10" }).length; // 36
 * ```
 */
export function deleteClassRequest(index: number, o: { classid: Handle; parent?: Handle }): Uint8Array {
  const w = new MessageWriter(64);
  writeTcRequest(w, {
    schema: CLASS_MESSAGE,
    type: RTM.DELTCLASS,
    op: "delete",
    header: {
      ifindex: index,
      handle: parseClassId(o.classid, "classid"),
      parent: o.parent === undefined ? 0 : parseClassId(o.parent, "parent"),
    },
  }, tcContext("delete"));
  return w.bytes();
}

/**
 * Deletes a class (`tc class del`).
 *
 * @example
 * ```ts ignore
 * await deleteClass(conn, { dev: "p0", classid: "1:10" });
 * ```
 */
export async function deleteClass(
  conn: NetlinkConnection,
  o: { dev: Dev; classid: Handle; parent?: Handle },
): Promise<void> {
  deleteClassRequest(1, o);
  await conn.ack(deleteClassRequest(await resolveDev(conn, o.dev), o), "deleteClass");
}

/** Filters for {@linkcode getClasses}. */
export interface GetClassesOptions extends DumpOptions {
  /** The device. */
  dev: Dev;
  /** Only classes of this qdisc or under this parent (`tc class show dev D parent P`). */
  parent?: Handle;
  /** Only this class. */
  classid?: Handle;
}

/**
 * Builds the RTM_GETTCLASS dump request `tc class show dev D [parent P]` sends.
 *
 * @example
 * ```ts
 * import { classDumpRequest } from "./class.ts";
 * classDumpRequest(3).length; // 36
 * ```
 */
export function classDumpRequest(index: number, parent = 0): Uint8Array {
  const w = new MessageWriter(64);
  const start = w.beginMessage(RTM.GETTCLASS, REQUEST_FLAGS.dump);
  CLASS_MESSAGE.header.encode(w, { ifindex: index, parent }, "class");
  w.endMessage(start);
  return w.bytes();
}

async function dumpParts(conn: NetlinkConnection, o: GetClassesOptions) {
  const index = await resolveDev(conn, o.dev);
  const parent = o.parent === undefined ? 0 : parseClassId(o.parent, "parent");
  const classid = o.classid === undefined ? undefined : formatHandle(parseClassId(o.classid, "classid"));
  const decode = (m: MessageView): TcClass | undefined => {
    if (m.type !== RTM.NEWTCLASS) return undefined;
    const c = decodeClass(m);
    if (c.ifindex !== index) return undefined;
    return classid === undefined || c.handle === classid ? c : undefined;
  };
  return { request: classDumpRequest(index, parent), decode };
}

/**
 * A device's classes, decoded completely (`tc class show dev D`).
 *
 * @example
 * ```ts ignore
 * for (const c of await getClasses(conn, { dev: "p0" })) console.log(c.handle, c.stats?.bytes);
 * ```
 */
export async function getClasses(conn: NetlinkConnection, options: GetClassesOptions): Promise<TcClass[]> {
  const { request, decode } = await dumpParts(conn, options);
  return conn.dump(request, decode, "getClasses", options);
}

/**
 * Streams a device's classes one by one.
 *
 * @example
 * ```ts ignore
 * for await (const c of streamClasses(conn, { dev: "p0" })) console.log(c.handle);
 * ```
 */
export async function* streamClasses(conn: NetlinkConnection, options: GetClassesOptions): AsyncGenerator<TcClass> {
  const { request, decode } = await dumpParts(conn, options);
  yield* conn.stream(request, decode, "streamClasses", streamOptionsOf(options));
}
