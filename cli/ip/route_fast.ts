/**
 * The common route, printed in one pass of byte writes: a unicast IPv4/IPv6
 * route whose attributes are among dst, gateway, dev, metric, prefsrc, table,
 * pref and an empty cache info. Full tables are mostly such routes, and a
 * process that lives for 100 ms spends most of it before the JIT has warmed
 * up: fewer calls per route is what makes 100,000 routes fast. Anything else
 * goes through {@linkcode RoutePrinter}'s general path, which prints the same
 * bytes (tests compare the two).
 *
 * @module
 */
import type { ByteSink } from "../common/bytes.ts";
import { ntop6 } from "../common/inet.ts";
import { protoName, scopeName, tableName } from "../common/names.ts";
import type { AttrTable } from "../common/nlattr.ts";
import type { LinkCache } from "./links.ts";

const AF_INET = 2;
const AF_INET6 = 10;
/** Attributes this path prints: DST, OIF, GATEWAY, PRIORITY, PREFSRC, CACHEINFO, TABLE, PREF. */
const ALLOWED = (1 << 1) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 12) | (1 << 15) | (1 << 20);
/** Next-hop flags this path prints (RTNH_F_*; route-level RTM_F_* go the general way). */
const NH_FLAGS = 0x7f;
const RT_TABLE_MAIN = 254;
const RTPROT_BOOT = 3;

const enc = new TextEncoder();
const B = (s: string) => enc.encode(s);
const J_DST = B('{"dst":"');
const J_GATEWAY = B('","gateway":"');
const J_DEV = B('","dev":"');
const J_TABLE = B('","table":"');
const J_PROTOCOL = B('","protocol":"');
const J_SCOPE = B('","scope":"');
const J_PREFSRC = B('","prefsrc":"');
const J_METRIC = B('","metric":');
const J_FLAGS_Q = B('","flags":[');
const J_FLAGS_N = B(',"flags":[');
const J_PREF = B(',"pref":"');
const T_VIA = B("via ");
const T_DEV = B("dev ");
const T_TABLE = B("table ");
const T_PROTO = B("proto ");
const T_SCOPE = B("scope ");
const T_SRC = B("src ");
const T_METRIC = B("metric ");
const T_PREF = B("pref ");
const DEFAULT = B("default");
const FLAG_WORDS: [number, Uint8Array][] = [
  [1, B("dead")],
  [4, B("onlink")],
  [2, B("pervasive")],
  [8, B("offload")],
  [64, B("trap")],
  [16, B("linkdown")],
  [32, B("unresolved")],
];
const PREFS: Record<number, Uint8Array> = { 3: B("low"), 0: B("medium"), 1: B("high") };

/** What the fast path needs to know besides the message. */
export interface FastEnv {
  /** Compact JSON (true) or text. */
  json: boolean;
  /** `-N`. */
  numeric: boolean;
  /** Device names. */
  links: LinkCache;
  /** Table selector (0: all tables, so non-main tables are named). */
  tb: number;
  /** A `proto` selector hides the protocol. */
  hideProtocol: boolean;
  /** A `scope` selector hides the scope. */
  hideScope: boolean;
  /** A `metric` selector hides the metric. */
  hideMetric: boolean;
  /** A `dev` selector hides the device. */
  hideDev: boolean;
  /** A `via` selector with a full-length address hides the gateway. */
  hideGateway: (hostLen: number) => boolean;
  /** A `src` selector with a full-length address hides the preferred source. */
  hidePrefsrc: (hostLen: number) => boolean;
}

/** A name iproute2 would print unescaped in JSON (and is pure ASCII). */
function plain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 34 || c === 92) return false;
  }
  return true;
}

function putBytes(buf: Uint8Array, at: number, c: Uint8Array): number {
  buf.set(c, at);
  return at + c.length;
}

function putAscii(buf: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
  return at;
}

