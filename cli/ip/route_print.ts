/**
 * Routes as `ip route show` prints them (iproute2's print_route and
 * filter_nlmsg), from the library's decoded {@linkcode Route} objects. Each
 * route is written straight into the output bytes (text, or JSON through
 * {@linkcode JsonBytes}), so a table of 100,000 routes prints without a
 * string per field.
 *
 * @module
 */
import type { MessageView, Route, RouteMetrics, RouteNexthop, Via } from "@nlink/nlink";
import { ROUTE_FLAGS, ROUTER_PREF, RT_SCOPE, RT_TABLE, RTN, RTNL_FAMILY, RTPROT } from "@nlink/nlink/tables";
import { AF_INET, AF_INET6, AF_MPLS, familyName, type InetPrefix, readAddr } from "../common/inet.ts";
import { dsfieldName, protoName, realmName, rtnTypeName, scopeName, tableName } from "../common/names.ts";
import type { ByteSink } from "../common/bytes.ts";
import { Color, colored, colorOn, familyColor } from "../common/color.ts";
import { JsonBytes, type JsonKey, jsonKey, type Printer } from "../common/output.ts";
import type { LinkNames } from "./links.ts";
import { printEncap } from "./route_encap_print.ts";
import { PlainRouteWriter } from "./route_plain.ts";

const RT_TABLE_LOCAL = 255;
/** USER_HZ: cache-info times come in clock ticks. */
const HZ = 100;

/** `ip route show`'s selectors (iproute2's route filter). */
export interface RouteFilter {
  /** Family of the listing (a library family name: `"inet"`, `"inet6"`, `"mpls"`, …), or undefined for all. */
  family: string | undefined;
  /** Table (0: all). */
  tb: number;
  /** `cloned`/`cached`: only cache entries. */
  cloned: boolean;
  /** `tos` value, and -1 in the mask when given. */
  tos: number;
  /** Mask for {@linkcode RouteFilter.tos}. */
  tosmask: number;
  /** `proto` value. */
  protocol: number;
  /** -1 when `proto` was given (the field is then not printed). */
  protocolmask: number;
  /** `scope` value. */
  scope: number;
  /** -1 when `scope` was given (the field is then not printed). */
  scopemask: number;
  /** Bit mask of route types (0: all). */
  typemask: number;
  /** `iif` ifindex. */
  iif: number;
  /** -1 when `iif` was given. */
  iifmask: number;
  /** `dev` ifindex. */
  oif: number;
  /** -1 when `dev` was given (the device is then not printed). */
  oifmask: number;
  /** `mark` value. */
  mark: number;
  /** -1 when `mark` was given. */
  markmask: number;
  /** `realms` value. */
  realm: number;
  /** Mask of the realm bits compared. */
  realmmask: number;
  /** `metric` value. */
  metric: number;
  /** -1 when `metric` was given (the metric is then not printed). */
  metricmask: number;
  /** `root PREFIX`: routes inside it. */
  rdst?: InetPrefix;
  /** `match PREFIX`: routes covering it. */
  mdst?: InetPrefix;
  /** `from root PREFIX`. */
  rsrc?: InetPrefix;
  /** `from match PREFIX`. */
  msrc?: InetPrefix;
  /** `via PREFIX`. */
  rvia?: InetPrefix;
  /** `src PREFIX`. */
  rprefsrc?: InetPrefix;
}

/**
 * A filter that selects everything in the main table (iproute2's defaults).
 *
 * @example
 * ```ts
 * import { defaultRouteFilter } from "./route_print.ts";
 * defaultRouteFilter().tb; // 254
 * ```
 */
export function defaultRouteFilter(): RouteFilter {
  return {
    family: undefined,
    tb: RT_TABLE.MAIN,
    cloned: false,
    tos: 0,
    tosmask: 0,
    protocol: 0,
    protocolmask: 0,
    scope: 0,
    scopemask: 0,
    typemask: 0,
    iif: 0,
    iifmask: 0,
    oif: 0,
    oifmask: 0,
    mark: 0,
    markmask: 0,
    realm: 0,
    realmmask: 0,
    metric: 0,
    metricmask: 0,
  };
}

/** Options for {@linkcode RoutePrinter}. */
export interface RoutePrintOptions {
  /** `-d` count. */
  details: number;
  /** `-s` count. */
  stats: number;
  /** `-N`. */
  numeric: boolean;
  /**
   * With `-d`: a nexthop object printed by id (see cli/ip/route_nhinfo.ts),
   * for the `nh_info` line under routes with `nhid`.
   */
  nhInfo?: (id: number) => string | undefined;
}

