/**
 * `ip route add … encap TYPE …`: iproute2's lwt_parse_encap grammar for the
 * encapsulations the library has (`mpls`, `seg6`, `seg6local`), read into the
 * library's typed {@linkcode EncapOptions}.
 *
 * @module
 */
import type {
  EncapOptions,
  MplsEncapOptions,
  Seg6EncapOptions,
  Seg6LocalAction,
  Seg6LocalEncapOptions,
  Seg6LocalFlavor,
  Seg6Mode,
} from "@nlink/nlink";
import { invalidArgument, UsageError } from "../common/args.ts";
import { AF_INET, AF_INET6, getAddr, parseUnsigned, prefixText, strtoul } from "../common/inet.ts";
import { tableId } from "../common/names.ts";

/** Encapsulation types iproute2 reads (all but the first three are not in the library). */
const ENCAP_TYPES = ["mpls", "seg6", "seg6local", "ip", "ip6", "ila", "bpf", "rpl", "ioam6", "xfrm"];

const SEG6_MODES: readonly Seg6Mode[] = ["inline", "encap", "l2encap", "encap.red", "l2encap.red"];

const SEG6LOCAL_ACTIONS: readonly Seg6LocalAction[] = [
  "End",
  "End.X",
  "End.T",
  "End.DX2",
  "End.DX6",
  "End.DX4",
  "End.DT6",
  "End.DT4",
  "End.B6",
  "End.B6.Encaps",
  "End.BM",
  "End.S",
  "End.AS",
  "End.AM",
  "End.BPF",
  "End.DT46",
];

const FLAVORS: readonly Seg6LocalFlavor[] = ["psp", "usp", "usd", "next-csid"];

/** iproute2's encap_type_usage, printed for `encap help` (exit 255). */
function encapUsage(): never {
  const lines = ["Usage: ip route ... encap TYPE [ OPTIONS ] [...]"];
  ["mpls", "ip", "ila", "ip6", "seg6", "bpf", "seg6local", "rpl", "ioam6", "xfrm"].forEach((t, i) =>
    lines.push(`${t} ${i === 0 ? "TYPE := " : "      "}`)
  );
  throw new UsageError(lines.join("\n"));
}

