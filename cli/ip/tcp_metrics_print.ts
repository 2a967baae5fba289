/**
 * One entry of the TCP metrics cache as iproute2's `ip tcp_metrics` prints
 * it, in text or JSON: destination, age, the metric values (the RTTs in
 * microseconds in text, in seconds in JSON), TCP Fast Open data and source.
 *
 * @module
 */
import type { TcpMetricsEntry } from "@nlink/nlink/genl";
import { Kind, type Printer } from "../common/output.ts";
import { familyColor } from "../common/color.ts";
import { formatG } from "./nexthop_print.ts";

/** The metrics iproute2 prints by name, in its (index) order. */
const COUNTS = ["ssthresh", "cwnd", "reordering"] as const;

/** A float as iproute2's print_float: `%g` in JSON, `fmt` in text (its one `%.03f`). */
function printFloat(p: Printer, key: string, fmt: string, value: number): void {
  if (p.json) p.raw(key, formatG(value));
  else p.printf(fmt, value.toFixed(3));
}

/**
 * The smoothed RTT and its variance in microseconds, as iproute2 derives them:
 * from the microsecond values when the kernel sent them, else from the
 * millisecond ones (0: not printed).
 *
 * @example
 * ```ts
 * import { rttMicroseconds } from "./tcp_metrics_print.ts";
 * rttMicroseconds({ rtt: 1, rttUs: 219, rttvar: 1, rttvarUs: 94 }); // [27, 23]
 * ```
 */
export function rttMicroseconds(m: TcpMetricsEntry["metrics"]): [number, number] {
  const rtt = m.rttUs !== undefined ? m.rttUs >>> 3 : m.rtt !== undefined ? Math.floor(m.rtt * 1000 / 8) : 0;
  const rttvar = m.rttvarUs !== undefined
    ? m.rttvarUs >>> 2
    : m.rttvar !== undefined
    ? Math.floor(m.rttvar * 1000 / 4)
    : 0;
  return [rtt, rttvar];
}

/** A Fast Open cookie as iproute2 prints it: at most 16 bytes, in hex. */
function cookieHex(cookie: Uint8Array): string {
  return Array.from(cookie.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * One entry, a line in text (`Deleted ` first for what a flush removed under
 * `-s -s`), an object in JSON.
 *
 * @example
 * ```ts ignore
 * printTcpMetrics(p, entry);
 * // 127.0.0.1 age 0.012sec cwnd 14 rtt 27us rttvar 23us source 127.0.0.1
 * ```
 */
export function printTcpMetrics(p: Printer, e: TcpMetricsEntry, deleted = false): void {
  p.openObject();
  if (deleted) p.bool(Kind.Any, "deleted", "Deleted ", true);
  p.colorString(Kind.Any, familyColor(e.address.includes(":") ? "inet6" : "inet"), "dst", "%s", e.address);
  if (e.age !== undefined) printFloat(p, "age", " age %ssec", Number(e.age) / 1000);
  if (e.twTsStamp !== undefined) {
    p.string(Kind.Any, "tw_ts_stamp", " tw_ts %s ago", `${e.twTsval ?? 0}/${e.twTsStamp}`);
  }
  for (const name of COUNTS) {
    const value = e.metrics[name];
    if (value === undefined) continue;
    p.uint(Kind.Json, name, "", value);
    p.string(Kind.Text, null, " %s ", name);
    p.uint(Kind.Text, null, "%u", value);
  }
  const [rtt, rttvar] = rttMicroseconds(e.metrics);
  if (rtt) {
    if (p.json) p.raw("rtt", formatG(rtt / 1e6));
    else p.printf(" rtt %uus", rtt);
  }
  if (rttvar) {
    if (p.json) p.raw("rttvar", formatG(rttvar / 1e6));
    else p.printf(" rttvar %uus", rttvar);
  }
  if (e.fastopenMss !== undefined) p.uint(Kind.Any, "fopen_miss", " fo_mss %u", e.fastopenMss);
  if (e.fastopenSynDrops !== undefined) {
    p.uint(Kind.Any, "fopen_syn_drops", " fo_syn_drops %u", e.fastopenSynDrops);
    // iproute2 divides the milliseconds by a million and calls them microseconds: printed as it does.
    printFloat(p, "fopen_syn_drop_ts", "/%susec ago", Number(e.fastopenSynDropTs ?? 0n) / 1e6);
  }
  if (e.fastopenCookie !== undefined) p.string(Kind.Any, "fo_cookie", " fo_cookie %s", cookieHex(e.fastopenCookie));
  if (e.source !== undefined) p.string(Kind.Any, "source", " source %s", e.source);
  p.write("\n");
  p.closeObject();
}
