/**
 * What every `tc` printer shares (qdiscs, classes, filters, actions): handles
 * as tc prints them, rates/sizes/times in tc's units (text) or as plain
 * numbers (JSON), and the statistics block of `-s` — the counterparts of
 * iproute2's print_tc_classid, tc_print_rate, print_size, sprint_time and
 * print_tcstats2_attr.
 *
 * @module
 */
import { type TcStats, tcUnits } from "@nlink/nlink/tc";
import { Kind, type Printer } from "../common/output.ts";
import { className } from "./class_names.ts";

const TC_H_ROOT = 0xffffffff;

/**
 * A handle as tc prints a class id or parent (print_tc_classid): `root`,
 * `none`, `:10`, `1:`, `1:10`; with `-nm`, `NAME#1:10` when the names file
 * names it. Every class id tc prints goes through here.
 *
 * @example
 * ```ts
 * import { classId } from "./tc_print.ts";
 * classId(0x10010); // "1:10"
 * classId(0xffff0000); // "ffff:"
 * classId(0xffffffff); // "root"
 * ```
 */
export function classId(h: number): string {
  h >>>= 0;
  const name = className(h);
  const text = h === TC_H_ROOT
    ? "root"
    : h === 0
    ? "none"
    : (h & 0xffff0000) === 0
    ? `:${(h & 0xffff).toString(16)}`
    : (h & 0xffff) === 0
    ? `${(h >>> 16).toString(16)}:`
    : `${(h >>> 16).toString(16)}:${(h & 0xffff).toString(16)}`;
  return name === undefined ? text : `${name}#${text}`;
}

/**
 * A class id the library decoded as text (`"1:10"`) or a number, printed
 * as {@linkcode classId} prints it (so `-nm` names it too).
 *
 * @example
 * ```ts
 * import { classIdText } from "./tc_print.ts";
 * classIdText("1:10"); // "1:10"
 * classIdText(0x10020); // "1:20"
 * ```
 */
export function classIdText(id: unknown): string {
  return classId(typeof id === "number" ? id : handleNumber(String(id)));
}

/**
 * A qdisc handle as `tc qdisc show` prints it: the major number and a colon,
 * even for 0 (`0:`).
 *
 * @example
 * ```ts
 * import { qdiscId } from "./tc_print.ts";
 * qdiscId(0x10000); // "1:"
 * qdiscId(0); // "0:"
 * ```
 */
export function qdiscId(h: number): string {
  return `${(h >>> 16).toString(16)}:`;
}

/**
 * A handle text from the library's decoded form back to its number
 * (`"root"`, `"none"`, `"1:"`, `":10"`, `"1:10"`).
 *
 * @example
 * ```ts
 * import { handleNumber } from "./tc_print.ts";
 * handleNumber("1:10"); // 0x10010
 * handleNumber("root"); // 0xffffffff
 * ```
 */
export function handleNumber(text: string): number {
  if (text === "root") return TC_H_ROOT;
  if (text === "none") return 0;
  const colon = text.indexOf(":");
  const major = colon <= 0 ? 0 : parseInt(text.slice(0, colon), 16);
  const minor = colon + 1 >= text.length ? 0 : parseInt(text.slice(colon + 1), 16);
  return ((major << 16) | minor) >>> 0;
}

/**
 * A rate (bytes per second): JSON the number, text tc's units (`1Mbit`, with
 * `-iec` powers of 1024) through `fmt` (tc_print_rate).
 *
 * @example
 * ```ts ignore
 * printRate(p, Kind.Any, "rate", "rate %s ", 125000n, ctx.iec); // "rate 1Mbit "
 * ```
 */
export function printRate(
  p: Printer,
  kind: Kind,
  key: string | null,
  fmt: string,
  rate: number | bigint,
  iec = false,
): void {
  if (p.json) {
    if (kind !== Kind.Text) p.uint(Kind.Json, key, "%u", rate);
  } else if (kind !== Kind.Json) p.printf(fmt, tcUnits.formatRate(rate, iec));
}

/**
 * A size in bytes: JSON the number, text `1514b`, `10Kb`, `1Mb` (print_size).
 *
 * @example
 * ```ts ignore
 * printSize(p, Kind.Any, "limit", "limit %s", 10240); // "limit 10Kb"
 * ```
 */
