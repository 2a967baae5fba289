/**
 * The fast path of `ip route show` for the routes big tables are made of:
 * IPv4 and IPv6 unicast routes with no flags, no source prefix and no TOS,
 * whose attributes are only a destination, a gateway, an output device, a
 * preferred source, a metric and the table (IPv6 ones: in the main table,
 * with an empty cache info and a known router preference). Such a route is written straight
 * from its reply's bytes (the attributes found through the library's
 * `indexAttrs`) into the output buffer, each piece of constant text copied
 * from bytes encoded once: no Route object, no address text, no string per
 * field. That is what lets `ip -j route show` of 100,000 routes finish before
 * iproute2's (issue 6's target; bench/cli.ts). Any other route, and every
 * route while a selector, `-d`, `-p` or colour is in effect, is left to
 * {@linkcode RoutePrinter}'s general path, which prints the library's decoded
 * route. tests/unit/route_plain_test.ts checks that both paths write the same
 * bytes.
 *
 * @module
 */
import type { MessageView } from "@nlink/nlink";
import { indexAttrs } from "@nlink/nlink/core";
import { RT_SCOPE, RT_TABLE, RTN, RTPROT } from "@nlink/nlink/tables";
import { AF_INET, AF_INET6 } from "../common/inet.ts";
import { writeIPv6 } from "../common/ipv6_text.ts";
import { protoName, scopeName, tableName } from "../common/names.ts";
import { type Printer, quote } from "../common/output.ts";

/** RTA_* attributes a plain route may carry (tests/unit/route_plain_test.ts checks them against the library's schema). */
export const RTA = { DST: 1, OIF: 4, GATEWAY: 5, PRIORITY: 6, PREFSRC: 7, CACHEINFO: 12, TABLE: 15, PREF: 20 } as const;
const PLAIN_ATTRS = (1 << RTA.DST) | (1 << RTA.OIF) | (1 << RTA.GATEWAY) | (1 << RTA.PRIORITY) | (1 << RTA.PREFSRC) |
  (1 << RTA.TABLE);
/** IPv6 routes also carry their cache info and router preference. */
const PLAIN_ATTRS6 = PLAIN_ATTRS | (1 << RTA.CACHEINFO) | (1 << RTA.PREF);
/** sizeof(struct rta_cacheinfo). */
const CACHEINFO_LEN = 32;
const RTN_UNICAST = RTN.value("unicast"), RTPROT_BOOT = RTPROT.value("boot");
const RT_SCOPE_UNIVERSE = RT_SCOPE.value("global"), RT_TABLE_MAIN = RT_TABLE.MAIN;
/** nlmsghdr, then struct rtmsg (12 bytes: family, dst_len, src_len, tos, table, protocol, scope, type, flags). */
const NLMSG_HDRLEN = 16, RTMSG_LEN = 12;

const encoder = new TextEncoder();

/** The constant text of one output mode, encoded once. */
interface Words {
  /** Before the destination address, and before `default`. */
  dst: Uint8Array;
  defaultDst: Uint8Array;
  /** After an address. */
  addrEnd: Uint8Array;
  gateway: Uint8Array;
  prefsrc: Uint8Array;
  metric: Uint8Array;
  /** After the metric. */
  numberEnd: Uint8Array;
  /** What ends the route (JSON: the empty flags list and the brace; text: the newline). */
  end: Uint8Array;
  /** The empty flags list, the router preference by its number (low, medium, high), and the end after them. */
  flags: Uint8Array;
  prefs: Uint8Array[];
  close: Uint8Array;
  /** A named field: its text before the name (the name is quoted in JSON), and after it. */
  named: (key: string, word: string, name: string) => Uint8Array;
}

