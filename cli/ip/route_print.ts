/**
 * Routes as `ip route show` prints them (iproute2's print_route and
 * filter_nlmsg), formatted straight from each RTM_NEWROUTE message where it
 * lies in the receive buffer: a table of 100,000 routes prints without
 * building 100,000 objects.
 *
 * @module
 */
import type { MessageView } from "@nlink/nlink";
import { AF_INET, AF_INET6, familyName, type InetPrefix, ntop4, ntop6 } from "../common/inet.ts";
import { dsfieldName, protoName, realmName, rtnTypeName, scopeName, tableName } from "../common/names.ts";
import { AttrTable } from "../common/nlattr.ts";
import { type ByteSink, constBytes } from "../common/bytes.ts";
import { JsonBytes, type JsonKey, jsonKey, type Printer } from "../common/output.ts";
import type { LinkCache } from "./links.ts";
import { type FastEnv, writeFastRoute } from "./route_fast.ts";

const AF_MPLS = 28;
const RTNL_FAMILY_IPMR = 128;
const RTNL_FAMILY_IP6MR = 129;
const RTM_NEWROUTE = 24;
const RTM_DELROUTE = 25;
const RT_TABLE_MAIN = 254;
const RT_TABLE_LOCAL = 255;
const RTN_UNICAST = 1;
const RTN_LOCAL = 2;
const RTN_MULTICAST = 5;
const RTPROT_BOOT = 3;
const RTM_F_CLONED = 0x200;

const RTA = {
  DST: 1,
  SRC: 2,
  IIF: 3,
  OIF: 4,
  GATEWAY: 5,
  PRIORITY: 6,
  PREFSRC: 7,
  METRICS: 8,
  MULTIPATH: 9,
  FLOW: 11,
  CACHEINFO: 12,
  TABLE: 15,
  MARK: 16,
  VIA: 18,
  NEWDST: 19,
  PREF: 20,
  UID: 25,
  TTL_PROPAGATE: 26,
  NH_ID: 30,
} as const;
const RTA_MAX = 31;

/** `ip route show`'s selectors (iproute2's route filter). */
export interface RouteFilter {
  /** Family of the dump (0: all). */
  family: number;
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
    family: 0,
    tb: RT_TABLE_MAIN,
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
  /** Print every route through the general path (tests compare both paths). */
  noFastPath?: boolean;
}

const METRIC_NAMES = [
  "",
  "",
  "mtu",
  "window",
  "rtt",
  "rttvar",
  "ssthresh",
  "cwnd",
  "advmss",
  "reordering",
  "hoplimit",
  "initcwnd",
  "features",
  "rto_min",
  "initrwnd",
  "quickack",
  "congctl",
  "fastopen_no_cookie",
];
const RTAX_MAX = 17;

/** Encoded JSON keys by name (a plain object: faster than a Map lookup per field). */
const KEYS: Record<string, JsonKey> = Object.create(null);

/** print_rt_flags' words, in its order. */
const RT_FLAGS: [number, string][] = [
  [1, "dead"],
  [4, "onlink"],
  [2, "pervasive"],
  [8, "offload"],
  [64, "trap"],
  [0x100, "notify"],
  [16, "linkdown"],
  [32, "unresolved"],
  [0x4000, "rt_offload"],
  [0x8000, "rt_trap"],
  [0x20000000, "rt_offload_failed"],
];

