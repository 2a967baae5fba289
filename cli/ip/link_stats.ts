/**
 * Interface counters as `ip -s link` prints them: columns sized to the widest
 * number, a second block of error counters with `-s -s`, `-h` human units,
 * and the `stats64` JSON object.
 *
 * @module
 */
import type { Link, LinkStats } from "@nlink/nlink";
import { Kind, type Printer, sprintf } from "../common/output.ts";

/** Counter options: `-s` count and `-h` / `-iec`. */
export interface StatsOptions {
  /** `-s` count (2 adds the error counters). */
  level: number;
  /** `-h`: human-readable units. */
  human: boolean;
  /** `-iec`: powers of 1024. */
  iec: boolean;
}

/** The counters as bigints (32-bit ones widened), and which attribute they came from. */
function counters(link: Link): { s: LinkStats<bigint>; key: string } | undefined {
  if (link.stats64) return { s: link.stats64, key: "stats64" };
  if (link.stats) {
    const s = Object.fromEntries(Object.entries(link.stats).map(([k, v]) => [k, BigInt(v as number)]));
    return { s: s as unknown as LinkStats<bigint>, key: "stats" };
  }
  return undefined;
}

/**
 * Widens the columns to the numbers' digit counts (not with -h, whose numbers are scaled).
 *
 * @example
 * ```ts
 * import { sizeColumns } from "./link_stats.ts";
 * const cols = [3, 3];
 * sizeColumns({ level: 1, human: false, iec: false }, cols, [12345n, 1n]); // cols is [5, 3]
 * ```
 */
export function sizeColumns(o: StatsOptions, cols: number[], values: bigint[]): void {
  if (o.human) return;
  values.forEach((v, i) => (cols[i] = Math.max(cols[i], v.toString().length)));
}

/**
 * iproute2's print_num: right-aligned in `width` and a space, or scaled with a unit suffix (-h, -iec).
 *
 * @example
 * ```ts
 * import { num } from "./link_stats.ts";
 * num({ level: 1, human: true, iec: false }, 6, 123456n); // "  123k "
 * ```
 */
export function num(o: StatsOptions, width: number, count: bigint): string {
  const base = o.iec ? 1024n : 1000n;
  if (!o.human || count < base) return sprintf("%*s ", width, count.toString());
  const prefixes = "kMGTPE";
  let p = 0;
  let powi = 1n;
  for (;;) {
    powi *= base;
    if (count / base < powi) break;
    if (p + 1 >= prefixes.length) break;
    p++;
  }
  let precision = 2;
  let powj = 1n;
  for (; precision > 0; precision--) {
    powj *= 10n;
    if (count / powi < powj) break;
  }
  const text = (Number(count) / Number(powi)).toFixed(precision) + prefixes[p] + (o.iec ? "i" : "");
  return sprintf("%*s ", width, text);
}

/**
 * Prints a link's counters (iproute2's __print_link_stats); nothing when the
 * kernel sent none.
 *
 * @example
 * ```ts ignore
 * printLinkStats(p, link, { level: 1, human: false, iec: false });
 * ```
 */