/**
 * A field as both outputs write it: its JSON key, the text around its value,
 * and with `-c` its colour: an interface name's, or an address's of the
 * route's family (`real`: the real family of a multicast table's route). The
 * colour takes the value and what follows it, and with `whole` what precedes
 * it too, as iproute2's format strings do.
 */
interface Field {
  readonly key: JsonKey;
  readonly pre: string;
  readonly post: string;
  readonly color?: "ifname" | "family" | "real";
  readonly whole?: boolean;
}

function field(key: string, pre: string, post: string, color?: Field["color"], whole?: boolean): Field {
  return { key: jsonKey(key), pre, post, color, whole };
}

const F = {
  type: field("type", "", " "),
  dst: field("dst", "", " ", "real"),
  dstPlain: field("dst", "", " "),
  from: field("from", "from ", " ", "real", true),
  src0: field("src", "from ", " "),
  nhid: field("nhid", "nhid ", " "),
  to: field("to", "as to ", " ", "family"),
  tos: field("tos", "tos ", " "),
  gateway: field("gateway", "via ", " ", "family"),
  dev: field("dev", "dev ", " ", "ifname"),
  nexthopDev: field("dev", "dev ", " "),
  table: field("table", "table ", " "),
  protocol: field("protocol", "proto ", " "),
  scope: field("scope", "scope ", " "),
  prefsrc: field("prefsrc", "src ", " ", "family"),
  metric: field("metric", "metric ", " "),
  uid: field("uid", "uid ", " "),
  iif: field("iif", "iif ", " ", "ifname"),
  pref: field("pref", "pref ", ""),
  prefNumber: field("pref", "", ""),
  expires: field("expires", "expires ", "sec "),
  error: field("error", "error ", " "),
  users: field("users", "users ", " "),
  used: field("used", "used ", " "),
  age: field("age", "age ", "sec "),
  tsage: field("tsage", "tsage ", "sec "),
  congestion: field("congestion", "", " "),
  mcastDev: field("dev", "", ""),
  ttl: field("ttl", "(ttl>", ")"),
  weight: field("weight", "weight ", " "),
} as const;
const FLAGS_KEY = jsonKey("flags");

/**
 * iproute2's mx_names by RTAX number, with the {@linkcode RouteMetrics} key of
 * each: [key, name] (RTAX_LOCK, 1, is the lock mask, not printed as a metric).
 */
const METRICS: [keyof RouteMetrics, string][] = [
  ["lock", ""],
  ["lock", ""],
  ["mtu", "mtu"],
  ["window", "window"],
  ["rtt", "rtt"],
  ["rttvar", "rttvar"],
  ["ssthresh", "ssthresh"],
  ["cwnd", "cwnd"],
  ["advmss", "advmss"],
  ["reordering", "reordering"],
  ["hoplimit", "hoplimit"],
  ["initcwnd", "initcwnd"],
  ["features", "features"],
  ["rtoMin", "rto_min"],
  ["initrwnd", "initrwnd"],
  ["quickack", "quickack"],
  ["ccAlgo", "congctl"],
  ["fastopenNoCookie", "fastopen_no_cookie"],
];
const RTAX_HOPLIMIT = 10;
const RTAX_FEATURES = 12;
const RTAX_CC_ALGO = 16;

/** print_rt_flags' words, in its order, with their bits (the library's names for them). */
const RT_FLAGS: [number, string][] = [
  "dead",
  "onlink",
  "pervasive",
  "offload",
  "trap",
  "notify",
  "linkdown",
  "unresolved",
  "rt_offload",
  "rt_trap",
  "rt_offload_failed",
].map((name): [number, string] => [ROUTE_FLAGS.bit(name), name]);

/** RTCF_* route cache flags (not in rtnetlink's headers), in print_cache_flags' order. */
const CACHE_FLAGS: [number, string][] = [
  [0x80000000, "local"],
  [0x40000000, "reject"],
  [0x20000000, "mc"],
  [0x10000000, "brd"],
  [0x8000000, "dst-nat"],
  [0x800000, "src-nat"],
  [0x400000, "masq"],
  [0x20000, "dst-direct"],
  [0x4000000, "src-direct"],
  [0x40000, "redirected"],
  [0x1000000, "redirect"],
  [0x200000, "fastroute"],
  [0x10000, "notify"],
  [0x80000, "proxy"],
];