const JSON_WORDS: Words = {
  dst: encoder.encode('{"dst":"'),
  defaultDst: encoder.encode('{"dst":"default"'),
  addrEnd: encoder.encode('"'),
  gateway: encoder.encode(',"gateway":"'),
  prefsrc: encoder.encode(',"prefsrc":"'),
  metric: encoder.encode(',"metric":'),
  numberEnd: new Uint8Array(0),
  end: encoder.encode(',"flags":[]}'),
  flags: encoder.encode(',"flags":[]'),
  prefs: ["medium", "high", "", "low"].map((pref) => encoder.encode(`,"pref":"${pref}"`)),
  close: encoder.encode("}"),
  named: (key, _word, name) => encoder.encode(`,"${key}":${quote(name)}`),
};

const TEXT_WORDS: Words = {
  dst: new Uint8Array(0),
  defaultDst: encoder.encode("default "),
  addrEnd: encoder.encode(" "),
  gateway: encoder.encode("via "),
  prefsrc: encoder.encode("src "),
  metric: encoder.encode("metric "),
  numberEnd: encoder.encode(" "),
  end: encoder.encode("\n"),
  flags: new Uint8Array(0),
  prefs: ["medium", "high", "", "low"].map((pref) => encoder.encode(`pref ${pref}`)),
  close: encoder.encode("\n"),
  named: (_key, word, name) => encoder.encode(`${word} ${name} `),
};

/** ICMPV6_ROUTER_PREF_*: the preferences iproute2 names (2 is invalid, printed as a number). */
const PREF_MEDIUM = 0, PREF_HIGH = 1, PREF_LOW = 3;

/** What the plain path needs of the listing's settings. */
export interface PlainRouteOptions {
  /** `-j` (compact: pretty JSON goes through the general path). */
  json: boolean;
  /** `-n`: numbers instead of names for tables, protocols and scopes. */
  numeric: boolean;
  /** The `table` selector (0: none): other tables' routes are skipped, and the table is not printed. */
  table: number;
  /** The `cache` selector: plain routes are never cloned, so all are skipped. */
  cloned: boolean;
  /** `-4` / `-6` (AF_INET, AF_INET6; 0 for any): routes of the other family are skipped. */
  family: number;
  /** A device's name by index, as the general path names it. */
  devName: (index: number) => string;
}

/**
 * Writes plain routes from their messages.
 *
 * @example
 * ```ts ignore
 * const plain = new PlainRouteWriter({ json: true, numeric: false, table: 0, cloned: false, family: 0, devName: (i) => links.name(i) });
 * if (!plain.write(m, printer)) routePrinter.print(decode());
 * ```
 */
export class PlainRouteWriter {
  readonly #o: PlainRouteOptions;
  readonly #w: Words;
  readonly #index = new Int32Array(2 * (RTA.PREF + 1));
  /** Encoded `dev NAME`, `table NAME`, `proto NAME`, `scope NAME` fields, by number. */
  readonly #devs: Uint8Array[] = [];
  readonly #tables = new Map<number, Uint8Array>();
  readonly #protos: Uint8Array[] = [];
  readonly #scopes: Uint8Array[] = [];

  /** A writer for one listing. */
  constructor(options: PlainRouteOptions) {
    this.#o = options;
    this.#w = options.json ? JSON_WORDS : TEXT_WORDS;
  }