/** RTCF_* route cache flags, in print_cache_flags' order. */
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
function bitLen(family: number): number {
  return family === AF_INET6 ? 128 : family === AF_INET ? 32 : family === AF_MPLS ? 20 : 0;
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
 * Prints routes one message at a time; use {@linkcode RoutePrinter.decoder}
 * as the dump's decoder.
 *
 * @example
 * ```ts ignore
 * const rp = new RoutePrinter(p, filter, links, { details: 0, stats: 0, numeric: false });
 * await conn.dump(request, rp.decoder, "ip route show");
 * ```
 */
export class RoutePrinter {
  readonly #p: Printer;
  readonly #f: RouteFilter;
  readonly #links: LinkCache;
  readonly #o: RoutePrintOptions;
  readonly #tb = new AttrTable(RTA_MAX);
  readonly #nh = new AttrTable(RTA_MAX);
  #ip6MultipleTables = false;

  /** A printer writing into `p`. */
  constructor(p: Printer, filter: RouteFilter, links: LinkCache, options: RoutePrintOptions) {
    this.#p = p;
    this.#f = filter;
    this.#links = links;
    this.#o = options;
    this.#j = p.json ? new JsonBytes(p.pretty) : undefined;
    const f0 = filter;
    this.#plain = !f0.cloned && !f0.tosmask && !f0.protocolmask && !f0.scopemask && !f0.typemask && !f0.iifmask &&
      !f0.oifmask && !f0.markmask && !f0.realmmask && !f0.metricmask && !f0.rdst && !f0.mdst && !f0.rsrc &&
      !f0.msrc && !f0.rvia && !f0.rprefsrc;
    // The one-pass writer covers compact JSON and text without -d / -s.
    if (!options.noFastPath && !p.pretty && !options.details && !options.stats) {
      const f = filter;
      this.#fast = {
        json: p.json,
        numeric: options.numeric,
        links,
        tb: f.tb,
        hideProtocol: f.protocolmask === -1,
        hideScope: f.scopemask === -1,
        hideMetric: f.metricmask === -1,
        hideDev: f.oifmask === -1,
        hideGateway: (hostLen) => (f.rvia?.bitlen ?? 0) === hostLen,
        hidePrefsrc: (hostLen) => (f.rprefsrc?.bitlen ?? 0) === hostLen,
      };
    }
  }

  readonly #fast: FastEnv | undefined;
  /** No selector beyond family and table: the general filter would pass every other route. */
  readonly #plain: boolean;

  /** The main/local split iproute2 applies to IPv6 routes while all it has seen is the main table. */
  #ip6Table(rtype: number): boolean {
    const tb = this.#f.tb;
    if (!tb) return true;
    if (tb === RT_TABLE_LOCAL) return rtype === RTN_LOCAL;
    if (tb === RT_TABLE_MAIN) return rtype !== RTN_LOCAL;
    return false;
  }

  /** The dump decoder: prints the message and keeps nothing. */
  readonly decoder = (m: MessageView): undefined => {
    if (m.type === RTM_NEWROUTE || m.type === RTM_DELROUTE) this.print(m.bytes, m.view, m.offset, m.length, m.type);
    return undefined;
  };

  /** An address attribute as text in `family`. */
  #addr(t: AttrTable, attr: number, family: number): string {
    const off = t.start[attr];
    const len = t.len[attr];
    if (family === AF_INET && len >= 4) return ntop4(t.bytes, off);
    if (family === AF_INET6 && len >= 16) return ntop6(t.bytes, off);
    if (family === AF_MPLS) return mplsText(t.bytes, t.view, off, len);
    return "???";
  }

  /** Prints the route message at `off` (nlmsghdr included) if the filter selects it. */
  print(b: Uint8Array, v: DataView, off: number, len: number, type: number): void {
    if (len < 16 + 12) return;
    const h = off + 16;
    const flags = v.getUint32(h + 8, true);
    const tb = this.#tb.parse(b, v, h + 12, off + len);
    const table = tb.start[RTA.TABLE] !== 0 ? tb.u32(RTA.TABLE) : b[h + 4];
    if (this.#plain) {
      // Only family, table and cache flag to check: the common case, without the general filter's call.
      const family = b[h];
      if ((this.#f.family && family !== this.#f.family) || (flags & RTM_F_CLONED) !== 0) return;
      if (family === AF_INET6 && table !== RT_TABLE_MAIN) this.#ip6MultipleTables = true;
      if (!(family === AF_INET6 && !this.#ip6MultipleTables) && this.#f.tb > 0 && this.#f.tb !== table) return;
      if (family === AF_INET6 && !this.#ip6MultipleTables && !this.#ip6Table(b[h + 7])) return;
    } else if (!this.#filter(tb, b[h], b[h + 1], b[h + 2], b[h + 3], table, b[h + 5], b[h + 6], b[h + 7], flags)) {
      return;
    }
    const sink = this.#p.itemSink();
    // Kept small on purpose: the common route never enters the long general path below.
    if (
      this.#fast && type === RTM_NEWROUTE && b[h + 7] === RTN_UNICAST && b[h + 3] === 0 && b[h + 2] === 0 &&
      writeFastRoute(sink, this.#fast, tb, b[h], b[h + 1], table, b[h + 5], b[h + 6], flags)
    ) return;
    this.#general(sink, b, h, type, tb, table, flags);
  }

  /** iproute2's print_route, field by field. */
  #general(
    sink: ByteSink,
    b: Uint8Array,
    h: number,
    type: number,
    tb: AttrTable,
    table: number,
    flags: number,
  ): void {
    const family = b[h];
    const dstLen = b[h + 1];
    const srcLen = b[h + 2];
    const tos = b[h + 3];
    const protocol = b[h + 5];
    const scope = b[h + 6];
    const rtype = b[h + 7];
    const p = this.#p;
    const f = this.#f;
    const o = this.#o;
    const hostLen = bitLen(family);
    this.#sink = sink;
    const j = this.#j;
    if (j) j.begin(sink, p.depth);
    if (type === RTM_DELROUTE) this.#text("Deleted ", "deleted", "true");
    if ((rtype !== RTN_UNICAST || o.details > 0) && (!f.typemask || f.typemask & (1 << rtype))) {
      this.#str("type", "", rtnTypeName(rtype, o.numeric), " ");
    }
    const real = rtype !== RTN_MULTICAST
      ? family
      : family === RTNL_FAMILY_IPMR
      ? AF_INET
      : family === RTNL_FAMILY_IP6MR
      ? AF_INET6
      : family;
    if (tb.has(RTA.DST) && real === AF_INET && dstLen === 32) this.#addrField("dst", "", tb, RTA.DST, real, " ");
    else {
      let dst: string;
      if (tb.has(RTA.DST)) {
        dst = this.#addr(tb, RTA.DST, real);
        if (dstLen !== hostLen) dst += "/" + dstLen;
      } else if (dstLen) dst = `0/${dstLen} `;
      else dst = "default";
      this.#str("dst", "", dst, " ");
    }
    if (tb.has(RTA.SRC)) {
      let src = this.#addr(tb, RTA.SRC, real);
      if (srcLen !== hostLen) src += "/" + srcLen;
      this.#str("from", "from ", src, " ");
    } else if (srcLen) this.#str("src", "from ", `0/${srcLen}`, " ");
    if (tb.has(RTA.NH_ID)) this.#num("nhid", "nhid ", tb.u32(RTA.NH_ID), " ");
    if (tb.has(RTA.NEWDST)) this.#str("to", "as to ", this.#addr(tb, RTA.NEWDST, family), " ");
    if (tos && f.tosmask !== -1) this.#str("tos", "tos ", dsfieldName(tos, o.numeric), " ");
    if (tb.has(RTA.GATEWAY) && (f.rvia?.bitlen ?? 0) !== hostLen) {
      this.#addrField("gateway", "via ", tb, RTA.GATEWAY, family, " ");
    }
    if (tb.has(RTA.VIA)) this.#via(tb);
    if (tb.has(RTA.OIF) && f.oifmask !== -1) this.#str("dev", "dev ", this.#links.name(tb.u32(RTA.OIF)), " ");
    if (table && (table !== RT_TABLE_MAIN || o.details > 0) && !f.tb) {
      this.#str("table", "table ", tableName(table, o.numeric), " ");
    }
    if (!(flags & RTM_F_CLONED)) {
      if ((protocol !== RTPROT_BOOT || o.details > 0) && f.protocolmask !== -1) {
        this.#str("protocol", "proto ", protoName(protocol, o.numeric), " ");
      }
      if ((scope !== 0 || o.details > 0) && f.scopemask !== -1) {
        this.#str("scope", "scope ", scopeName(scope, o.numeric), " ");
      }
    }
    if (tb.has(RTA.PREFSRC) && (f.rprefsrc?.bitlen ?? 0) !== hostLen) {
      this.#addrField("prefsrc", "src ", tb, RTA.PREFSRC, family, " ");
    }
    if (tb.has(RTA.PRIORITY) && f.metricmask !== -1) this.#num("metric", "metric ", tb.u32(RTA.PRIORITY), " ");
    this.#flags(flags);
    if (tb.has(RTA.MARK)) {
      const mark = tb.u32(RTA.MARK);
      if (mark) {
        if (j) j.raw("mark", String(mark));
        else this.#w(mark >= 16 ? `mark 0x${mark.toString(16)} ` : `mark ${mark} `);
      }
    }
    if (tb.has(RTA.FLOW) && f.realmmask !== 0xffffffff) this.#flow(tb);
    if (tb.has(RTA.UID)) this.#num("uid", "uid ", tb.u32(RTA.UID), " ");
    if (family === AF_INET) {
      if (flags & RTM_F_CLONED) this.#cacheFlags(flags);
      if (tb.has(RTA.CACHEINFO)) this.#cacheinfo(tb);
    } else if (family === AF_INET6 && tb.has(RTA.CACHEINFO)) this.#cacheinfo(tb);
    if (tb.has(RTA.METRICS)) this.#metrics(tb);
    if (tb.has(RTA.IIF) && f.iifmask !== -1) this.#str("iif", "iif ", this.#links.name(tb.u32(RTA.IIF)), " ");
    if (tb.has(RTA.PREF)) {
      const pref = tb.u8(RTA.PREF);
      const name = pref === 3 ? "low" : pref === 0 ? "medium" : pref === 1 ? "high" : undefined;
      if (name) this.#str("pref", "pref ", name, "");
      else this.#num("pref", "", pref, "");
    }
    if (tb.has(RTA.TTL_PROPAGATE)) {
      const on = tb.u8(RTA.TTL_PROPAGATE) !== 0;
      this.#text(`ttl-propogate ${on ? "enabled" : "disabled"}`, "ttl-propogate", on ? "true" : "false");
    }
    if (tb.has(RTA.MULTIPATH)) this.#multipath(tb, family, rtype, flags);
    if (j) j.end();
    else sink.byte(10);
  }

  /** Where the route is written, and its JSON writer (JSON mode only). */
  #sink!: ByteSink;
  readonly #j: JsonBytes | undefined;

  /** Text output. */
  #w(s: string): void {
    this.#sink.str(s);
  }

  /** A string field: `key` in JSON, `prefix value suffix` in text. */
  #str(key: string, prefix: string, value: string, suffix: string): void {
    if (this.#j) this.#j.string(KEYS[key] ??= jsonKey(key), value);
    else {
      const o = this.#sink;
      if (prefix) o.bytes(constBytes(prefix));
      o.str(value);
      if (suffix) o.bytes(constBytes(suffix));
    }
  }

  /** A number field. */
  #num(key: string, prefix: string, value: number, suffix: string): void {
    if (this.#j) this.#j.uint(KEYS[key] ??= jsonKey(key), value);
    else {
      const o = this.#sink;
      if (prefix) o.bytes(constBytes(prefix));
      o.uint(value);
      if (suffix) o.bytes(constBytes(suffix));
    }
  }

  /** An address attribute as a string field (IPv4 written digit by digit). */
  #addrField(key: string, prefix: string, t: AttrTable, attr: number, family: number, suffix: string): void {
    if (family !== AF_INET || t.len[attr] < 4) {
      this.#str(key, prefix, this.#addr(t, attr, family), suffix);
      return;
    }
    if (this.#j) this.#j.ipv4(KEYS[key] ??= jsonKey(key), t.bytes, t.start[attr]);
    else {
      const o = this.#sink;
      o.bytes(constBytes(prefix));
      o.ipv4(t.bytes, t.start[attr]);
      o.bytes(constBytes(suffix));
    }
  }

  /** Text-only words, or a JSON-only raw value. */
  #text(text: string, key: string | null, json: string | null): void {
    if (this.#j) {
      if (key !== null && json !== null) this.#j.raw(key, json);
    } else this.#w(text);
  }

  #via(t: AttrTable): void {
    const off = t.start[RTA.VIA];
    const fam = t.view.getUint16(off, true);
    const alen = t.len[RTA.VIA] - 2;
    const host = fam === AF_INET && alen >= 4
      ? ntop4(t.bytes, off + 2)
      : fam === AF_INET6 && alen >= 16
      ? ntop6(t.bytes, off + 2)
      : fam === AF_MPLS
      ? mplsText(t.bytes, t.view, off + 2, alen)
      : "???";
    const j = this.#j;
    if (j) {
      j.openObject("via");
      j.string("family", familyName(fam));
      j.string("host", host);
      j.closeObject();
    } else this.#w(`via ${familyName(fam)} ${host} `);
  }

  #flow(t: AttrTable): void {
    const v = t.u32(RTA.FLOW);
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

  #cacheinfo(t: AttrTable): void {
    const off = t.start[RTA.CACHEINFO];
    if (t.len[RTA.CACHEINFO] < 32) return;
    const v = t.view;
    const clntref = v.getUint32(off, true);
    const lastuse = v.getUint32(off + 4, true);
    const expires = v.getInt32(off + 8, true);
    const error = v.getUint32(off + 12, true);
    const used = v.getUint32(off + 16, true);
    const id = v.getUint32(off + 20, true);
    const ts = v.getUint32(off + 24, true);
    const tsage = v.getUint32(off + 28, true);
    const hz = 100; // sysconf(_SC_CLK_TCK): the kernel reports clock_t (USER_HZ) ticks
    if (expires !== 0) this.#num("expires", "expires ", Math.trunc(expires / hz), "sec ");
    if (error !== 0) this.#num("error", "error ", error, " ");
    if (this.#o.stats) {
      if (clntref) this.#num("users", "users ", clntref, " ");
      if (used !== 0) this.#num("used", "used ", used, " ");
      if (lastuse !== 0) this.#num("age", "age ", Math.trunc(lastuse / hz), "sec ");
    }
    if (id) {
      if (this.#j) this.#j.string("ipid", "0x" + id.toString(16));
      else this.#w("ipid 0x" + id.toString(16).padStart(4, "0") + " ");
    }
    if (ts || tsage) {
      if (this.#j) this.#j.string("ts", ts ? "0x" + ts.toString(16) : "0");
      else this.#w("ts 0x" + ts.toString(16));
      this.#num("tsage", "tsage ", tsage, "sec ");
    }
  }

  #metrics(t: AttrTable): void {
    const j = this.#j;
    const mx = new AttrTable(RTAX_MAX).parse(
      t.bytes,
      t.view,
      t.start[RTA.METRICS],
      t.start[RTA.METRICS] + t.len[RTA.METRICS],
    );
    if (j) {
      j.openArray("metrics");
      j.openObject();
    }
    const lock = mx.has(1) ? mx.u32(1) : 0;
    for (let i = 2; i <= RTAX_MAX; i++) {
      if (!mx.has(i) && !(lock & (1 << i))) continue;
      const val = mx.has(i) && i !== 16 ? mx.u32(i) : 0;
      if (i === 10 && val === 0xffffffff) continue;
      if (!j) {
        this.#w(METRIC_NAMES[i] ? METRIC_NAMES[i] + " " : `metric ${i} `);
        if (lock & (1 << i)) this.#w("lock ");
      }
      if (i === 12) {
        let features = val;
        if (features & 1) {
          this.#text("ecn ", "ecn", "null");
          features &= ~1;
        }
        if (features) {
          if (j) j.string("features", "0x" + val.toString(16));
          else this.#w("0x" + val.toString(16) + " ");
        }
      } else if (i === 4 || i === 5 || i === 13) {
        const scaled = i === 4 ? Math.trunc(val / 8) : i === 5 ? Math.trunc(val / 4) : val;
        if (j) j.raw(METRIC_NAMES[i], String(scaled));
        else this.#w(scaled >= 1000 ? fmtG(scaled / 1e3) + "s " : scaled + "ms ");
      } else if (i === 16) this.#str("congestion", "", mx.has(16) ? mx.str(16) : "", " ");
      else this.#num(METRIC_NAMES[i], "", val, " ");
    }
    if (j) {
      j.closeObject();
      j.closeArray();
    }
  }

  #multipath(t: AttrTable, family: number, rtype: number, flags: number): void {
    const j = this.#j;
    const b = t.bytes;
    const v = t.view;
    let off = t.start[RTA.MULTIPATH];
    let len = t.len[RTA.MULTIPATH];
    let first = true;
    const mcast = (flags & RTM_F_CLONED) !== 0 && rtype === RTN_MULTICAST;
    if (j) j.openArray("nexthops");
    while (len >= 8) {
      const nlen = v.getUint16(off, true);
      if (nlen > len) break;
      const nflags = b[off + 2];
      const hops = b[off + 3];
      const ifindex = v.getInt32(off + 4, true);
      if (j) j.openObject();
      if (mcast) {
        this.#text(first ? "Oifs: " : " ", null, null);
        first = false;
      } else this.#text(this.#p.sl + "\tnexthop ", null, null);
      if (nlen > 8) {
        const nh = this.#nh.parse(b, v, off + 8, off + nlen);
        if (nh.has(RTA.NEWDST)) this.#str("to", "as to ", this.#addr(nh, RTA.NEWDST, family), " ");
        if (nh.has(RTA.GATEWAY)) this.#addrField("gateway", "via ", nh, RTA.GATEWAY, family, " ");
        if (nh.has(RTA.VIA)) this.#via(nh);
        if (nh.has(RTA.FLOW)) this.#flow(nh);
      }
      if (mcast) {
        this.#str("dev", "", this.#links.name(ifindex), "");
        if (hops !== 1) this.#num("ttl", "(ttl>", hops, ")");
        this.#text(" ", null, null);
      } else {
        this.#str("dev", "dev ", this.#links.name(ifindex), " ");
        if (family !== AF_MPLS) this.#num("weight", "weight ", hops + 1, " ");
      }
      this.#flags(nflags);
      const step = (nlen + 3) & ~3;
      len -= step;
      off += step;
      if (j) j.closeObject();
    }
    if (j) j.closeArray();
  }

  /** iproute2's print_rt_flags: words in text, a `flags` array in JSON. */
  #flags(flags: number): void {
    const j = this.#j;
    if (j) j.openArray(KEYS.flags ??= jsonKey("flags"));
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
  #filter(
    tb: AttrTable,
    family: number,
    dstLen: number,
    srcLen: number,
    tos: number,
    table: number,
    protocol: number,
    scope: number,
    rtype: number,
    flags: number,
  ): boolean {
    const f = this.#f;
    if (f.family && family !== f.family) return false;
    if (family === AF_INET6 && table !== RT_TABLE_MAIN) this.#ip6MultipleTables = true;
    if (f.cloned === !(flags & RTM_F_CLONED)) return false;
    if (family === AF_INET6 && !this.#ip6MultipleTables) {
      if (f.tb) {
        if (f.tb === RT_TABLE_LOCAL) {
          if (rtype !== RTN_LOCAL) return false;
        } else if (f.tb === RT_TABLE_MAIN) {
          if (rtype === RTN_LOCAL) return false;
        } else return false;
      }
    } else if (f.tb > 0 && f.tb !== table) return false;
    if ((f.protocol ^ protocol) & f.protocolmask) return false;
    if ((f.scope ^ scope) & f.scopemask) return false;
    if (f.typemask && !(f.typemask & (1 << rtype))) return false;
    if ((f.tos ^ tos) & f.tosmask) return false;
    if (f.rdst || f.mdst || f.rsrc || f.msrc || f.rvia || f.rprefsrc) {
      if (!this.#prefixFilters(tb, family, dstLen, srcLen)) return false;
    }
    if (f.realmmask) {
      const realms = tb.has(RTA.FLOW) ? tb.u32(RTA.FLOW) : 0;
      if (((realms ^ f.realm) & f.realmmask) >>> 0) return false;
    }
    if (f.iifmask && ((tb.has(RTA.IIF) ? tb.u32(RTA.IIF) : 0) ^ f.iif) & f.iifmask) return false;
    if (f.oifmask && ((tb.has(RTA.OIF) ? tb.u32(RTA.OIF) : 0) ^ f.oif) & f.oifmask) return false;
    if (f.markmask && ((tb.has(RTA.MARK) ? tb.u32(RTA.MARK) : 0) ^ f.mark) & f.markmask) return false;
    if (f.metricmask && ((tb.has(RTA.PRIORITY) ? tb.u32(RTA.PRIORITY) : 0) ^ f.metric) & f.metricmask) return false;
    return true;
  }

  /** The root/match/exact prefix, `via` and `src` selectors. */
  #prefixFilters(tb: AttrTable, family: number, dstLen: number, srcLen: number): boolean {
    const f = this.#f;
    const bits = (p: InetPrefix | undefined) => (p ? p.bitlen : -1);
    const set = (p: InetPrefix | undefined) => p !== undefined && (p.family !== 0 || p.lenGiven);
    if (f.rdst && set(f.rdst)) {
      if ((f.rdst.family && family !== f.rdst.family) || f.rdst.bitlen > dstLen) return false;
    }
    if (f.mdst && set(f.mdst)) {
      if ((f.mdst.family && family !== f.mdst.family) || (bits(f.mdst) >= 0 && bits(f.mdst) < dstLen)) return false;
    }
    if (f.rsrc && set(f.rsrc)) {
      if ((f.rsrc.family && family !== f.rsrc.family) || f.rsrc.bitlen > srcLen) return false;
    }
    if (f.msrc && set(f.msrc)) {
      if ((f.msrc.family && family !== f.msrc.family) || (bits(f.msrc) >= 0 && bits(f.msrc) < srcLen)) return false;
    }
    if (f.rvia?.family) {
      let fam = family;
      if (tb.has(RTA.VIA)) fam = tb.view.getUint16(tb.start[RTA.VIA], true);
      if (fam !== f.rvia.family) return false;
    }
    if (f.rprefsrc?.family && family !== f.rprefsrc.family) return false;
    const copy = (attr: number, n: number, off = 0) => {
      const out = new Uint8Array(16);
      if (tb.has(attr)) out.set(tb.bytes.subarray(tb.start[attr] + off, tb.start[attr] + off + Math.min(n, 16)));
      return out;
    };
    const dst = copy(RTA.DST, (dstLen + 7) >> 3);
    const src = copy(RTA.SRC, (srcLen + 7) >> 3);
    const hostBytes = bitLen(family) >> 3;
    if (f.rdst && set(f.rdst) && !prefixMatch(dst, f.rdst.bytes, f.rdst.bitlen)) return false;
    if (f.mdst && set(f.mdst) && !prefixMatch(dst, f.mdst.bytes, dstLen)) return false;
    if (f.rsrc && set(f.rsrc) && !prefixMatch(src, f.rsrc.bytes, f.rsrc.bitlen)) return false;
    if (f.msrc && set(f.msrc) && f.msrc.bitlen >= 0 && !prefixMatch(src, f.msrc.bytes, srcLen)) return false;
    if (f.rvia?.family) {
      let via = new Uint8Array(16);
      if (f.rvia.bitlen > 0) {
        if (tb.has(RTA.GATEWAY)) via = copy(RTA.GATEWAY, hostBytes);
        if (tb.has(RTA.VIA)) via = copy(RTA.VIA, tb.len[RTA.VIA] - 2, 2);
      }
      if (!prefixMatch(via, f.rvia.bytes, f.rvia.bitlen)) return false;
    }
    if (f.rprefsrc?.family) {
      const ps = f.rprefsrc.bitlen > 0 ? copy(RTA.PREFSRC, hostBytes) : new Uint8Array(16);
      if (!prefixMatch(ps, f.rprefsrc.bytes, f.rprefsrc.bitlen)) return false;
    }
    return true;
  }
}

/** Whether the first `bits` bits of two addresses agree (iproute2's inet_addr_match). */
function prefixMatch(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] ^ b[i]) & mask) return false;
  }
  return true;
}

/** MPLS label stack as iproute2's mpls_ntop writes it: `100/200`. */
function mplsText(_b: Uint8Array, v: DataView, off: number, len: number): string {
  const out: string[] = [];
  for (let i = 0; i + 4 <= len; i += 4) {
    const entry = v.getUint32(off + i, false);
    out.push(String(entry >>> 12));
    if (entry & 0x100) break;
  }
  return out.join("/");
}
