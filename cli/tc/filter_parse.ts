/**
 * `tc filter add|change|replace|del|get …` words → the library's filter
 * options (tc_filter.c's header words, then the kind's own words through
 * its parser in f_*_parse.ts). Pure: device names stay names.
 *
 * @module
 */
import { parseU32Handle } from "@nlink/nlink/tc";
import { llProto } from "../common/ll_proto.ts";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { parseFlower } from "./f_flower_parse.ts";
import { parseFw, parseMatchall, parseRoute, parseRsvp, parseTcindex } from "./f_classic_parse.ts";
import { parseBasic, parseBpf, parseCgroup, parseFlow } from "./f_misc_parse.ts";
import { parseU32 } from "./f_u32_parse.ts";
import { cUint, KindWordError, Words } from "./filter_args.ts";
import { FILTER_KIND_USAGE } from "./f_usage.ts";

type Opts = Record<string, unknown>;

/** The filter operations. */
export type FilterOp = "add" | "change" | "replace" | "delete" | "get";

/** Each filter kind's parser: its words (the cursor after the kind's name) → its options. */
export const FILTER_PARSERS: Readonly<Record<string, (w: Words, kind: string) => Opts>> = {
  u32: parseU32,
  flower: parseFlower,
  matchall: parseMatchall,
  fw: parseFw,
  route: parseRoute,
  tcindex: parseTcindex,
  rsvp: parseRsvp,
  rsvp6: parseRsvp,
  bpf: parseBpf,
  basic: parseBasic,
  cgroup: parseCgroup,
  flow: parseFlow,
};

/** The usage text of `tc filter`. */
export const FILTER_USAGE = `Usage: tc filter [ add | del | change | replace | show ] [ dev STRING ]
       tc filter [ add | del | change | replace | show ] [ block BLOCK_INDEX ]
       tc filter get dev STRING parent CLASSID protocol PROTO handle FILTERID pref PRIO FILTER_TYPE
       tc filter get block BLOCK_INDEX protocol PROTO handle FILTERID pref PRIO FILTER_TYPE
       [ pref PRIO ] protocol PROTO [ chain CHAIN_INDEX ]
       [ estimator INTERVAL TIME_CONSTANT ]
       [ root | ingress | egress | parent CLASSID ]
       [ handle FILTERID ] [ [ FILTER_TYPE ] [ help | OPTIONS ] ]

       tc filter show [ dev STRING ] [ root | ingress | egress | parent CLASSID ]
       tc filter show [ block BLOCK_INDEX ]
Where:
FILTER_TYPE := { rsvp | u32 | bpf | fw | route | etc. }
FILTERID := ... format depends on classifier, see there
OPTIONS := ... try tc filter add <desired FILTER_KIND> help`;

/** Prints the usage (to stderr) and ends with `code`. */
export function filterUsage(code = 255): UsageError {
  console.error(FILTER_USAGE);
  return new UsageError("", code, true);
}

function duplicate(what: string, value: string): UsageError {
  return new UsageError(`Error: duplicate "${what}": "${value}" is the second value.`, 255);
}

/** Whether tc's ll_proto_a2n reads `word`: a protocol name or a 16-bit number. */
/** The header words a filter command (and `tc chain`, `tc filter show`) may give. */
export interface FilterHeader {
  /** `dev NAME`. */
  dev?: string;
  /** `block N`. */
  block?: number;
  /** `root|ingress|egress|parent P`. */
  parent?: string;
  /** `handle H`. */
  handle?: string;
  /** `pref|prio N`. */
  prio?: number;
  /** `protocol P`. */
  protocol?: string;
  /** `chain N`. */
  chain?: number;
  /** `estimator I T`. */
  estimator?: { interval: string; timeConstant: string };
  /** The kind's name (the first word that is none of the above). */
  kind?: string;
}

/**
 * Reads tc_filter.c's header words up to the kind's name, leaving the cursor
 * after it. `show` mode refuses a kind (` What is "X"? Try "tc filter help"`).
 *
 * @example
 * ```ts
 * import { parseFilterHeader } from "./filter_parse.ts";
 * import { Words } from "./filter_args.ts";
 * parseFilterHeader(new Words(["dev", "p0", "ingress", "matchall"])).kind; // "matchall"
 * ```
 */