function putUint(buf: Uint8Array, at: number, v: number): number {
  if (v < 10) {
    buf[at] = 48 + v;
    return at + 1;
  }
  const digits = v < 100 ? 2 : v < 1000 ? 3 : v < 10000 ? 4 : v < 100000 ? 5 : String(v).length;
  let end = at + digits;
  const stop = end;
  while (end > at) {
    buf[--end] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return stop;
}

function putOctet(buf: Uint8Array, at: number, v: number): number {
  if (v >= 100) {
    buf[at++] = 48 + ((v / 100) | 0);
    v %= 100;
    buf[at++] = 48 + ((v / 10) | 0);
  } else if (v >= 10) buf[at++] = 48 + ((v / 10) | 0);
  buf[at++] = 48 + (v % 10);
  return at;
}

/** An address attribute (4 or 16 bytes) as text. */
function putAddr(buf: Uint8Array, at: number, t: AttrTable, attr: number, family: number): number {
  const b = t.bytes;
  const o = t.start[attr];
  if (family === AF_INET) {
    at = putOctet(buf, at, b[o]);
    buf[at++] = 46;
    at = putOctet(buf, at, b[o + 1]);
    buf[at++] = 46;
    at = putOctet(buf, at, b[o + 2]);
    buf[at++] = 46;
    return putOctet(buf, at, b[o + 3]);
  }
  return putAscii(buf, at, ntop6(b, o));
}

/**
 * Writes the route if it has the common shape and returns true; returns
 * false, having written nothing, otherwise.
 *
 * @example
 * ```ts ignore
 * if (!writeFastRoute(sink, env, tb, family, dstLen, table, protocol, scope, flags)) generalPath();
 * ```
 */
export function writeFastRoute(
  sink: ByteSink,
  env: FastEnv,
  tb: AttrTable,
  family: number,
  dstLen: number,
  table: number,
  protocol: number,
  scope: number,
  flags: number,
): boolean {
  if ((family !== AF_INET && family !== AF_INET6) || tb.present & ~ALLOWED || flags & ~NH_FLAGS) return false;
  const alen = family === AF_INET ? 4 : 16;
  const hostLen = alen * 8;
  const hasDst = tb.start[1] !== 0;
  if (hasDst ? tb.len[1] < alen : dstLen !== 0) return false;
  const showGw = tb.start[5] !== 0 && !env.hideGateway(hostLen);
  if (showGw && tb.len[5] < alen) return false;
  const showSrc = tb.start[7] !== 0 && !env.hidePrefsrc(hostLen);
  if (showSrc && tb.len[7] < alen) return false;
  const ci = tb.start[12];
  if (ci !== 0) {
    // Only an all-zero cache info prints nothing (expiring and cached routes take the general path).
    if (tb.len[12] < 32) return false;
    const v = tb.view;
    if (v.getInt32(ci + 8, true) || v.getUint32(ci + 12, true) || v.getUint32(ci + 20, true)) return false;
    if (v.getUint32(ci + 24, true) || v.getUint32(ci + 28, true)) return false;
  }
  let pref: Uint8Array | undefined;
  if (tb.start[20] !== 0) {
    pref = PREFS[tb.bytes[tb.start[20]]];
    if (!pref) return false;
  }
  const dev = tb.start[4] !== 0 && !env.hideDev ? env.links.name(tb.u32(4)) : undefined;
  const tableText = table && table !== RT_TABLE_MAIN && !env.tb ? tableName(table, env.numeric) : undefined;
  const proto = protocol !== RTPROT_BOOT && !env.hideProtocol ? protoName(protocol, env.numeric) : undefined;
  const scopeText = scope !== 0 && !env.hideScope ? scopeName(scope, env.numeric) : undefined;
  let strings = 0;
  if (dev !== undefined) {
    if (!plain(dev)) return false;
    strings += dev.length;
  }
  if (tableText !== undefined) {
    if (!plain(tableText)) return false;
    strings += tableText.length;
  }
  if (proto !== undefined) {
    if (!plain(proto)) return false;
    strings += proto.length;
  }
  if (scopeText !== undefined) {
    if (!plain(scopeText)) return false;
    strings += scopeText.length;
  }
  const metric = tb.start[6] !== 0 && !env.hideMetric ? tb.u32(6) : -1;

  sink.ensure(320 + strings);
  const buf = sink.buf;
  let at = sink.len;
  if (env.json) {
    at = putBytes(buf, at, J_DST);
    if (hasDst) {
      at = putAddr(buf, at, tb, 1, family);
      if (dstLen !== hostLen) {
        buf[at++] = 47;
        at = putUint(buf, at, dstLen);
      }
    } else at = putBytes(buf, at, DEFAULT);
    if (showGw) at = putAddr(buf, putBytes(buf, at, J_GATEWAY), tb, 5, family);
    if (dev !== undefined) at = putAscii(buf, putBytes(buf, at, J_DEV), dev);
    if (tableText !== undefined) at = putAscii(buf, putBytes(buf, at, J_TABLE), tableText);
    if (proto !== undefined) at = putAscii(buf, putBytes(buf, at, J_PROTOCOL), proto);
    if (scopeText !== undefined) at = putAscii(buf, putBytes(buf, at, J_SCOPE), scopeText);
    if (showSrc) at = putAddr(buf, putBytes(buf, at, J_PREFSRC), tb, 7, family);
    if (metric >= 0) at = putUint(buf, putBytes(buf, at, J_METRIC), metric);
    at = putBytes(buf, at, metric >= 0 ? J_FLAGS_N : J_FLAGS_Q);
    let first = true;
    for (let i = 0; flags && i < FLAG_WORDS.length; i++) {
      if (!(flags & FLAG_WORDS[i][0])) continue;
      if (!first) buf[at++] = 44;
      first = false;
      buf[at++] = 34;
      at = putBytes(buf, at, FLAG_WORDS[i][1]);
      buf[at++] = 34;
    }
    buf[at++] = 93;
    if (pref) {
      at = putBytes(buf, at, J_PREF);
      at = putBytes(buf, at, pref);
      buf[at++] = 34;
    }
    buf[at++] = 125;
  } else {
    if (hasDst) {
      at = putAddr(buf, at, tb, 1, family);
      if (dstLen !== hostLen) {
        buf[at++] = 47;
        at = putUint(buf, at, dstLen);
      }
    } else at = putBytes(buf, at, DEFAULT);
    buf[at++] = 32;
    if (showGw) {
      at = putAddr(buf, putBytes(buf, at, T_VIA), tb, 5, family);
      buf[at++] = 32;
    }
    if (dev !== undefined) {
      at = putAscii(buf, putBytes(buf, at, T_DEV), dev);
      buf[at++] = 32;
    }
    if (tableText !== undefined) {
      at = putAscii(buf, putBytes(buf, at, T_TABLE), tableText);
      buf[at++] = 32;
    }
    if (proto !== undefined) {
      at = putAscii(buf, putBytes(buf, at, T_PROTO), proto);
      buf[at++] = 32;
    }
    if (scopeText !== undefined) {
      at = putAscii(buf, putBytes(buf, at, T_SCOPE), scopeText);
      buf[at++] = 32;
    }
    if (showSrc) {
      at = putAddr(buf, putBytes(buf, at, T_SRC), tb, 7, family);
      buf[at++] = 32;
    }
    if (metric >= 0) {
      at = putUint(buf, putBytes(buf, at, T_METRIC), metric);
      buf[at++] = 32;
    }
    for (let i = 0; flags && i < FLAG_WORDS.length; i++) {
      if (!(flags & FLAG_WORDS[i][0])) continue;
      at = putBytes(buf, at, FLAG_WORDS[i][1]);
      buf[at++] = 32;
    }
    if (pref) at = putBytes(buf, putBytes(buf, at, T_PREF), pref);
    buf[at++] = 10;
  }
  sink.len = at;
  return true;
}