  /**
   * Writes the route in `m` when it is plain, as the next item of `p`'s
   * listing, and returns true; also true for a plain route the selectors
   * skip. False, with nothing written, for any other route.
   */
  write(m: MessageView, p: Printer): boolean {
    const b = m.bytes, v = m.view, h = m.offset + NLMSG_HDRLEN;
    const family = b[h];
    if (
      (family !== AF_INET && family !== AF_INET6) || b[h + 2] !== 0 || b[h + 3] !== 0 || b[h + 7] !== RTN_UNICAST ||
      v.getUint32(h + 8, true) !== 0
    ) return false;
    const v6 = family === AF_INET6;
    const x = this.#index;
    const seen = indexAttrs(v, h + RTMSG_LEN, m.offset + m.length, x);
    if ((seen & ~(v6 ? PLAIN_ATTRS6 : PLAIN_ATTRS)) !== 0) return false;
    // Addresses are 4 or 16 bytes, numbers u32s.
    const addrLen = v6 ? 16 : 4;
    if (
      ((seen & (1 << RTA.DST)) !== 0 && x[2 * RTA.DST + 1] - x[2 * RTA.DST] !== addrLen) ||
      ((seen & (1 << RTA.GATEWAY)) !== 0 && x[2 * RTA.GATEWAY + 1] - x[2 * RTA.GATEWAY] !== addrLen) ||
      ((seen & (1 << RTA.OIF)) !== 0 && x[2 * RTA.OIF + 1] - x[2 * RTA.OIF] !== 4) ||
      ((seen & (1 << RTA.PREFSRC)) !== 0 && x[2 * RTA.PREFSRC + 1] - x[2 * RTA.PREFSRC] !== addrLen) ||
      ((seen & (1 << RTA.PRIORITY)) !== 0 && x[2 * RTA.PRIORITY + 1] - x[2 * RTA.PRIORITY] !== 4) ||
      ((seen & (1 << RTA.TABLE)) !== 0 && x[2 * RTA.TABLE + 1] - x[2 * RTA.TABLE] !== 4)
    ) return false;
    const dstLen = b[h + 1];
    if (dstLen > 8 * addrLen || (dstLen !== 0 && (seen & (1 << RTA.DST)) === 0)) return false;
    const table = (seen & (1 << RTA.TABLE)) !== 0 ? v.getUint32(x[2 * RTA.TABLE], true) : b[h + 4];
    let pref = -1;
    if (v6) {
      // Other IPv6 tables change which routes iproute2 selects (its ip6_multiple_tables): the general path's.
      if (table !== RT_TABLE_MAIN || !emptyCacheinfo(b, seen, x)) return false;
      if ((seen & (1 << RTA.PREF)) !== 0) {
        if (x[2 * RTA.PREF + 1] - x[2 * RTA.PREF] !== 1) return false;
        pref = b[x[2 * RTA.PREF]];
        if (pref !== PREF_MEDIUM && pref !== PREF_HIGH && pref !== PREF_LOW) return false;
      }
    }
    const o = this.#o;
    if (o.cloned || (o.table > 0 && o.table !== table) || (o.family !== 0 && o.family !== family)) return true;
    const w = this.#w;
    const dev = (seen & (1 << RTA.OIF)) !== 0 ? this.#dev(v.getUint32(x[2 * RTA.OIF], true)) : undefined;
    const tableField = table !== 0 && table !== RT_TABLE_MAIN && o.table === 0 ? this.#table(table) : undefined;
    const protocol = b[h + 5], scope = b[h + 6];
    const protoField = protocol !== RTPROT_BOOT
      ? this.#protos[protocol] ??= w.named("protocol", "proto", protoName(protocol, o.numeric))
      : undefined;
    const scopeField = scope !== RT_SCOPE_UNIVERSE
      ? this.#scopes[scope] ??= w.named("scope", "scope", scopeName(scope, o.numeric))
      : undefined;
    const sink = p.itemSink();
    sink.ensure(
      280 + (dev?.length ?? 0) + (tableField?.length ?? 0) + (protoField?.length ?? 0) + (scopeField?.length ?? 0),
    );
    const out = sink.buf;
    let n = sink.len;
    if (dstLen === 0) n = put(out, n, w.defaultDst);
    else {
      n = put(out, n, w.dst);
      n = v6 ? writeIPv6(out, n, b, x[2 * RTA.DST]) : dottedQuad(out, n, b, x[2 * RTA.DST]);
      if (dstLen !== 8 * addrLen) {
        out[n++] = 47; // "/"
        n = decimal(out, n, dstLen);
      }
      n = put(out, n, w.addrEnd);
    }
    if ((seen & (1 << RTA.GATEWAY)) !== 0) {
      n = put(out, n, w.gateway);
      n = v6 ? writeIPv6(out, n, b, x[2 * RTA.GATEWAY]) : dottedQuad(out, n, b, x[2 * RTA.GATEWAY]);
      n = put(out, n, w.addrEnd);
    }
    if (dev !== undefined) n = put(out, n, dev);
    if (tableField !== undefined) n = put(out, n, tableField);
    if (protoField !== undefined) n = put(out, n, protoField);
    if (scopeField !== undefined) n = put(out, n, scopeField);
    if ((seen & (1 << RTA.PREFSRC)) !== 0) {
      n = put(out, n, w.prefsrc);
      n = v6 ? writeIPv6(out, n, b, x[2 * RTA.PREFSRC]) : dottedQuad(out, n, b, x[2 * RTA.PREFSRC]);
      n = put(out, n, w.addrEnd);
    }
    if ((seen & (1 << RTA.PRIORITY)) !== 0) {
      n = put(out, n, w.metric);
      n = decimal(out, n, v.getUint32(x[2 * RTA.PRIORITY], true));
      n = put(out, n, w.numberEnd);
    }
    if (pref < 0) sink.len = put(out, n, w.end);
    else {
      n = put(out, n, w.flags);
      n = put(out, n, w.prefs[pref]);
      sink.len = put(out, n, w.close);
    }
    return true;
  }