export function printSize(p: Printer, kind: Kind, key: string | null, fmt: string, bytes: number): void {
  const sz = Math.trunc(bytes) >>> 0;
  if (p.json) {
    if (kind !== Kind.Text) p.uint(Kind.Json, key, "%u", sz);
  } else if (kind !== Kind.Json) p.printf(fmt, tcUnits.formatSize(sz));
}

/**
 * A time in microseconds as tc prints it (sprint_time: `50ms`, `1s`, `10us`).
 *
 * @example
 * ```ts
 * import { sprintTime } from "./tc_print.ts";
 * sprintTime(50000); // "50ms"
 * ```
 */
export function sprintTime(us: number): string {
  return tcUnits.formatTime(us);
}

/**
 * A time in nanoseconds as tc prints it (sprint_time64: `1.5ms`, `999ns`).
 *
 * @example
 * ```ts
 * import { sprintTime64 } from "./tc_print.ts";
 * sprintTime64(1500000n); // "1.5ms"
 * ```
 */
export function sprintTime64(ns: bigint | number): string {
  return tcUnits.formatTime64(BigInt(ns));
}

/**
 * psched ticks as tc prints them (sprint_ticks: the time they stand for).
 *
 * @example
 * ```ts
 * import { sprintTicks } from "./tc_print.ts";
 * sprintTicks(15625); // "1ms"
 * ```
 */
export function sprintTicks(ticks: number): string {
  return tcUnits.formatTime(tcUnits.ticksToTime(ticks));
}

/**
 * A size as tc prints it (sprint_size: `1514b`, `10Kb`, `1Mb`).
 *
 * @example
 * ```ts
 * import { sprintSize } from "./tc_print.ts";
 * sprintSize(10240); // "10Kb"
 * ```
 */
export function sprintSize(bytes: number): string {
  return tcUnits.formatSize(Math.trunc(bytes) >>> 0);
}

/**
 * A rate as tc prints it (`1Mbit`; `iec`: powers of 1024).
 *
 * @example
 * ```ts
 * import { sprintRate } from "./tc_print.ts";
 * sprintRate(125000n); // "1Mbit"
 * ```
 */
export function sprintRate(rate: number | bigint, iec = false): string {
  return tcUnits.formatRate(rate, iec);
}

/**
 * A link layer's name as tc prints it (sprint_linklayer); the library
 * decodes the field as a name, or a number when unknown.
 *
 * @example
 * ```ts
 * import { linklayerName } from "./tc_print.ts";
 * linklayerName(2); // "atm"
 * linklayerName("ethernet"); // "ethernet"
 * ```
 */
export function linklayerName(ll: string | number): string {
  if (typeof ll === "string") return ll === "unspec" || ll === "ethernet" || ll === "atm" ? ll : "unknown";
  return ["unspec", "ethernet", "atm"][ll & 0x0f] ?? "unknown";
}

/** The link layer's number (TC_LINKLAYER_*) from its decoded form. */
export function linklayerNumber(ll: string | number): number {
  if (typeof ll === "number") return ll & 0x0f;
  return ll === "ethernet" ? 1 : ll === "atm" ? 2 : 0;
}

/**
 * The `-s` statistics block as tc prints it (print_tcstats2_attr), each
 * line starting with `prefix`: `Sent N bytes N pkt (dropped N, overlimits N
 * requeues N) `, hardware counters, the rate estimator, and `backlog Nb Np
 * requeues N`. No trailing newline (the caller prints it). In JSON: the
 * keys bytes, packets, drops, overlimits, requeues, [rate, pps], backlog,
 * qlen in the current object.
 *
 * @example
 * ```ts ignore
 * printStats(p, q.stats, " ");
 * ```
 */