export function parseFilterHeader(w: Words, show = false): FilterHeader {
  const h: FilterHeader = {};
  const parent = (p: string) => {
    if (h.parent !== undefined) {
      if (p === "root" || p === "ingress" || p === "egress") {
        throw new UsageError(`Error: "${p}" is duplicate parent ID`, 255);
      }
      throw duplicate("parent", p);
    }
    h.parent = p;
  };
  while (w.more) {
    if (w.is("dev")) {
      const v = w.value();
      if (h.dev !== undefined) throw duplicate("dev", v);
      if (h.block !== undefined) {
        throw new UsageError(
          show
            ? 'Error: "dev" cannot be used in the same time as "block"'
            : 'Error: "dev" and "block" are mutually exclusive',
          255,
        );
      }
      h.dev = v;
    } else if (w.abbrev("block")) {
      const v = w.value();
      if (h.block !== undefined) throw duplicate("block", v);
      if (h.dev !== undefined) {
        throw new UsageError(
          show
            ? 'Error: "block" cannot be used in the same time as "dev"'
            : 'Error: "dev" and "block" are mutually exclusive',
          255,
        );
      }
      const n = cUint(v, 0);
      if (!n) throw invalidArgument("invalid block index value", v);
      h.block = n;
    } else if (w.is("root")) parent("root");
    else if (w.is("ingress")) parent("ingress");
    else if (w.is("egress")) parent("egress");
    else if (w.is("parent")) {
      const v = w.value();
      if (h.parent !== undefined) throw duplicate("parent", v);
      if (!/^([0-9a-fA-F]{0,4}:[0-9a-fA-F]{0,4}|[0-9a-fA-F]{1,8}|root|none)$/.test(v)) {
        throw invalidArgument(show ? "invalid parent ID" : "Invalid parent ID", v);
      }
      h.parent = v;
    } else if (w.is("handle")) {
      const v = w.value();
      if (h.handle !== undefined) throw duplicate("handle", v);
      h.handle = v;
    } else if (w.abbrev("preference") || w.abbrev("priority")) {
      const v = w.value();
      if (h.prio !== undefined) throw duplicate("priority", v);
      const n = cUint(v, 0);
      if (n === undefined || (!show && n > 0xffff)) {
        throw invalidArgument(show ? "invalid preference" : "invalid priority value", v);
      }
      h.prio = n;
    } else if (w.abbrev("protocol")) {
      const v = w.value();
      if (h.protocol !== undefined) throw duplicate("protocol", v);
      const protocol = llProto(v);
      if (protocol === undefined) throw invalidArgument("invalid protocol", v);
      h.protocol = typeof protocol === "number" ? v : protocol;
    } else if (w.abbrev("chain")) {
      const v = w.value();
      if (h.chain !== undefined) throw duplicate("chain", v);
      const n = cUint(v, 0);
      if (n === undefined) throw invalidArgument("invalid chain index value", v);
      h.chain = n;
    } else if (!show && w.abbrev("estimator")) {
      const interval = w.value();
      const timeConstant = w.value();
      h.estimator = { interval, timeConstant };
    } else if (w.abbrev("help")) throw filterUsage(show ? 255 : 0);
    else if (show) throw new UsageError(` What is "${w.word}"? Try "tc filter help"`, 255);
    else {
      h.kind = w.word;
      w.advance();
      break;
    }
    w.advance();
  }
  return h;
}

/** A parsed filter command: the options for the library, and the device's name. */
export interface ParsedFilter {
  /** The header words. */
  header: FilterHeader;
  /** FilterOptions (add/change/replace) or FilterSelector (delete/get), devices by name. */
  options: Opts;
}

/**
 * Parses `tc filter OP …` (the words after the operation).
 *
 * @example
 * ```ts
 * import { parseFilterCommand } from "./filter_parse.ts";
 * parseFilterCommand("add", ["dev", "p0", "ingress", "matchall", "action", "drop"]).options.kind; // "matchall"
 * ```
 */