export function printLinkStats(p: Printer, link: Link, o: StatsOptions): void {
  const c = counters(link);
  if (!c) return;
  const s = c.s;
  const carrier = link.carrierChanges;
  const other = s.rxOtherhostDropped ?? 0n;
  if (p.json) {
    p.openObject(c.key);
    p.openObject("rx");
    p.uint(Kind.Json, "bytes", "", s.rxBytes);
    p.uint(Kind.Json, "packets", "", s.rxPackets);
    p.uint(Kind.Json, "errors", "", s.rxErrors);
    p.uint(Kind.Json, "dropped", "", s.rxDropped);
    p.uint(Kind.Json, "over_errors", "", s.rxOverErrors);
    p.uint(Kind.Json, "multicast", "", s.multicast);
    if (s.rxCompressed) p.uint(Kind.Json, "compressed", "", s.rxCompressed);
    if (o.level > 1) {
      p.uint(Kind.Json, "length_errors", "", s.rxLengthErrors);
      p.uint(Kind.Json, "crc_errors", "", s.rxCrcErrors);
      p.uint(Kind.Json, "frame_errors", "", s.rxFrameErrors);
      p.uint(Kind.Json, "fifo_errors", "", s.rxFifoErrors);
      p.uint(Kind.Json, "missed_errors", "", s.rxMissedErrors);
      if (s.rxNohandler) p.uint(Kind.Json, "nohandler", "", s.rxNohandler);
      if (other) p.uint(Kind.Json, "otherhost", "", other);
    }
    p.closeObject();
    p.openObject("tx");
    p.uint(Kind.Json, "bytes", "", s.txBytes);
    p.uint(Kind.Json, "packets", "", s.txPackets);
    p.uint(Kind.Json, "errors", "", s.txErrors);
    p.uint(Kind.Json, "dropped", "", s.txDropped);
    p.uint(Kind.Json, "carrier_errors", "", s.txCarrierErrors);
    p.uint(Kind.Json, "collisions", "", s.collisions);
    if (s.txCompressed) p.uint(Kind.Json, "compressed", "", s.txCompressed);
    if (o.level > 1) {
      p.uint(Kind.Json, "aborted_errors", "", s.txAbortedErrors);
      p.uint(Kind.Json, "fifo_errors", "", s.txFifoErrors);
      p.uint(Kind.Json, "window_errors", "", s.txWindowErrors);
      p.uint(Kind.Json, "heartbeat_errors", "", s.txHeartbeatErrors);
      if (carrier !== undefined) p.uint(Kind.Json, "carrier_changes", "", carrier);
    }
    p.closeObject();
    p.closeObject();
    return;
  }
  // Column widths: the headings' widths, widened to the longest number in each column.
  const cols = [10, 7, 6, 7, 7, 7, 10, 9];
  const size = (vals: bigint[]) => sizeColumns(o, cols, vals);
  size([s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, s.rxMissedErrors, s.multicast, s.rxCompressed, 0n]);
  if (o.level > 1) {
    size([
      0n,
      s.rxLengthErrors,
      s.rxCrcErrors,
      s.rxFrameErrors,
      s.rxFifoErrors,
      s.rxOverErrors,
      s.rxNohandler,
      other,
    ]);
  }
  size([s.txBytes, s.txPackets, s.txErrors, s.txDropped, s.txCarrierErrors, s.collisions, s.txCompressed, 0n]);
  if (o.level > 1) {
    const cc = BigInt(carrier ?? 0);
    size([0n, 0n, s.txAbortedErrors, s.txFifoErrors, s.txWindowErrors, s.txHeartbeatErrors, cc, 0n]);
  }
  const sl = p.sl;
  let out = sprintf(
    "    RX: %*s %*s %*s %*s %*s %*s %*s%s",
    cols[0] - 4,
    "bytes",
    cols[1],
    "packets",
    cols[2],
    "errors",
    cols[3],
    "dropped",
    cols[4],
    "missed",
    cols[5],
    "mcast",
    cols[6],
    s.rxCompressed ? "compressed" : "",
    sl,
  );
  out += "    " + num(o, cols[0], s.rxBytes) + num(o, cols[1], s.rxPackets) + num(o, cols[2], s.rxErrors) +
    num(o, cols[3], s.rxDropped) + num(o, cols[4], s.rxMissedErrors) + num(o, cols[5], s.multicast);
  if (s.rxCompressed) out += num(o, cols[6], s.rxCompressed);
  if (o.level > 1) {
    out += sl;
    out += sprintf(
      "    RX errors:%*s %*s %*s %*s %*s %*s%*s%*s%s",
      cols[0] - 10,
      "",
      cols[1],
      "length",
      cols[2],
      "crc",
      cols[3],
      "frame",
      cols[4],
      "fifo",
      cols[5],
      "overrun",
      s.rxNohandler ? cols[6] + 1 : 0,
      s.rxNohandler ? " nohandler" : "",
      other ? cols[7] + 1 : 0,
      other ? " otherhost" : "",
      sl,
    );
    out += " ".repeat(cols[0] + 5) + num(o, cols[1], s.rxLengthErrors) + num(o, cols[2], s.rxCrcErrors) +
      num(o, cols[3], s.rxFrameErrors) + num(o, cols[4], s.rxFifoErrors) + num(o, cols[5], s.rxOverErrors);
    if (s.rxNohandler) out += num(o, cols[6], s.rxNohandler);
    if (other) out += num(o, cols[7], other);
  }
  out += sl;
  out += sprintf(
    "    TX: %*s %*s %*s %*s %*s %*s %*s%s",
    cols[0] - 4,
    "bytes",
    cols[1],
    "packets",
    cols[2],
    "errors",
    cols[3],
    "dropped",
    cols[4],
    "carrier",
    cols[5],
    "collsns",
    cols[6],
    s.txCompressed ? "compressed" : "",
    sl,
  );
  out += "    " + num(o, cols[0], s.txBytes) + num(o, cols[1], s.txPackets) + num(o, cols[2], s.txErrors) +
    num(o, cols[3], s.txDropped) + num(o, cols[4], s.txCarrierErrors) + num(o, cols[5], s.collisions);
  if (s.txCompressed) out += num(o, cols[6], s.txCompressed);
  if (o.level > 1) {
    out += sl;
    out += sprintf(
      "    TX errors:%*s %*s %*s %*s %*s %*s%s",
      cols[0] - 10,
      "",
      cols[1],
      "aborted",
      cols[2],
      "fifo",
      cols[3],
      "window",
      cols[4],
      "heartbt",
      cols[5],
      carrier !== undefined ? "transns" : "",
      sl,
    );
    out += " ".repeat(cols[0] + 5) + num(o, cols[1], s.txAbortedErrors) + num(o, cols[2], s.txFifoErrors) +
      num(o, cols[3], s.txWindowErrors) + num(o, cols[4], s.txHeartbeatErrors);
    if (carrier !== undefined) out += num(o, cols[5], BigInt(carrier));
  }
  p.write(out);
}