export function printStats(p: Printer, s: TcStats, prefix: string, iec = false): void {
  if (s.compat) return printCompatStats(p, s, prefix, iec);
  // Hand-built statistics that do not say what was reported print every block.
  const basic = s.reported?.basic ?? true;
  const queue = s.reported?.queue ?? true;
  const rateEst = s.rateEst ?? (s.bps !== 0n || s.pps !== 0n);
  if (basic) {
    p.printf("%s", prefix);
    p.uint(Kind.Any, "bytes", "Sent %u bytes", s.bytes);
    p.uint(Kind.Any, "packets", " %u pkt", s.packets);
  }
  if (queue) {
    p.uint(Kind.Any, "drops", " (dropped %u", s.drops);
    p.uint(Kind.Any, "overlimits", ", overlimits %u", s.overlimits);
    p.uint(Kind.Any, "requeues", " requeues %u) ", s.requeues);
  }
  if (s.hw && (s.hw.bytes !== 0n || s.hw.packets !== 0)) {
    const swBytes = s.bytes - s.hw.bytes;
    const swPackets = s.packets - BigInt(s.hw.packets);
    if (basic && swBytes >= 0n && swPackets >= 0n) {
      p.nl();
      p.printf("%s", prefix);
      p.uint(Kind.Any, "sw_bytes", "Sent software %u bytes", swBytes);
      p.uint(Kind.Any, "sw_packets", " %u pkt", swPackets);
    }
    p.nl();
    p.printf("%s", prefix);
    p.uint(Kind.Any, "hw_bytes", "Sent hardware %u bytes", s.hw.bytes);
    p.uint(Kind.Any, "hw_packets", " %u pkt", s.hw.packets);
  }
  if (rateEst) {
    p.printf("\n%s", prefix);
    printRate(p, Kind.Any, "rate", "rate %s", s.bps, iec);
    p.uint(Kind.Any, "pps", " %upps", s.pps);
  }
  if (queue) {
    if (!rateEst) p.nl();
    p.printf("%s", prefix);
    printSize(p, Kind.Any, "backlog", "backlog %s", s.backlog);
    p.uint(Kind.Any, "qlen", " %up", s.qlen);
    p.printf(" requeues %u", s.requeues);
  }
}

/**
 * The old TCA_STATS block as tc prints it when no TCA_STATS2 came (text
 * only): `Sent N bytes N pkts (dropped N, overlimits N) `, then rate and
 * backlog when not zero.
 */
function printCompatStats(p: Printer, s: TcStats, prefix: string, iec: boolean): void {
  p.printf("%sSent %s bytes %s pkts (dropped %u, overlimits %u) ", prefix, s.bytes, s.packets, s.drops, s.overlimits);
  if (!s.bps && !s.pps && !s.qlen && !s.backlog) return;
  p.printf("\n%s", prefix);
  if (s.bps || s.pps) {
    p.printf("rate ");
    if (s.bps) printRate(p, Kind.Text, null, "%s ", s.bps, iec);
    if (s.pps) p.printf("%spps ", s.pps);
  }
  if (s.qlen || s.backlog) {
    p.printf("backlog ");
    if (s.backlog) printSize(p, Kind.Text, null, "%s ", s.backlog);
    if (s.qlen) p.printf("%up ", s.qlen);
  }
}

/**
 * C's `%g` (six significant digits, trailing zeros dropped, the exponent form
 * below 1e-4 and from 1e6), as tc prints probabilities and percentages.
 *
 * @example
 * ```ts
 * import { formatG } from "./tc_print.ts";
 * formatG(0.02); // "0.02"
 * formatG(1 / 3); // "0.333333"
 * formatG(0.00001); // "1e-05"
 * ```
 */
export function formatG(x: number): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x < 0 ? "-inf" : "inf";
  const [mantissa, expText] = x.toExponential(5).split("e");
  const exp = Number(expText);
  const trim = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (exp < -4 || exp >= 6) return `${trim(mantissa)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return trim(x.toFixed(5 - exp));
}

/**
 * A floating-point value as tc's print_float prints it: JSON the `%g`
 * number, text `fmt` with the `%g` text in place of its `%s`.
 *
 * @example
 * ```ts ignore
 * printFloat(p, Kind.Any, "probability", "probability %s ", 0.02); // "probability 0.02 "
 * ```
 */
export function printFloat(p: Printer, kind: Kind, key: string | null, fmt: string, value: number): void {
  const g = formatG(value);
  if (p.json) {
    if (kind !== Kind.Text) p.raw(key, g);
  } else if (kind !== Kind.Json) p.printf(fmt, g);
}

/**
 * RED's flag words as tc_red_print_flags prints them: `ecn `, `harddrop `,
 * `adaptive `, `nodrop ` in text; all four as booleans in JSON.
 *
 * @example
 * ```ts ignore
 * printRedFlags(p, ["ecn"]); // "ecn "
 * ```
 */
export function printRedFlags(p: Printer, flags: readonly string[] | undefined): void {
  for (const name of ["ecn", "harddrop", "adaptive", "nodrop"]) {
    const on = flags?.includes(name) ?? false;
    if (on) p.bool(Kind.Any, name, `${name} `, true);
    else p.bool(Kind.Json, name, "", false);
  }
}