export function parseFilterCommand(op: FilterOp, args: readonly string[]): ParsedFilter {
  const w = new Words(args);
  const h = parseFilterHeader(w);
  const o: Opts = {};
  if (h.dev !== undefined) o.dev = h.dev;
  if (h.block !== undefined) o.block = h.block;
  if (h.parent !== undefined) o.parent = h.parent;
  if (h.prio !== undefined) o.prio = h.prio;
  if (h.protocol !== undefined) o.protocol = h.protocol;
  if (h.handle !== undefined) o.handle = h.handle;
  if (h.chain !== undefined) o.chain = h.chain;
  if (h.kind === undefined) {
    if (h.handle !== undefined) throw new UsageError('Must specify filter type when using "handle"', 255);
    if (w.more) {
      if (matches(w.word, "help")) throw filterUsage();
      throw new UsageError(`Garbage instead of arguments "${w.word} ...". Try "tc filter help".`, 255);
    }
  }
  if (op === "get" || op === "delete") {
    if (op === "get") {
      if (h.protocol === undefined) throw new UsageError("Must specify filter protocol", 255);
      if (!h.prio) throw new UsageError("Must specify filter priority", 255);
      if (h.parent === undefined) throw new UsageError("Must specify filter parent", 255);
      if (h.kind === undefined) throw new UsageError("Must specify filter type", 255);
      if (h.dev === undefined && h.block === undefined) {
        throw new UsageError('Must specify netdevice "dev" or block index "block"', 255);
      }
      if (h.handle === undefined) throw new UsageError('Must specify filter "handle"', 255);
    }
    if (h.kind !== undefined) {
      o.kind = h.kind;
      runFilterParser(w, h.kind);
    }
    return { header: h, options: o };
  }
  if (h.estimator !== undefined) o.estimator = h.estimator;
  if (h.kind === undefined) throw new UsageError("nlink: a filter needs its kind", 1);
  Object.assign(o, runFilterParser(w, h.kind) ?? { kind: h.kind });
  return { header: h, options: o };
}

/**
 * Parses a filter kind's words (undefined for a kind tc has no module for,
 * see {@linkcode filterParser}); a word the kind does not know, or `help`,
 * fails with the kind's usage after it, as tc's explain() prints it.
 *
 * @example
 * ```ts ignore
 * runFilterParser(new Words(["match", "u32", "0", "0"]), "u32");
 * ```
 */
export function runFilterParser(w: Words, kind: string): Opts | undefined {
  const parser = filterParser(w, kind);
  if (parser === undefined) return undefined;
  try {
    return parser(w, kind);
  } catch (e) {
    if (!(e instanceof KindWordError)) throw e;
    const usage = FILTER_KIND_USAGE[kind];
    throw new UsageError(e.message === "" ? usage : `${e.message}\n${usage}`, 1);
  }
}

/**
 * The parser of a filter kind's words; undefined for a kind tc has no module
 * for, which it sends by its name alone (parse_nofopt) and which takes no
 * words (exit 1).
 */
function filterParser(w: Words, kind: string): ((w: Words, kind: string) => Opts) | undefined {
  if (Object.hasOwn(FILTER_PARSERS, kind)) return FILTER_PARSERS[kind];
  if (w.more) throw new UsageError(`Unknown filter "${kind}", hence option "${w.word}" is unparsable`, 1);
  return undefined;
}

/** u32's `order N`: tc(8) ORs it into the handle, whose node part must be empty or N already. */
function u32Order(o: Opts): Opts {
  const out = { ...o };
  const order = out.order as number;
  delete out.order;
  if (!order) return out;
  let handle = 0;
  try {
    handle = out.handle === undefined ? 0 : parseU32Handle(out.handle, "handle");
  } catch {
    return out; // the library names the bad handle
  }
  if ((handle & 0xfff) !== 0 && (handle & 0xfff) !== order) throw new UsageError('"order" contradicts "handle"', 1);
  out.handle = (handle | order) >>> 0;
  return out;
}

/**
 * Fills in what needs the devices' indexes: a route filter's `fromif` and
 * the handle tc derives from its realms (`order` is only part of that handle).
 *
 * @example
 * ```ts ignore
 * resolveFilterOptions(parsed.options, (name) => indexes.get(name));
 * ```
 */
export function resolveFilterOptions(o: Opts, index: (name: string) => number | undefined): Opts {
  if (o.kind === "u32" && o.order !== undefined) return u32Order(o);
  if (o.kind !== "route") return o;
  const out = { ...o };
  if (typeof out.fromif === "string") {
    const i = index(out.fromif);
    if (!i) throw new UsageError('Illegal "fromif"', 255);
    out.fromif = i;
  }
  const order = out.order as number | undefined;
  delete out.order;
  if (out.handle === undefined) {
    let fh = 0xffff8000;
    if (out.to !== undefined) fh = ((fh & ~0x80ff) | (out.to as number)) >>> 0;
    if (out.from !== undefined) fh = ((fh & 0xffff) | ((out.from as number) << 16)) >>> 0;
    if (out.fromif !== undefined) fh = ((fh & 0xffff) | ((0x8000 | (out.fromif as number)) << 16)) >>> 0;
    if (order) fh = ((fh & ~0x7f00) | ((order << 8) & 0x7f00)) >>> 0;
    out.handle = fh;
  }
  return out;
}
