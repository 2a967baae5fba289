/**
 * Actions: the action lists filters carry (TCA_*_ACT) and standalone shared
 * actions — `tc actions add|replace|get|del|flush|list`. An action is typed
 * by its kind (`{ kind: "mirred", direction: "egress", action: "redirect",
 * dev: "p1" }`); decoded actions carry their kind's options, index and
 * statistics.
 *
 * @module
 */
import { type DumpOptions, type NetlinkConnection, streamOptionsOf } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { NLM_F, REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, type MessageSchema, messageSchema, type MessageView } from "../core/message.ts";
import {
  type AttrSchema,
  attrSchema,
  type CustomCodec,
  decodeAttrs,
  encodeAttrs,
  type RawAttribute,
  type Variants,
} from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";
import { MessageWriter } from "../core/writer.ts";
import { RTM } from "../route/constants.ts";
import type { BasicActionData, BasicActionOptions } from "./actions/basic.ts";
import { ACTION_COMMON_KEYS, type ActionCommonOptions } from "./actions/common.ts";
import type { RewriteActionData, RewriteActionOptions } from "./actions/rewrite.ts";
import { BITFIELD32, TCA_STATS2_ATTRS } from "./attrs.ts";
import { hexBytes } from "./common.ts";
import { mergeStats, type TcStats } from "./decode.ts";
import type { TcContext, TcOp } from "./kind.ts";
import { actionKinds } from "./action_registry.ts";
import { checkKeys, sendResolved, TC_OP_FLAGS } from "./request.ts";

/** The typed options of every action kind nlink knows (a union discriminated by `kind`). */
export type ActionKindOptions = BasicActionOptions | RewriteActionOptions;

/**
 * One action, as a filter's `actions` list or {@linkcode addActions} takes it.
 *
 * @example
 * ```ts ignore
 * const redirect: ActionOptions = { kind: "mirred", direction: "egress", action: "redirect", dev: "p1" };
 * ```
 */
export type ActionOptions = ActionCommonOptions & ActionKindOptions;

/** Decoded options of every action kind nlink knows, by kind. */
export interface ActionDataByKind extends BasicActionData, RewriteActionData {}

/** An action, decoded (inside a filter, or standalone). */
export interface Action {
  /** The kind (`"mirred"`, `"gact"`, …). */
  kind: string;
  /** Its options, decoded by the kind's layout (raw bytes for a kind nlink does not know). */
  options?: unknown;
  /** Its index. */
  index?: number;
  /** Statistics. */
  stats?: TcStats;
  /** The cookie it was given. */
  cookie?: Uint8Array;
  /** Flags (TCA_ACT_FLAGS_*: 1 no_percpu, 2 skip_hw, 4 skip_sw). */
  flags?: { value: number; selector: number };
  /** Hardware statistics types requested. */
  hwStats?: { value: number; selector: number };
  /** Hardware statistics types in use. */
  usedHwStats?: { value: number; selector: number };
  /** How many hardware devices run it. */
  inHwCount?: number;
  /**
   * In a flush notification (a `delaction` event whose `change` is `"flushed"`): how many actions
   * of this kind the flush removed. The kernel sends no other field then.
   */
  flushed?: number;
  /** Attributes nlink does not know. */
  unknownAttrs?: RawAttribute[];
}

/** An action's statistics nest, decoded and merged into one {@linkcode TcStats}. */
const MERGED_STATS: CustomCodec = {
  decode: (b, v, off, len, ctx) => mergeStats(decodeAttrs(TCA_STATS2_ATTRS, b, v, off, off + len, ctx)),
  encode(_w, x, path) {
    throw new ValidationError(path, x, "statistics are read-only");
  },
};

let variants: Variants | undefined;
const actionVariants = (): Variants =>
  variants ??= Object.fromEntries(
    Object.entries(actionKinds()).flatMap(([name, k]) => (k.options ? [[name, k.options]] : [])),
  );