function duplicate(key: string, arg: string): UsageError {
  return new UsageError(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.`);
}

/**
 * Reads `encap TYPE OPTIONS…` starting at `args[i]` (the word `encap`) into
 * `target.encap` and returns the index of the last word it used, as
 * iproute2's parser leaves its cursor.
 *
 * @example
 * ```ts
 * import { parseEncap } from "./route_encap_parse.ts";
 * const o: { encap?: unknown } = {};
 * parseEncap(["encap", "mpls", "100/200", "dev", "p0"], 0, o); // 2
 * o.encap; // { type: "mpls", labels: [100, 200] }
 * ```
 */
export function parseEncap(args: string[], i: number, target: { encap?: EncapOptions }): number {
  const next = () => {
    if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
    return args[++i];
  };
  const type = next();
  if (type === "help") encapUsage();
  if (!ENCAP_TYPES.includes(type)) throw invalidArgument('"encap type" value is invalid\n', type);
  next();
  // iproute2 wants at least one more word after the encapsulation's first.
  if (i + 1 >= args.length) throw new UsageError('Error: unexpected end of line after "encap"');
  const cursor = { args, i };
  switch (type) {
    case "mpls":
      target.encap = parseMpls(cursor);
      break;
    case "seg6":
      target.encap = parseSeg6(cursor);
      break;
    case "seg6local":
      target.encap = parseSeg6Local(cursor);
      break;
    default:
      throw new UsageError(`nlink: "ip route … encap ${type}" is not supported yet`, 1);
  }
  return cursor.i;
}

/** The words and the index of the current one; each parser leaves `i` on the last word it used. */
interface Cursor {
  args: string[];
  i: number;
}

/** The value after the current word (iproute2's NEXT_ARG). */
function value(c: Cursor): string {
  if (c.i + 1 >= c.args.length) throw new UsageError('Command line is not complete. Try option "help"');
  return c.args[++c.i];
}

/** The word after the current one, if it is one of `keys` (the option loops stop at any other word). */
function peekKey(c: Cursor, keys: readonly string[]): string | undefined {
  const w = c.args[c.i + 1];
  return w !== undefined && keys.includes(w) ? w : undefined;
}

/** iproute2's mpls_pton: labels separated by `/`, each a C number below 2^20. */
function mplsLabels(word: string): number[] | undefined {
  const labels: number[] = [];
  let rest = word;
  for (let n = 0; n < 16; n++) {
    const { value, rest: after } = strtoul(rest, 0);
    if (Number.isNaN(value) || value >= 1 << 20) return undefined;
    labels.push(value);
    if (after === "") return labels;
    if (after[0] !== "/") return undefined;
    rest = after.slice(1);
  }
  return undefined;
}

function parseMpls(c: Cursor): MplsEncapOptions {
  const word = c.args[c.i];
  const labels = mplsLabels(word);
  if (!labels) throw new UsageError(`Error: mpls address is expected rather than "${word}".`, 1);
  const e: MplsEncapOptions = { type: "mpls", labels };
  while (peekKey(c, ["ttl"])) {
    c.i++;
    const v = value(c);
    if (e.ttl !== undefined) throw duplicate("ttl", v);
    const ttl = parseUnsigned(v, 255);
    if (ttl === undefined) throw invalidArgument('"ttl" value is invalid\n', v);
    e.ttl = ttl;
  }
  return e;
}

/** A comma-separated segment list (iproute2 reads each with get_addr for inet6). */
function segments(list: string): string[] {
  return list.split(",").filter((s) => s !== "").map((s) => prefixText(getAddr(s, AF_INET6), false));
}

/** get_u32 without a check, as iproute2 reads `hmac`: a bad number is 0 (no HMAC). */
function hmacId(v: string): number | undefined {
  const n = parseUnsigned(v) ?? 0;
  return n === 0 ? undefined : n;
}

function parseSeg6(c: Cursor): Seg6EncapOptions {
  let mode: Seg6Mode | undefined;
  let segs: string[] | undefined;
  let hmac: number | undefined;
  let hmacSeen = false;
  // The first option is the current word; the loop stops at the first word that is not one.
  c.i--;
  for (let key = peekKey(c, ["mode", "segs", "hmac"]); key; key = peekKey(c, ["mode", "segs", "hmac"])) {
    c.i++;
    const v = value(c);
    if (key === "mode") {
      if (mode !== undefined) throw duplicate("mode", v);
      mode = SEG6_MODES.find((m) => m === v);
      if (mode === undefined) throw invalidArgument('"mode" value is invalid\n', v);
    } else if (key === "segs") {
      if (segs !== undefined) throw duplicate("segs", v);
      if (mode === undefined) throw invalidArgument('"segs" provided before "mode"\n', v);
      segs = segments(v);
    } else {
      if (hmacSeen) throw duplicate("hmac", v);
      hmacSeen = true;
      hmac = hmacId(v);
    }
  }
  if (mode === undefined) throw new UsageError('nlink: "encap seg6" needs "mode"', 1);
  const e: Seg6EncapOptions = { type: "seg6", mode, segments: segs ?? [] };
  if (hmac !== undefined) e.hmac = hmac;
  return e;
}

const SEG6LOCAL_KEYS = [
  "action",
  "table",
  "vrftable",
  "nh4",
  "nh6",
  "iif",
  "oif",
  "count",
  "flavors",
  "srh",
  "endpoint",
];

function parseSeg6Local(c: Cursor): Seg6LocalEncapOptions {
  const e: Partial<Seg6LocalEncapOptions> = { type: "seg6local" };
  const seen = new Set<string>();
  c.i--;
  for (let key = peekKey(c, SEG6LOCAL_KEYS); key; key = peekKey(c, SEG6LOCAL_KEYS)) {
    c.i++;
    const once = (v: string) => {
      if (seen.has(key!)) throw duplicate(key!, v);
      seen.add(key!);
      return v;
    };
    switch (key) {
      case "action": {
        const v = once(value(c));
        const action = SEG6LOCAL_ACTIONS.find((a) => a === v);
        if (action === undefined) throw invalidArgument('"action" value is invalid\n', v);
        e.action = action;
        break;
      }
      case "table":
      case "vrftable": {
        const v = once(value(c));
        const t = tableId(v);
        if (t === undefined) {
          throw invalidArgument(key === "table" ? "invalid table id\n" : "invalid vrf table id\n", v);
        }
        e[key] = t;
        break;
      }
      case "nh4":
        e.nh4 = prefixText(getAddr(once(value(c)), AF_INET), false);
        break;
      case "nh6":
        e.nh6 = prefixText(getAddr(once(value(c)), AF_INET6), false);
        break;
      case "iif":
      case "oif":
        // Names: the library resolves them in the connection's namespace.
        e[key] = once(value(c));
        break;
      case "count":
        once("count");
        e.counters = true;
        break;
      case "flavors":
        e.flavors = parseFlavors(c, once(value(c)));
        break;
      case "srh": {
        const v = once(value(c));
        if (v !== "segs") throw invalidArgument('missing "segs" attribute for srh\n', v);
        const segs = segments(value(c));
        e.srh = { segments: segs };
        if (peekKey(c, ["hmac"])) {
          c.i++;
          const h = hmacId(value(c));
          if (h !== undefined) e.srh.hmac = h;
        }
        break;
      }
      case "endpoint":
        throw new UsageError('nlink: "encap seg6local … endpoint" (BPF) is not supported yet', 1);
    }
  }
  if (e.action === undefined) throw new UsageError("Missing action type");
  return e as Seg6LocalEncapOptions;
}

/** `flavors OP[,OP…] [lblen N] [nflen N]` (the lengths only after next-csid). */
function parseFlavors(c: Cursor, list: string): NonNullable<Seg6LocalEncapOptions["flavors"]> {
  const ops: Seg6LocalFlavor[] = [];
  for (const word of list.split(",")) {
    const op = FLAVORS.find((f) => f === word.toLowerCase());
    if (op === undefined || ops.includes(op) || word === "") {
      throw invalidArgument('invalid "flavors" attribute\n', list);
    }
    ops.push(op);
  }
  const f: NonNullable<Seg6LocalEncapOptions["flavors"]> = { operations: ops };
  if (ops.includes("next-csid")) {
    for (
      const [key, field, what] of [["lblen", "lcblockBits", "locator-block length"], [
        "nflen",
        "lcnodeFnBits",
        "locator-node function length",
      ]] as const
    ) {
      if (!peekKey(c, [key])) continue;
      c.i++;
      const v = value(c);
      const n = parseUnsigned(v, 255);
      if (n === undefined) throw invalidArgument(`"${what}" value is invalid\n`, v);
      f[field] = n;
    }
  }
  return f;
}

/** A device name of a route or nexthop command, and whose it is (which decides iproute2's error when it does not exist). */
export interface DeviceLookup {
  /** The name. */
  name: string;
  /** The route's (or nexthop's) `dev`, a `nexthop` path's `dev`, or an encapsulation's `iif`/`oif`. */
  from: "dev" | "nexthop" | "encap";
}

/**
 * A seg6local encapsulation's device names (`iif`, `oif`), in the order of
 * its words, appended to `into` (iproute2 looks each up as it reads it).
 *
 * @example
 * ```ts ignore
 * encapLookups(o.encap, lookups);
 * ```
 */
export function encapLookups(e: EncapOptions | undefined, into: DeviceLookup[]): void {
  if (e?.type !== "seg6local") return;
  for (const key of Object.keys(e)) {
    if (key !== "iif" && key !== "oif") continue;
    const name = e[key];
    if (typeof name === "string") into.push({ name, from: "encap" });
  }
}

/**
 * A seg6local encapsulation with its `iif`/`oif` names as the indexes
 * `links` found (so that the library asks for none).
 *
 * @example
 * ```ts ignore
 * o.encap = encapWithIndexes(o.encap, links);
 * ```
 */
export function encapWithIndexes<E extends EncapOptions>(e: E, links: { index(name: string): number }): E {
  if (e.type !== "seg6local") return e;
  const out = { ...e } as Record<string, unknown>;
  for (const key of ["iif", "oif"]) if (typeof out[key] === "string") out[key] = links.index(out[key] as string);
  return out as E;
}
