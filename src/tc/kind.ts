/**
 * What every traffic-control kind module provides: the layout of its
 * TCA_OPTIONS (for decoding, and for writing the wire value), the function
 * that turns typed options into that value in iproute2's order, the layout of
 * its extended statistics, and the option names it accepts.
 *
 * Qdiscs, classes, filters and actions all use this shape; an action's
 * options are its TCA_ACT_OPTIONS nest.
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import type { AttrSchema, CustomCodec } from "../core/schema.ts";
import type { StructDef } from "../core/struct.ts";
import type { Dev } from "../route/link_types.ts";

/** The request being built: iproute2 sends some defaults only when creating. */
export type TcOp = "add" | "replace" | "change" | "delete" | "get";

/** What a kind's encoder may ask while it builds its options. */
export interface TcContext {
  /** The operation (`"change"` requests carry only what was given). */
  readonly op: TcOp;
  /**
   * The ifindex for a device option at `path` (a mirred target, a flower
   * `indev`, …): names are resolved in the connection's namespace before the
   * request is built, so this is synchronous.
   */
  dev(path: string, value: Dev): number;
  /**
   * The speed of the request's own device in Mbit/s, for a rate given as a
   * share of it (`rate: "10%"`, as tc(8) reads one). Read through the
   * connection before the request is built.
   */
  linkSpeed(path: string): number;
  /**
   * A file descriptor of the BPF object pinned at `file` (tc(8)'s
   * `object-pinned`): opened before the request is built, closed once it is
   * sent.
   */
  pinnedBpf(path: string, file: string): number;
}

/** A kind's options as the encoders see them: the whole request object. */
export type TcOptions = Readonly<Record<string, unknown>>;

/** How one qdisc, class, filter or action kind is encoded and decoded. */
export interface TcKindCodec {
  /**
   * The layout of TCA_OPTIONS (of TCA_ACT_OPTIONS for actions): an attribute
   * set, a struct, or a codec (a struct followed by attributes, …). Absent:
   * the kind has no options (and decodes whatever comes as bytes).
   */
  readonly options?: AttrSchema | StructDef | CustomCodec;
  /** Whether iproute2 sets NLA_F_NESTED on TCA_OPTIONS for this kind. */
  readonly nestedFlag?: boolean;
  /**
   * Builds the TCA_OPTIONS value (what `options` encodes) from the typed
   * options, in the order iproute2 writes them; undefined when iproute2 sends
   * no TCA_OPTIONS at all. Throws ValidationError on bad input.
   */
  readonly encode?: (o: TcOptions, ctx: TcContext) => unknown;
  /** The layout of the kind's extended statistics (TCA_XSTATS, TCA_STATS_APP). */
  readonly xstats?: StructDef | CustomCodec;
  /**
   * The option names the kind takes (besides the object's common ones):
   * anything else is refused with a ValidationError before a request is sent.
   */
  readonly keys?: readonly string[];
  /**
   * Netlink flags the kind adds to its requests (iproute2 sets NLM_F_CREATE
   * on `tc qdisc change … gred setup`, for one).
   */
  readonly extraFlags?: (o: TcOptions, op: TcOp) => number;
  /** Filters: the handle to send when none is given (route filters encode their selectors in it). */
  readonly defaultHandle?: (o: TcOptions) => number;
  /** Filters: the kind's own handle syntax (u32's `800:0:1`, …); default: a number or hexadecimal text. */
  readonly parseHandle?: (value: unknown, field: string) => number;
}

/**
 * A registry of kinds by name.
 *
 * @example
 * ```ts ignore
 * const kinds: KindTable = { pfifo: FIFO, bfifo: FIFO };
 * ```
 */
export type KindTable = Readonly<Record<string, TcKindCodec>>;

/** How a kind nlink does not know is sent: its name alone. */
const NAME_ONLY: TcKindCodec = { keys: [] };

const utf8 = new TextEncoder();

/**
 * The codec of `kind` in `table`. A kind nlink does not know is sent by its
 * name alone (TCA_KIND, no TCA_OPTIONS), as tc(8) sends a kind it has no
 * module for: the kernel's own option-less kinds stay usable, and a misspelt
 * one is refused by the kernel (`Specified qdisc kind is unknown`) with
 * nothing changed. Such a kind takes no options; `what` names the object in
 * errors.
 *
 * @example
 * ```ts
 * import { kindCodecOf } from "./kind.ts";
 * kindCodecOf({}, "mq", "qdisc").keys; // []: the name alone
 * ```
 */
export function kindCodecOf(table: KindTable, kind: unknown, what: string): TcKindCodec {
  if (typeof kind === "string" && Object.hasOwn(table, kind)) return table[kind];
  // TCA_KIND is read into an IFNAMSIZ buffer: at most 15 bytes and the NUL.
  if (typeof kind !== "string" || kind === "" || kind.includes("\0") || utf8.encode(kind).length > 15) {
    throw new ValidationError("kind", kind, `the name of a ${what} kind (1 to 15 bytes)`);
  }
  return NAME_ONLY;
}