/** TCA_ACT_*: one action of a list. */
export const ACT_ATTRS: AttrSchema = attrSchema("TCA_ACT_", "linux/pkt_cls.h", {
  KIND: { id: 1, type: "string" },
  OPTIONS: { id: 2, type: "submessage", selector: "kind", variants: actionVariants, nestedFlag: true },
  INDEX: { id: 3, type: "u32" },
  STATS: { id: 4, type: "custom", codec: MERGED_STATS },
  PAD: { id: 5, type: "pad" },
  COOKIE: { id: 6, type: "binary" },
  FLAGS: { id: 7, type: "struct", struct: BITFIELD32 },
  HW_STATS: { id: 8, type: "struct", struct: BITFIELD32 },
  USED_HW_STATS: { id: 9, type: "struct", struct: BITFIELD32 },
  IN_HW_COUNT: { id: 10, type: "u32" },
});

/**
 * An action list (TCA_*_ACT of a filter, TCA_ROOT_TAB): actions in nests
 * numbered from 1, decoded in order.
 */
export const ACTION_LIST: AttrSchema = attrSchema("ACTION_LIST_", "", {
  LIST: { id: 1, type: "array", schema: ACT_ATTRS },
}, { audit: false });

const HW_STATS: Readonly<Record<string, number>> = { immediate: 1, delayed: 2, any: 3, disabled: 0 };

/**
 * Turns typed actions into the wire objects of an action list (ACT_ATTRS
 * elements), in tc(8)'s order: kind, options, cookie, hw_stats, flags.
 *
 * @example
 * ```ts ignore
 * const list = actionsValue([{ kind: "mirred", direction: "egress", action: "redirect", dev: "p1" }], ctx, "actions");
 * ```
 */
export function actionsValue(list: unknown, ctx: TcContext, path: string): Record<string, unknown>[] {
  if (!Array.isArray(list)) throw new ValidationError(path, list, "expected a list of actions");
  return list.map((a, i) => actionValue(a, ctx, `${path}[${i}]`));
}

function actionValue(a: unknown, ctx: TcContext, path: string): Record<string, unknown> {
  if (a === null || typeof a !== "object") throw new ValidationError(path, a, "expected an action");
  const o = a as Record<string, unknown>;
  const codec = actionKinds()[o.kind as string];
  if (codec === undefined) {
    throw new ValidationError(
      `${path}.kind`,
      o.kind,
      `not an action kind nlink knows (${Object.keys(actionKinds()).join(", ")})`,
    );
  }
  const out: Record<string, unknown> = { kind: o.kind };
  let options: unknown;
  try {
    checkKeys(o, codec.keys, ACTION_COMMON_KEYS, o.kind as string);
    options = codec.encode?.(o, ctx);
  } catch (e) {
    if (e instanceof ValidationError) throw new ValidationError(`${path}.${e.field}`, e.value, e.why);
    throw e;
  }
  if (options !== undefined) out.options = options;
  if (o.cookie !== undefined) out.cookie = cookieBytes(o.cookie, `${path}.cookie`);
  if (o.hwStats !== undefined) {
    const t = HW_STATS[o.hwStats as string];
    if (t === undefined) {
      throw new ValidationError(`${path}.hwStats`, o.hwStats, "expected immediate, delayed, any or disabled");
    }
    out.hwStats = { value: t, selector: t };
  }
  const flag = (o.noPercpu ? 1 : 0) | (o.skipHw ? 2 : 0) | (o.skipSw ? 4 : 0);
  if (flag) out.flags = { value: flag, selector: flag };
  return out;
}

function cookieBytes(x: unknown, path: string): Uint8Array {
  return hexBytes(x, 1, 16, path);
}

/**
 * The codec of a filter's action-list attribute: encodes the wire objects
 * {@linkcode actionsValue} makes, decodes to {@linkcode Action}s.
 *
 * @example
 * ```ts ignore
 * const U32 = attrSchema("TCA_U32_", "linux/pkt_cls.h", { ACT: { id: 7, type: "custom", codec: ACTIONS } });
 * ```
 */