/** Bits in an address of a family (iproute2's af_bit_len). */
function bitLen(family: string | number): number {
  return family === "inet" ? 32 : family === "inet6" ? 128 : family === "mpls" ? 20 : 0;
}

/** iproute2's family_name for a family as the library names it. */
function familyText(family: string | number): string {
  switch (family) {
    case "inet":
    case "inet6":
    case "mpls":
    case "bridge":
      return family;
    case "packet":
      return "link";
  }
  return "???";
}

/** A name the library decoded (or the number it had none for) as its number. */
function numberOf(table: { value(x: string | number): number }, v: string | number): number {
  return typeof v === "number" ? v : table.value(v);
}

/** C's `%g` for the few values iproute2 prints with it. */
function fmtG(v: number): string {
  if (v === 0) return "0";
  const exp = Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = v.toExponential(5).split("e");
    const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  const s = v.toFixed(Math.max(0, 5 - exp));
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/**
 * An address of a route as 16 bytes for the prefix selectors (zeros when
 * absent or not an IP address; a prefix's `/LEN` is ignored).
 */
function addrBytes(text: string | undefined, family: number): Uint8Array {
  if (text === undefined) return new Uint8Array(16);
  const slash = text.indexOf("/");
  return readAddr(slash < 0 ? text : text.slice(0, slash), family)?.bytes ?? new Uint8Array(16);
}

/** Whether the first `bits` bits of two addresses agree (iproute2's inet_addr_match). */
function prefixMatch(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] ^ b[i]) & mask) return false;
  }
  return true;
}

/**
 * Prints routes, one {@linkcode RoutePrinter.print} call per route, when the
 * filter selects them.
 *
 * @example
 * ```ts ignore
 * const rp = new RoutePrinter(p, filter, links, { details: 0, stats: 0, numeric: false });
 * for await (const route of conn.streamRoutes({ table: "main" })) rp.print(route);
 * ```
 */
export class RoutePrinter {
  readonly #p: Printer;
  readonly #f: RouteFilter;
  readonly #links: LinkNames;
  readonly #o: RoutePrintOptions;
  readonly #j: JsonBytes | undefined;
  /** Where the current route is written. */
  #sink!: ByteSink;
  /** `-c`: fields are written in their colours. */
  readonly #color = colorOn();
  /** The current route's family, and its real family (a multicast table's is inet or inet6). */
  #family: string | number = 0;
  #realFamily: string | number = 0;
  #ip6MultipleTables = false;
  /** Only family, table and the cache flag select routes (no other selector was given). */
  readonly #plain: boolean;
  /** Printed names of protocols, scopes and types, by the library's name (or number). */
  readonly #protoText = new Map<string | number, string>();
  readonly #scopeText = new Map<string | number, string>();
  readonly #typeText = new Map<string | number, string>();
  /** The selectors' families as the library names them. */
  readonly #families: Record<"rdst" | "mdst" | "rsrc" | "msrc" | "rvia" | "rprefsrc", string>;
  /** The fast path for plain routes, where the settings allow it. */
  readonly #plainWriter: PlainRouteWriter | undefined;