  #dev(index: number): Uint8Array {
    // Indices are small in practice; a sparse array still finds the rare big one.
    return this.#devs[index] ??= this.#w.named("dev", "dev", this.#o.devName(index));
  }

  #table(id: number): Uint8Array {
    let f = this.#tables.get(id);
    if (f === undefined) this.#tables.set(id, f = this.#w.named("table", "table", tableName(id, this.#o.numeric)));
    return f;
  }
}

// Pure functions over (buffer, position): the position lives in a register, not in an object field.

/**
 * Copies `bytes` into `out` at `n`; returns the new end. One `set` call: in
 * the first thousands of routes, before the compilers are done, a loop per
 * byte costs more than the call.
 */
function put(out: Uint8Array, n: number, bytes: Uint8Array): number {
  out.set(bytes, n);
  return n + bytes.length;
}

/** The IPv4 address at `b[at]` as inet_ntop writes it; returns the new end. */
function dottedQuad(out: Uint8Array, n: number, b: Uint8Array, at: number): number {
  for (let i = 0; i < 4; i++) {
    if (i > 0) out[n++] = 46; // "."
    let x = b[at + i];
    if (x >= 100) {
      out[n++] = 48 + ((x / 100) | 0);
      x %= 100;
      out[n++] = 48 + ((x / 10) | 0);
    } else if (x >= 10) out[n++] = 48 + ((x / 10) | 0);
    out[n++] = 48 + (x % 10);
  }
  return n;
}

/** Whether a route has no cache info, or one iproute2 prints nothing of (all zero: what the kernel sends for a table's route). */
function emptyCacheinfo(b: Uint8Array, seen: number, x: Int32Array): boolean {
  if ((seen & (1 << RTA.CACHEINFO)) === 0) return true;
  const at = x[2 * RTA.CACHEINFO];
  if (x[2 * RTA.CACHEINFO + 1] - at !== CACHEINFO_LEN) return false;
  for (let i = at; i < at + CACHEINFO_LEN; i++) if (b[i] !== 0) return false;
  return true;
}

/** A u32 in decimal; returns the new end. */
function decimal(out: Uint8Array, n: number, value: number): number {
  const start = n;
  do {
    out[n++] = 48 + (value % 10);
    value = Math.floor(value / 10);
  } while (value > 0);
  for (let i = start, j = n - 1; i < j; i++, j--) {
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return n;
}