export const ACTIONS: CustomCodec = {
  decode: (b, v, off, len, ctx) => ACTION_LIST.field("list").decode(b, v, off, len, ctx),
  encode: (w, x, path, ctx) => ACTION_LIST.field("list").encode(w, x, path, ctx),
};

// ------------------------------------------------------------------ standalone actions

/** struct tcamsg: the header of standalone action messages. */
const TCAMSG = cStruct("linux/rtnetlink.h", "struct tcamsg", [
  { c: "tca_family", type: "u8", name: "family" },
  { type: "pad", size: 3 },
]);

/** TCA_ROOT_*: a standalone action message's attributes. */
const ROOT_ATTRS: AttrSchema = attrSchema("TCA_ROOT_", "linux/rtnetlink.h", {
  TAB: { id: 1, type: "custom", codec: ACTIONS, name: "actions" },
  FLAGS: { id: 2, type: "struct", struct: BITFIELD32 },
  COUNT: { id: 3, type: "u32" },
  TIME_DELTA: { id: 4, type: "u32" },
  EXT_WARN_MSG: { id: 5, type: "string" },
});

/** RTM_*ACTION messages: struct tcamsg and TCA_ROOT_*. */
export const ACTION_MESSAGE: MessageSchema = messageSchema("action", TCAMSG, ROOT_ATTRS);

/**
 * An entry of a flush notification (the kernel's tcf_del_walker): the kind,
 * and under TCA_FCNT — the id other actions use for their cookie — how many
 * actions of it went.
 */
const FLUSH_ENTRY: AttrSchema = attrSchema("TCA_", "linux/rtnetlink.h", {
  KIND: { id: 1, type: "string" },
  FCNT: { id: 6, type: "u32", name: "flushed" },
});

/** A flush notification (RTM_DELACTION with NLM_F_ROOT): its table of entries. */
const FLUSH_MESSAGE: MessageSchema = messageSchema(
  "action flush",
  TCAMSG,
  attrSchema("TCA_ROOT_", "linux/rtnetlink.h", { TAB: { id: 1, type: "array", schema: FLUSH_ENTRY, name: "actions" } }),
);

/**
 * Decodes a flush notification (RTM_DELACTION with NLM_F_ROOT): one entry per
 * kind flushed, with its `kind` and `flushed` count.
 *
 * @example
 * ```ts ignore
 * import { decodeActionFlush } from "./action.ts";
 * decodeActionFlush(msg); // [{ kind: "mirred", flushed: 2 }]
 * ```
 */
export function decodeActionFlush(m: MessageView): Action[] {
  return (decodeMessage(FLUSH_MESSAGE, m).actions as Action[] | undefined) ?? [];
}

/** TCA_ACT_FLAG_LARGE_DUMP_ON: dumps may hold more than 32 actions per message. */
const LARGE_DUMP = { value: 1, selector: 1 };

/**
 * Builds the RTM_NEWACTION request `tc actions add|replace|change` sends.
 * Device names in the actions must already be indexes (see {@linkcode addActions}).
 *
 * @example
 * ```ts
 * import { actionRequest } from "./action.ts";
 * import { tcContext } from "./request.ts";
 * actionRequest("add", [{ kind: "mirred", direction: "egress", action: "redirect", dev: 2 }], tcContext("add"));
 * ```
 */
export function actionRequest(
  op: "add" | "replace" | "change",
  list: readonly ActionOptions[],
  ctx: TcContext,
): Uint8Array {
  const w = new MessageWriter(256);
  writeActionRequest(w, op, list, ctx);
  return w.bytes();
}

