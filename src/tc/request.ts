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
import { checkIndex, checkName, type Dev, resolveDev } from "../route/link_lookup.ts";
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

/** What a request's options needed from outside: devices, the link speed, pinned BPF objects. */
export interface TcLookups {
  /** Ifindexes by device name. */
  devices?: ReadonlyMap<string, number>;
  /** The speed of the request's device in Mbit/s. */
  linkSpeed?: number;
  /** File descriptors of pinned BPF objects, by path. */
  pinned?: ReadonlyMap<string, number>;
}

/**
 * The link speed a share is computed with while a request's look-ups are
 * collected: a rate of that pass is only validated, never sent. 10 Gbit/s
 * keeps every share of it within 32 bits of bytes per second, so no check of
 * that pass fails where a slower link would pass.
 */
const FIRST_PASS_LINK_SPEED = 10000;

/** What a first pass found the options need (filled in by {@linkcode tcContext}). */
export interface TcWanted {
  /** Device names to resolve. */
  devices: Set<string>;
  /** Whether a rate is a percentage of the link speed (and the first field that gave one). */
  linkSpeed?: string;
  /** Pinned BPF paths to open, each with the first option that named it. */
  pinned: Map<string, string>;
}

/**
 * A context answering from `lookups`. With `wanted` (the first pass) a
 * missing answer is recorded there and a placeholder returned; without it a
 * missing answer is an error naming the field (as for request builders
 * called without a connection).
 *
 * @example
 * ```ts
 * import { tcContext } from "./request.ts";
 * tcContext("add", { devices: new Map([["p1", 3]]) }).dev("actions[0].dev", "p1"); // 3
 * ```
 */
export function tcContext(op: TcOp, lookups: TcLookups = {}, wanted?: TcWanted): TcContext {
  return {
    op,
    dev(path, value) {
      if (typeof value === "number") return checkIndex(value, path);
      checkName(value, path);
      const index = lookups.devices?.get(value);
      if (index !== undefined) return index;
      if (wanted === undefined) throw new ValidationError(path, value, "device not resolved");
      wanted.devices.add(value);
      return 0;
    },
    linkSpeed(path) {
      if (lookups.linkSpeed !== undefined) return lookups.linkSpeed;
      if (wanted === undefined) {
        throw new ValidationError(path, undefined, "a rate as a share of the link speed needs the device's speed");
      }
      wanted.linkSpeed ??= path;
      return FIRST_PASS_LINK_SPEED;
    },
    pinnedBpf(path, file) {
      if (typeof file !== "string" || !file.startsWith("/")) {
        throw new ValidationError(path, file, "expected the absolute path of a pinned BPF object");
      }
      const fd = lookups.pinned?.get(file);
      if (fd !== undefined) return fd;
      if (wanted === undefined) throw new ValidationError(path, file, "pinned BPF object not opened");
      if (!wanted.pinned.has(file)) wanted.pinned.set(file, path);
      return 0;
    },
  };
}

/**
 * The context of a first pass (see {@linkcode buildResolved}): look-ups are
 * only collected, so building with it checks the options without a
 * connection.
 *
 * @example
 * ```ts
 * import { firstPassContext } from "./request.ts";
 * firstPassContext("add").dev("dev", "p0"); // 0: a placeholder
 * ```
 */
export function firstPassContext(op: TcOp): TcContext {
  return tcContext(op, {}, { devices: new Set(), pinned: new Map() });
}

/** A request built after its look-ups, and what to release once it is sent. */
export interface ResolvedRequest {
  /** The request bytes. */
  bytes: Uint8Array;
  /** The devices resolved, by name. */
  devices: ReadonlyMap<string, number>;
  /** Closes the pinned BPF objects opened for the request (call once it is sent). */
  release(): void;
}

/**
 * Builds a request (or several, in one buffer) whose options need look-ups:
 * `build` runs once to validate and collect what it needs (device names, the
 * link speed of `linkDev`, pinned BPF objects), these are read through
 * `conn`, and `build` runs again with the answers. Bad input fails before
 * anything is sent; call `release()` after sending.
 *
 * @example
 * ```ts ignore
 * const r = await buildResolved(conn, "add", (w, ctx) => writeTcRequest(w, request, ctx));
 * try { await conn.ack(r.bytes, "addFilter"); } finally { r.release(); }
 * ```
 */
export async function buildResolved(
  conn: NetlinkConnection,
  op: TcOp,
  build: (w: MessageWriter, ctx: TcContext) => void,
  options: { devices?: readonly { dev: Dev; field: string }[]; linkDev?: Dev } = {},
): Promise<ResolvedRequest> {
  const wanted: TcWanted = { devices: new Set(), pinned: new Map() };
  build(new MessageWriter(512), tcContext(op, {}, wanted));
  const devices = new Map<string, number>();
  for (const { dev, field } of options.devices ?? []) {
    if (typeof dev === "string") devices.set(dev, await resolveDev(conn, dev, field));
  }
  for (const name of wanted.devices) if (!devices.has(name)) devices.set(name, await resolveDev(conn, name, name));
  let linkSpeed: number | undefined;
  if (wanted.linkSpeed !== undefined) {
    if (options.linkDev === undefined) {
      throw new ValidationError(wanted.linkSpeed, undefined, "a rate as a share of the link speed needs a device");
    }
    const { linkSpeedOf } = await import("./link_speed.ts");
    linkSpeed = await linkSpeedOf(conn, options.linkDev, wanted.linkSpeed);
  }
  const pinned = new Map<string, number>();
  // Loaded only when a pinned object is named: it opens the FFI library.
  const bpf = wanted.pinned.size === 0 ? undefined : await import("./bpf_pinned.ts");
  const release = () => {
    for (const fd of pinned.values()) bpf?.closePinnedBpf(fd);
    pinned.clear();
  };
  try {
    for (const [file, field] of wanted.pinned) pinned.set(file, bpf!.openPinnedBpf(file, field));
    const w = new MessageWriter(512);
    build(w, tcContext(op, { devices, linkSpeed, pinned }));
    return { bytes: w.bytes(), devices, release };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * Builds a request with {@linkcode buildResolved}, sends it and waits for the
 * kernel's acknowledgement, releasing what was opened for it either way.
 *
 * @example
 * ```ts ignore
 * await sendResolved(conn, "add", "addFilter", (w, ctx) => writeFilterRequest(w, "add", 3, o, ctx));
 * ```
 */
export async function sendResolved(
  conn: NetlinkConnection,
  op: TcOp,
  operation: string,
  build: (w: MessageWriter, ctx: TcContext) => void,
  options: { devices?: readonly { dev: Dev; field: string }[]; linkDev?: Dev } = {},
): Promise<ReadonlyMap<string, number>> {
  const r = await buildResolved(conn, op, build, options);
  try {
    await conn.ack(r.bytes, operation);
  } finally {
    r.release();
  }
  return r.devices;
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
