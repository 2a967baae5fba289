/**
 * Building traffic-control requests: a tcmsg header, the attributes iproute2
 * writes before the kind's options, TCA_OPTIONS built by the kind's codec,
 * and the attributes after. Device options inside the kind's options (a
 * mirred target, a flower `indev`) are resolved in two passes: the first
 * pass validates everything and collects the names, which are then looked
 * up through the connection, and the second builds the request.
 *
 * @module
 */
import type { NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { NLM_F, REQUEST_FLAGS } from "../core/header.ts";
import type { MessageSchema } from "../core/message.ts";
import { AttrSchema, type CustomCodec, encodeAttrs } from "../core/schema.ts";
import { StructDef } from "../core/struct.ts";
import { MessageWriter } from "../core/writer.ts";
import { checkIndex, checkName, type Dev, resolveDev } from "../route/link.ts";
import type { TcContext, TcKindCodec, TcOp, TcOptions } from "./kind.ts";

/** TCA_OPTIONS. */
const TCA_OPTIONS = 2;

/** The netlink flags of each operation, as tc(8) sends them. */
export const TC_OP_FLAGS: Readonly<Record<TcOp, number>> = {
  add: REQUEST_FLAGS.create,
  replace: REQUEST_FLAGS.replace,
  change: NLM_F.REQUEST | NLM_F.ACK,
  delete: REQUEST_FLAGS.ack,
  get: REQUEST_FLAGS.get,
};

/**
 * Writes a kind's options value with its layout (raw bytes pass as they are).
 *
 * @example
 * ```ts ignore
 * writeOptionsValue(w, HTB.options, { init: { version: 3, rate2quantum: 10 } }, "options");
 * ```
 */
export function writeOptionsValue(
  w: MessageWriter,
  layout: AttrSchema | StructDef | CustomCodec | undefined,
  value: unknown,
  path: string,
): void {
  if (value instanceof Uint8Array) return w.raw(value);
  if (layout === undefined) throw new ValidationError(path, value, "this kind takes no options");
  if (layout instanceof AttrSchema) encodeAttrs(w, layout, value as Record<string, unknown>, path, { family: 0 });
  else if (layout instanceof StructDef) layout.encode(w, value as Record<string, unknown>, path);
  else layout.encode(w, value, path, { family: 0 });
}

/** The parts of one traffic-control request. */
export interface TcRequest {
  /** The message layout (its attribute set names the TCA_* attributes). */
  schema: MessageSchema;
  /** nlmsg_type. */
  type: number;
  /** The operation (decides the flags). */
  op: TcOp;
  /** Flags instead of the operation's usual ones. */
  flags?: number;
  /** struct tcmsg. */
  header: { ifindex: number; handle: number; parent: number; info?: number };
  /** TCA_* attributes before TCA_OPTIONS, in iproute2's order. */
  before?: Record<string, unknown>;
  /** The kind's codec (undefined: no TCA_OPTIONS). */
  codec?: TcKindCodec;
  /** The options given (the whole request object). */
  options?: object;
  /** TCA_* attributes after TCA_OPTIONS. */
  after?: Record<string, unknown>;
}

/**
 * Appends one request to `w`; `ctx` answers device look-ups.
 *
 * @example
 * ```ts ignore
 * writeTcRequest(w, { schema: QDISC_MESSAGE, type: RTM.NEWQDISC, op: "add", header, before: { kind: "htb" }, codec, options }, ctx);
 * ```
 */
export function writeTcRequest(w: MessageWriter, r: TcRequest, ctx: TcContext): void {
  const extra = r.codec?.extraFlags?.((r.options ?? {}) as TcOptions, r.op) ?? 0;
  const start = w.beginMessage(r.type, (r.flags ?? TC_OP_FLAGS[r.op]) | extra);
  r.schema.header.encode(w, r.header, r.schema.name);
  if (r.before) encodeAttrs(w, r.schema.attrs, r.before, r.schema.name, { family: 0 });
  const value = r.codec?.encode?.((r.options ?? {}) as TcOptions, ctx);
  if (value !== undefined) {
    const at = w.beginAttr(TCA_OPTIONS, r.codec?.nestedFlag ?? false);
    writeOptionsValue(w, r.codec?.options, value, "options");
    w.endAttr(at);
  }
  if (r.after) encodeAttrs(w, r.schema.attrs, r.after, r.schema.name, { family: 0 });
  w.endMessage(start);
}

/**
 * A context whose device look-ups answer from `known` (ifindexes by name);
 * an unknown name is recorded in `wanted` and answers 0 (the first pass).
 */
export function deviceContext(op: TcOp, known: ReadonlyMap<string, number>, wanted?: Set<string>): TcContext {
  return {
    op,
    dev(path, value) {
      if (typeof value === "number") return checkIndex(value, path);
      checkName(value, path);
      const index = known.get(value);
      if (index !== undefined) return index;
      if (wanted === undefined) throw new ValidationError(path, value, "device not resolved");
      wanted.add(value);
      return 0;
    },
  };
}

/**
 * Builds a request (or several, in one buffer) whose kind options may name
 * devices: `build` runs once to validate and collect device names, the names
 * are resolved through `conn`, and `build` runs again with their indexes.
 * Bad input fails before anything is sent.
 *
 * @example
 * ```ts ignore
 * const bytes = await buildWithDevices(conn, "add", (w, ctx) => writeTcRequest(w, request, ctx));
 * ```
 */
export async function buildWithDevices(
  conn: NetlinkConnection,
  op: TcOp,
  build: (w: MessageWriter, ctx: TcContext) => void,
  extra: readonly { dev: Dev; field: string }[] = [],
): Promise<{ bytes: Uint8Array; devices: ReadonlyMap<string, number> }> {
  const wanted = new Set<string>();
  build(new MessageWriter(512), deviceContext(op, new Map(), wanted));
  const known = new Map<string, number>();
  for (const { dev, field } of extra) {
    if (typeof dev === "string") known.set(dev, await resolveDev(conn, dev, field));
  }
  for (const name of wanted) if (!known.has(name)) known.set(name, await resolveDev(conn, name, name));
  const w = new MessageWriter(512);
  build(w, deviceContext(op, known));
  return { bytes: w.bytes(), devices: known };
}

/**
 * Refuses option names a kind does not take (a typo must not be ignored).
 *
 * @example
 * ```ts ignore
 * checkKeys({ kind: "pfifo", limit: 10, limt: 3 }, ["limit"], COMMON, "pfifo"); // throws: limt
 * ```
 */
export function checkKeys(
  options: object,
  kindKeys: readonly string[] | undefined,
  common: ReadonlySet<string>,
  kind: string,
): void {
  if (kindKeys === undefined) return;
  const o = options as TcOptions;
  for (const key of Object.keys(o)) {
    if (o[key] === undefined || common.has(key) || kindKeys.includes(key)) continue;
    throw new ValidationError(key, o[key], `not an option of ${kind} (it takes ${kindKeys.join(", ") || "none"})`);
  }
}