  /** A printer writing into `p`. */
  constructor(p: Printer, filter: RouteFilter, links: LinkNames, options: RoutePrintOptions) {
    this.#p = p;
    this.#f = filter;
    this.#links = links;
    this.#o = options;
    this.#j = p.json ? new JsonBytes(p.pretty) : undefined;
    const f = filter;
    this.#plain = !f.tosmask && !f.protocolmask && !f.scopemask && !f.typemask && !f.iifmask && !f.oifmask &&
      !f.markmask && !f.realmmask && !f.metricmask && !f.rdst && !f.mdst && !f.rsrc && !f.msrc && !f.rvia &&
      !f.rprefsrc;
    const fam = (p: InetPrefix | undefined) => (p?.family ? familyName(p.family) : "");
    this.#families = {
      rdst: fam(f.rdst),
      mdst: fam(f.mdst),
      rsrc: fam(f.rsrc),
      msrc: fam(f.msrc),
      rvia: fam(f.rvia),
      rprefsrc: fam(f.rprefsrc),
    };
    // Selectors other than family, table and cache, details, pretty JSON and colour take the general path.
    if (
      this.#plain && options.details === 0 && !p.pretty && !this.#color &&
      (!f.family || f.family === "inet" || f.family === "inet6")
    ) {
      this.#plainWriter = new PlainRouteWriter({
        json: p.json,
        numeric: options.numeric,
        table: f.tb,
        cloned: f.cloned === true,
        family: f.family === "inet" ? AF_INET : f.family === "inet6" ? AF_INET6 : 0,
        devName: (index) => links.name(index),
      });
    }
  }

  /**
   * Prints the route in an RTM_NEWROUTE message if the filter selects it: a
   * plain route straight from its bytes (route_plain.ts), any other as
   * `decode` gives it, by {@linkcode RoutePrinter.print}.
   */
  printMessage(m: MessageView, decode: () => Route): void {
    if (this.#plainWriter === undefined || !this.#plainWriter.write(m, this.#p)) this.print(decode());
  }

  /** Prints `r` if the filter selects it. */
  print(r: Route): void {
    const flags = r.flags.length === 0 ? 0 : ROUTE_FLAGS.encode(r.flags);
    if (!this.#select(r, flags)) return;
    this.#sink = this.#p.itemSink();
    this.#route(r, flags);
  }

  /** iproute2's print_route, field by field. */
  #route(r: Route, flags: number): void {
    const f = this.#f;
    const o = this.#o;
    const j = this.#j;
    const family = r.family;
    const hostLen = bitLen(family);
    if (this.#color) {
      this.#family = family;
      // get_real_family: a multicast route of a multicast table holds IPv4 / IPv6 addresses.
      this.#realFamily = r.type !== "multicast"
        ? family
        : family === RTNL_FAMILY.IPMR
        ? "inet"
        : family === RTNL_FAMILY.IP6MR
        ? "inet6"
        : family;
    }
    const cloned = (flags & CLONED) !== 0;
    if (j) j.begin(this.#sink, this.#p.depth);
    if (r.type !== "unicast" || o.details > 0) {
      if (!f.typemask || f.typemask & (1 << numberOf(RTN, r.type))) this.#str(F.type, this.#typeName(r.type));
    }
    this.#dst(r, hostLen);
    if (r.src !== undefined) this.#prefix(F.from, family, r.src, r.srcLen, hostLen);
    else if (r.srcLen) this.#str(F.src0, `0/${r.srcLen}`);
    if (r.nhId !== undefined) this.#num(F.nhid, r.nhId);
    if (r.newdst !== undefined) this.#str(F.to, r.newdst);
    if (r.encap !== undefined) printEncap(r.encap, this.#j, this.#sink, this.#links, this.#o);
    if (r.tos && f.tosmask !== -1) this.#str(F.tos, dsfieldName(r.tos, o.numeric));
    if (r.gateway !== undefined && (f.rvia?.bitlen ?? 0) !== hostLen) this.#addr(F.gateway, r.gateway);
    if (r.via !== undefined) this.#via(r.via);
    if (r.oif !== undefined && f.oifmask !== -1) this.#str(F.dev, this.#links.name(r.oif));
    const table = r.table;
    if (table && (table !== RT_TABLE.MAIN || o.details > 0) && !f.tb) {
      this.#str(F.table, tableName(table, o.numeric));
    }
    if (!cloned) {
      if ((r.protocol !== "boot" || o.details > 0) && f.protocolmask !== -1) {
        this.#str(F.protocol, this.#protoName(r.protocol));
      }
      if ((r.scope !== "global" || o.details > 0) && f.scopemask !== -1) {
        this.#str(F.scope, this.#scopeName(r.scope));
      }
    }
    if (r.prefsrc !== undefined && (f.rprefsrc?.bitlen ?? 0) !== hostLen) this.#addr(F.prefsrc, r.prefsrc);
    if (r.priority !== undefined && f.metricmask !== -1) this.#num(F.metric, r.priority);
    this.#flags(flags);
    if (r.mark) {
      if (j) j.raw("mark", String(r.mark));
      else this.#w(r.mark >= 16 ? `mark 0x${r.mark.toString(16)} ` : `mark ${r.mark} `);
    }
    if (r.flow !== undefined && f.realmmask !== 0xffffffff) this.#flow(r.flow);
    if (r.uid !== undefined) this.#num(F.uid, r.uid);
    if (family === "inet") {
      if (cloned) this.#cacheFlags(flags);
      if (r.cacheinfo) this.#cacheinfo(r.cacheinfo);
    } else if (family === "inet6" && r.cacheinfo) this.#cacheinfo(r.cacheinfo);
    if (r.metrics) this.#metrics(r.metrics);
    if (r.iif !== undefined && f.iifmask !== -1) this.#str(F.iif, this.#links.name(r.iif));
    if (r.pref !== undefined) {
      const pref = r.pref;
      if (pref === "low" || pref === "medium" || pref === "high") this.#str(F.pref, pref);
      else this.#num(F.prefNumber, numberOf(ROUTER_PREF, pref));
    }
    if (r.ttlPropagate !== undefined) {
      const on = r.ttlPropagate !== 0;
      this.#text(`ttl-propogate ${on ? "enabled" : "disabled"}`, "ttl-propogate", on ? "true" : "false");
    }
    if (r.nhId !== undefined && o.details > 0 && o.nhInfo) this.#nhInfo(o.nhInfo(r.nhId));
    if (r.multipath) this.#multipath(r.multipath, family, r.type, cloned);
    if (j) j.end();
    else this.#sink.byte(10);
  }

  /**
   * The destination: `default`, or the address with its length unless that is
   * the host length. The kernel sends RTA_DST only for a non-zero length, so a
   * zero-length inet/inet6 destination (which the library spells `0.0.0.0/0`) is `default`.
   */
  #dst(r: Route, hostLen: number): void {
    const dst = r.dst as string | undefined;
    if (r.dstLen === 0 && (r.family === "inet" || r.family === "inet6")) this.#str(F.dstPlain, "default");
    else if (dst === undefined) this.#str(F.dstPlain, r.dstLen ? `0/${r.dstLen} ` : "default");
    else if (r.type !== "multicast") this.#prefix(F.dst, r.family, dst, r.dstLen, hostLen);
    else {
      // get_real_family: multicast routing tables hold IPv4 / IPv6 addresses.
      const real = r.family === RTNL_FAMILY.IPMR ? "inet" : r.family === RTNL_FAMILY.IP6MR ? "inet6" : r.family;
      this.#prefix(F.dst, r.family, dst, r.dstLen, bitLen(real));
    }
  }

  /**
   * An address of the route with its prefix length, as iproute2 prints it:
   * the length only when it is not the host length. The library gives
   * inet/inet6 destinations and sources as prefixes (`10.0.0.0/24`), other
   * families' bare.
   */
  #prefix(fd: Field, family: string | number, text: string, len: number, hostLen: number): void {
    const withLen = family === "inet" || family === "inet6";
    if (len !== hostLen) this.#addr(fd, withLen ? text : text + "/" + len);
    else this.#addr(fd, text, withLen ? text.lastIndexOf("/") : text.length);
  }

  #typeName(type: string | number): string {
    let s = this.#typeText.get(type);
    if (s === undefined) this.#typeText.set(type, s = rtnTypeName(numberOf(RTN, type), this.#o.numeric));
    return s;
  }

  #protoName(protocol: string | number): string {
    let s = this.#protoText.get(protocol);
    if (s === undefined) this.#protoText.set(protocol, s = protoName(numberOf(RTPROT, protocol), this.#o.numeric));
    return s;
  }

  #scopeName(scope: string | number): string {
    let s = this.#scopeText.get(scope);
    if (s === undefined) this.#scopeText.set(scope, s = scopeName(numberOf(RT_SCOPE, scope), this.#o.numeric));
    return s;
  }

  /** Text output. */
  #w(s: string): void {
    this.#sink.str(s);
  }

  /** A string field: its key in JSON, `pre value post` in text. */
  #str(fd: Field, value: string): void {
    if (this.#j) this.#j.string(fd.key, value);
    else if (this.#color && fd.color) this.#paint(fd, value);
    else this.#sink.field(fd.pre, value, fd.post);
  }

  /** A field in its colour (`-c`). */
  #paint(fd: Field, value: string): void {
    const c = fd.color === "ifname" ? Color.Ifname : familyColor(fd.color === "real" ? this.#realFamily : this.#family);
    this.#w(fd.whole ? colored(c, fd.pre + value + fd.post) : fd.pre + colored(c, value + fd.post));
  }

  /** An address field (nothing to escape): its first `end` characters. */
  #addr(fd: Field, value: string, end: number = value.length): void {
    if (this.#j) this.#j.plain(fd.key, value, end);
    else if (this.#color && fd.color) this.#paint(fd, value.slice(0, end));
    else this.#sink.field(fd.pre, value, fd.post, end);
  }

  /** A number field. */
  #num(fd: Field, value: number): void {
    if (value < 0) {
      // Only `expires` can be negative (an entry past its time, not yet collected): C's %d.
      if (this.#j) this.#j.raw(fd.key, String(value));
      else this.#sink.field(fd.pre, String(value), fd.post);
    } else if (this.#j) this.#j.uint(fd.key, value);
    else {
      const o = this.#sink;
      o.str(fd.pre);
      o.uint(value);
      o.str(fd.post);
    }
  }

  /** Text-only words, or a JSON-only raw value. */
  #text(text: string, key: string | null, json: string | null): void {
    if (this.#j) {
      if (key !== null && json !== null) this.#j.raw(key, json);
    } else this.#w(text);
  }

  /** iproute2's print_cache_nexthop_id: the nexthop object on a line of its own, or a `nh_info` JSON object. */
  #nhInfo(printed: string | undefined): void {
    if (printed === undefined) return;
    const j = this.#j;
    if (!j) this.#w("\n\tnh_info " + printed);
    else writeJsonValue(j, "nh_info", JSON.parse(printed));
  }

  #via(via: Via): void {
    const family = familyText(via.family);
    const j = this.#j;
    if (j) {
      j.openObject("via");
      j.string("family", family);
      j.string("host", via.address);
      j.closeObject();
    } else this.#w(`via ${family} ${colored(familyColor(via.family), via.address + " ")}`);
  }

  #flow(v: number): void {
    const from = v >>> 16;
    const to = v & 0xffff;
    const n = this.#o.numeric;
    const j = this.#j;
    if (j) {
      j.openObject("flow");
      if (from) j.string("from", realmName(from, n));
      j.string("to", realmName(to, n));
      j.closeObject();
    } else {
      this.#w(`realm${from ? "s" : ""} `);
      if (from) this.#w(realmName(from, n) + "/");
      this.#w(realmName(to, n) + " ");
    }
  }

  #cacheFlags(flags: number): void {
    const j = this.#j;
    flags &= ~0xffff;
    if (j) j.openArray("cache");
    else {
      this.#w(this.#p.sl + "    cache ");
      if (flags === 0) return;
      this.#w("<");
    }
    for (const [bit, name] of CACHE_FLAGS) {
      if (flags & bit) {
        flags &= ~bit;
        if (j) j.string(null, name);
        else this.#w(name + (flags ? "," : "> "));
      }
    }
    if (flags) {
      if (j) j.string("flags", (flags >>> 0).toString(16));
      else this.#w((flags >>> 0).toString(16) + ">");
    }
    if (j) j.closeArray();
  }

  #cacheinfo(ci: NonNullable<Route["cacheinfo"]>): void {
    if (ci.expires !== 0) this.#num(F.expires, Math.trunc(ci.expires / HZ));
    if (ci.error !== 0) this.#num(F.error, ci.error);
    if (this.#o.stats) {
      if (ci.clntref) this.#num(F.users, ci.clntref);
      if (ci.used !== 0) this.#num(F.used, ci.used);
      if (ci.lastuse !== 0) this.#num(F.age, Math.trunc(ci.lastuse / HZ));
    }
    if (ci.id) {
      if (this.#j) this.#j.string("ipid", "0x" + ci.id.toString(16));
      else this.#w("ipid 0x" + ci.id.toString(16).padStart(4, "0") + " ");
    }
    if (ci.ts || ci.tsage) {
      if (this.#j) this.#j.string("ts", ci.ts ? "0x" + ci.ts.toString(16) : "0");
      else this.#w("ts 0x" + ci.ts.toString(16));
      this.#num(F.tsage, ci.tsage);
    }
  }

  #metrics(m: RouteMetrics): void {
    const j = this.#j;
    if (j) {
      j.openArray("metrics");
      j.openObject();
    }
    const lock = m.lock ?? 0;
    for (let i = 2; i < METRICS.length; i++) {
      const [key, name] = METRICS[i];
      const value = m[key];
      if (value === undefined && !(lock & (1 << i))) continue;
      const val = typeof value === "number" ? value : 0;
      if (i === RTAX_HOPLIMIT && val === 0xffffffff) continue;
      if (!j) {
        this.#w(name + " ");
        if (lock & (1 << i)) this.#w("lock ");
      }
      if (i === RTAX_FEATURES) {
        let features = val;
        if (features & 1) {
          this.#text("ecn ", "ecn", "null");
          features &= ~1;
        }
        if (features) {
          if (j) j.string("features", "0x" + val.toString(16));
          else this.#w("0x" + val.toString(16) + " ");
        }
      } else if (key === "rtt" || key === "rttvar" || key === "rtoMin") {
        const scaled = key === "rtt" ? Math.trunc(val / 8) : key === "rttvar" ? Math.trunc(val / 4) : val;
        if (j) j.raw(name, String(scaled));
        else this.#w(scaled >= 1000 ? fmtG(scaled / 1e3) + "s " : scaled + "ms ");
      } else if (i === RTAX_CC_ALGO) this.#str(F.congestion, m.ccAlgo ?? "");
      else if (j) j.uint(name, val);
      else this.#w(val + " ");
    }
    if (j) {
      j.closeObject();
      j.closeArray();
    }
  }

  #multipath(hops: RouteNexthop[], family: string | number, type: string | number, cloned: boolean): void {
    const j = this.#j;
    const mcast = cloned && type === "multicast";
    let first = true;
    if (j) j.openArray("nexthops");
    for (const nh of hops) {
      if (j) j.openObject();
      if (mcast) {
        this.#text(first ? "Oifs: " : " ", null, null);
        first = false;
      } else this.#text(this.#p.sl + "\tnexthop ", null, null);
      if (nh.encap !== undefined) printEncap(nh.encap, this.#j, this.#sink, this.#links, this.#o);
      if (nh.newdst !== undefined) this.#str(F.to, nh.newdst);
      if (nh.gateway !== undefined) this.#addr(F.gateway, nh.gateway);
      if (nh.via !== undefined) this.#via(nh.via);
      if (nh.flow !== undefined) this.#flow(nh.flow);
      if (mcast) {
        this.#str(F.mcastDev, this.#links.name(nh.ifindex));
        if (nh.hops !== 1) this.#num(F.ttl, nh.hops);
        this.#text(" ", null, null);
      } else {
        this.#str(F.nexthopDev, this.#links.name(nh.ifindex));
        if (family !== "mpls") this.#num(F.weight, nh.hops + 1);
      }
      this.#flags(nh.flags.length === 0 ? 0 : ROUTE_FLAGS.encode(nh.flags));
      if (j) j.closeObject();
    }
    if (j) j.closeArray();
  }

  /** iproute2's print_rt_flags: words in text, a `flags` array in JSON. */
  #flags(flags: number): void {
    const j = this.#j;
    if (j) j.openArray(FLAGS_KEY);
    if (flags) {
      for (const [bit, name] of RT_FLAGS) {
        if (flags & bit) {
          if (j) j.string(null, name);
          else this.#w(name + " ");
        }
      }
    }
    if (j) j.closeArray();
  }

  /** iproute2's filter_nlmsg. */
  #select(r: Route, flags: number): boolean {
    const f = this.#f;
    const family = r.family;
    if (f.family !== undefined && family !== f.family) return false;
    const table = r.table;
    if (family === "inet6" && table !== RT_TABLE.MAIN) this.#ip6MultipleTables = true;
    if (f.cloned === !(flags & CLONED)) return false;
    if (family === "inet6" && !this.#ip6MultipleTables) {
      if (f.tb) {
        if (f.tb === RT_TABLE_LOCAL) {
          if (r.type !== "local") return false;
        } else if (f.tb === RT_TABLE.MAIN) {
          if (r.type === "local") return false;
        } else return false;
      }
    } else if (f.tb > 0 && f.tb !== table) return false;
    if (this.#plain) return true;
    if (f.protocolmask && (f.protocol ^ numberOf(RTPROT, r.protocol)) & f.protocolmask) return false;
    if (f.scopemask && (f.scope ^ numberOf(RT_SCOPE, r.scope)) & f.scopemask) return false;
    if (f.typemask && !(f.typemask & (1 << numberOf(RTN, r.type)))) return false;
    if ((f.tos ^ r.tos) & f.tosmask) return false;
    if (f.rdst || f.mdst || f.rsrc || f.msrc || f.rvia || f.rprefsrc) {
      if (!this.#prefixFilters(r)) return false;
    }
    if (f.realmmask && (((r.flow ?? 0) ^ f.realm) & f.realmmask) >>> 0) return false;
    if (f.iifmask && ((r.iif ?? 0) ^ f.iif) & f.iifmask) return false;
    if (f.oifmask && ((r.oif ?? 0) ^ f.oif) & f.oifmask) return false;
    if (f.markmask && ((r.mark ?? 0) ^ f.mark) & f.markmask) return false;
    if (f.metricmask && ((r.priority ?? 0) ^ f.metric) & f.metricmask) return false;
    return true;
  }

  /** The root/match/exact prefix, `via` and `src` selectors. */
  #prefixFilters(r: Route): boolean {
    const f = this.#f;
    const fams = this.#families;
    const family = r.family;
    const { dstLen, srcLen } = r;
    const bits = (p: InetPrefix | undefined) => (p ? p.bitlen : -1);
    const set = (p: InetPrefix | undefined) => p !== undefined && (p.family !== 0 || p.lenGiven);
    if (f.rdst && set(f.rdst)) {
      if ((fams.rdst && family !== fams.rdst) || f.rdst.bitlen > dstLen) return false;
    }
    if (f.mdst && set(f.mdst)) {
      if ((fams.mdst && family !== fams.mdst) || (bits(f.mdst) >= 0 && bits(f.mdst) < dstLen)) return false;
    }
    if (f.rsrc && set(f.rsrc)) {
      if ((fams.rsrc && family !== fams.rsrc) || f.rsrc.bitlen > srcLen) return false;
    }
    if (f.msrc && set(f.msrc)) {
      if ((fams.msrc && family !== fams.msrc) || (bits(f.msrc) >= 0 && bits(f.msrc) < srcLen)) return false;
    }
    if (fams.rvia && (r.via ? r.via.family : family) !== fams.rvia) return false;
    if (fams.rprefsrc && family !== fams.rprefsrc) return false;
    // Addresses are compared only where a selector has a family, and then the route's is that family.
    const af = family === "inet" ? AF_INET : family === "inet6" ? AF_INET6 : family === "mpls" ? AF_MPLS : 0;
    const dst = () => addrBytes(r.dstLen ? r.dst : undefined, af);
    const src = () => addrBytes(r.src, af);
    if (f.rdst && set(f.rdst) && !prefixMatch(dst(), f.rdst.bytes, f.rdst.bitlen)) return false;
    if (f.mdst && set(f.mdst) && !prefixMatch(dst(), f.mdst.bytes, dstLen)) return false;
    if (f.rsrc && set(f.rsrc) && !prefixMatch(src(), f.rsrc.bytes, f.rsrc.bitlen)) return false;
    if (f.msrc && set(f.msrc) && f.msrc.bitlen >= 0 && !prefixMatch(src(), f.msrc.bytes, srcLen)) return false;
    if (f.rvia && fams.rvia) {
      let via: Uint8Array = new Uint8Array(16);
      if (f.rvia.bitlen > 0) {
        if (r.gateway !== undefined) via = addrBytes(r.gateway, af);
        if (r.via !== undefined) via = addrBytes(r.via.address, f.rvia.family);
      }
      if (!prefixMatch(via, f.rvia.bytes, f.rvia.bitlen)) return false;
    }
    if (f.rprefsrc && fams.rprefsrc) {
      const ps = f.rprefsrc.bitlen > 0 ? addrBytes(r.prefsrc, af) : new Uint8Array(16);
      if (!prefixMatch(ps, f.rprefsrc.bytes, f.rprefsrc.bitlen)) return false;
    }
    return true;
  }
}

/** Writes a parsed JSON value (objects, named arrays, strings, numbers, literals) as member `key` of `j`. */
function writeJsonValue(j: JsonBytes, key: string | null, v: unknown): void {
  if (Array.isArray(v)) {
    j.openArray(key ?? "");
    for (const x of v) writeJsonValue(j, null, x);
    j.closeArray();
  } else if (v !== null && typeof v === "object") {
    j.openObject(key);
    for (const [k, x] of Object.entries(v)) writeJsonValue(j, k, x);
    j.closeObject();
  } else if (typeof v === "string") j.string(key, v);
  else j.raw(key, JSON.stringify(v));
}

/** RTM_F_CLONED in a route's flag mask. */
const CLONED = ROUTE_FLAGS.bit("cloned");