function writeActionRequest(w: MessageWriter, op: TcOp, list: readonly ActionOptions[], ctx: TcContext): void {
  const actions = actionsValue(list, ctx, "actions");
  // tc actions change sends what replace does (NLM_F_REPLACE | NLM_F_CREATE).
  const start = w.beginMessage(RTM.NEWACTION, TC_OP_FLAGS[op === "change" ? "replace" : op]);
  TCAMSG.encode(w, {}, "action");
  encodeAttrs(w, ROOT_ATTRS, { actions }, "action");
  w.endMessage(start);
}

async function modify(conn: NetlinkConnection, op: "add" | "replace" | "change", list: readonly ActionOptions[]) {
  await sendResolved(conn, op, `${op}Actions`, (w, ctx) => writeActionRequest(w, op, list, ctx));
}

/**
 * Adds shared actions (`tc actions add action …`); filters then use them by index.
 *
 * @example
 * ```ts ignore
 * await addActions(conn, [{ kind: "mirred", direction: "egress", action: "mirror", dev: "p1", index: 10 }]);
 * ```
 */
export function addActions(conn: NetlinkConnection, list: readonly ActionOptions[]): Promise<void> {
  return modify(conn, "add", list);
}

/**
 * Adds or replaces shared actions (`tc actions replace action …`).
 *
 * @example
 * ```ts ignore
 * await replaceActions(conn, [{ kind: "mirred", direction: "egress", action: "redirect", dev: "p1", index: 10 }]);
 * ```
 */
export function replaceActions(conn: NetlinkConnection, list: readonly ActionOptions[]): Promise<void> {
  return modify(conn, "replace", list);
}

/**
 * Builds the request that gets, deletes or flushes actions of one kind:
 * `tc actions get|del action KIND index N` or `tc actions flush action KIND`.
 *
 * @example
 * ```ts
 * import { actionLookupRequest } from "./action.ts";
 * actionLookupRequest("delete", "mirred", 5).length; // 48
 * ```
 */
export function actionLookupRequest(op: "get" | "delete" | "flush" | "dump", kind: string, index?: number): Uint8Array {
  if (typeof kind !== "string" || kind === "") throw new ValidationError("kind", kind, "expected an action kind");
  if (index !== undefined && (!Number.isInteger(index) || index < 0 || index > 0xffffffff)) {
    throw new ValidationError("index", index, "expected a u32 action index");
  }
  const entry: Record<string, unknown> = { kind };
  if (index !== undefined) entry.index = index;
  const w = new MessageWriter(64);
  const type = op === "get" || op === "dump" ? RTM.GETACTION : RTM.DELACTION;
  const flags = op === "get"
    ? NLM_F.REQUEST
    : op === "dump"
    ? REQUEST_FLAGS.dump
    : op === "flush"
    ? REQUEST_FLAGS.ack | NLM_F.ROOT
    : REQUEST_FLAGS.ack;
  const start = w.beginMessage(type, flags);
  TCAMSG.encode(w, {}, "action");
  const root: Record<string, unknown> = { actions: [entry] };
  if (op === "flush" || op === "dump") root.flags = LARGE_DUMP;
  encodeAttrs(w, ROOT_ATTRS, root, "action");
  w.endMessage(start);
  return w.bytes();
}

/**
 * The actions of an RTM_NEWACTION / RTM_DELACTION / RTM_GETACTION message.
 *
 * @example
 * ```ts ignore
 * const [a] = decodeActionMessage(msg); // { kind: "mirred", index: 5, options: {…} }
 * ```
 */
export function decodeActionMessage(m: MessageView): Action[] {
  return (decodeMessage(ACTION_MESSAGE, m).actions as Action[] | undefined) ?? [];
}

/** Replies to gets and dumps come as RTM_GETACTION, notifications as RTM_NEWACTION. */
function decodeActions(m: MessageView): Action[] | undefined {
  return m.type === RTM.NEWACTION || m.type === RTM.GETACTION ? decodeActionMessage(m) : undefined;
}

/**
 * One shared action by kind and index (`tc actions get action KIND index N`).
 *
 * @example
 * ```ts ignore
 * const a = await getAction(conn, "mirred", 10); // { kind: "mirred", index: 10, options: { parms: {…} }, stats: {…} }
 * ```
 */
export async function getAction(conn: NetlinkConnection, kind: string, index: number): Promise<Action> {
  const list = await conn.get(actionLookupRequest("get", kind, index), decodeActions, "getAction");
  const found = list[0];
  if (found === undefined) throw new ValidationError("index", index, `no ${kind} action in the reply`);
  return found;
}

/**
 * Every shared action of one kind (`tc actions list action KIND`).
 *
 * @example
 * ```ts ignore
 * for (const a of await getActions(conn, "mirred")) console.log(a.index, a.stats?.packets);
 * ```
 */
export async function getActions(conn: NetlinkConnection, kind: string, options: DumpOptions = {}): Promise<Action[]> {
  const pages = await conn.dump(actionLookupRequest("dump", kind), decodeActions, "getActions", options);
  return pages.flat();
}

/**
 * One message of an action dump, as the kernel sent it: tc(8) prints each
 * message as `total acts COUNT` and its actions numbered from 0.
 */
export interface ActionPage {
  /** TCA_ROOT_COUNT: how many actions the message holds (0 when absent). */
  count: number;
  /** The message's actions, in order. */
  actions: Action[];
}

function decodeActionPage(m: MessageView): ActionPage | undefined {
  if (m.type !== RTM.NEWACTION && m.type !== RTM.GETACTION) return undefined;
  const d = decodeMessage(ACTION_MESSAGE, m);
  return { count: (d.count as number | undefined) ?? 0, actions: (d.actions as Action[] | undefined) ?? [] };
}

/**
 * Every shared action of one kind, message by message with each message's
 * TCA_ROOT_COUNT (`tc actions list action KIND` prints them so); use
 * {@linkcode getActions} for the flat list.
 *
 * @example
 * ```ts ignore
 * for (const page of await getActionPages(conn, "gact")) console.log(page.count, page.actions.length);
 * ```
 */
export function getActionPages(
  conn: NetlinkConnection,
  kind: string,
  options: DumpOptions = {},
): Promise<ActionPage[]> {
  return conn.dump(actionLookupRequest("dump", kind), decodeActionPage, "getActionPages", options);
}

/**
 * Streams shared actions of one kind without building the whole list.
 *
 * @example
 * ```ts ignore
 * for await (const a of streamActions(conn, "gact")) console.log(a.index);
 * ```
 */
export async function* streamActions(
  conn: NetlinkConnection,
  kind: string,
  options: DumpOptions = {},
): AsyncGenerator<Action> {
  const request = actionLookupRequest("dump", kind);
  for await (const page of conn.stream(request, decodeActions, "streamActions", streamOptionsOf(options))) yield* page;
}

/**
 * Deletes a shared action (`tc actions del action KIND index N`).
 *
 * @example
 * ```ts ignore
 * await deleteAction(conn, "mirred", 10);
 * ```
 */
export async function deleteAction(conn: NetlinkConnection, kind: string, index: number): Promise<void> {
  await conn.ack(actionLookupRequest("delete", kind, index), "deleteAction");
}

/**
 * Deletes every shared action of one kind (`tc actions flush action KIND`).
 *
 * @example
 * ```ts ignore
 * await flushActions(conn, "gact");
 * ```
 */
export async function flushActions(conn: NetlinkConnection, kind: string): Promise<void> {
  await conn.ack(actionLookupRequest("flush", kind), "flushActions");
}

/**
 * An action's options, typed by its kind (undefined when the kind differs).
 *
 * @example
 * ```ts ignore
 * const m = actionData(a, "mirred");
 * ```
 */
export function actionData<K extends keyof ActionDataByKind>(a: Action, kind: K): ActionDataByKind[K] | undefined {
  return a.kind === kind ? a.options as ActionDataByKind[K] : undefined;
}
