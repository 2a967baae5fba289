/**
 * What every part of `ss` shares: the options, the column renderer, and the
 * printing helpers common to all families (state and queues, addresses,
 * `users:(…)`, socket details, memory).
 *
 * @module
 */
import type { SkMemInfo } from "@nlink/nlink/sockdiag";
import { Col, type Renderer } from "./render.ts";

/** The command-line options that change what is printed. */
export interface SsOptions {
  /** `-n`. */
  numeric: boolean;
  /** `-r`: host names from /etc/hosts, then reverse DNS. */
  resolve: boolean;
  /** `-o` (also set by `-e` and `-b`): timers, TCP options. */
  showOptions: boolean;
  /** `-e` count. */
  details: number;
  /** `-p` / `-T`. */
  processes: boolean;
  /** `-T`: `users:` entries per thread (`tid=`). */
  threads: boolean;
  /** `-E`: print sockets as they are destroyed, until killed. */
  events: boolean;
  /** `-m`. */
  mem: boolean;
  /** `-i`. */
  tcpInfo: boolean;
  /** `-b`. */
  bpf: boolean;
  /** `-O`. */
  oneline: boolean;
  /** `--tos`. */
  tos: boolean;
  /** `--cgroup`. */
  cgroup: boolean;
  /** `--inet-sockopt`. */
  inetSockopt: boolean;
  /** `-K`. */
  kill: boolean;
  /** `-N NETNS`. */
  netns: string | undefined;
}

/** The state of one run: options, output, and lazily loaded name tables. */
export interface SsContext {
  opts: SsOptions;
  r: Renderer;
  /** Socket inode → `("name",pid=…,fd=…)` entries (with `-p`). */
  users?: Map<number, string[]>;
  /** This process's own sockets (see own_sockets.ts): not listed. */
  own?: ReadonlySet<number>;
  /** An ifindex → its name (`if%d` when unknown); loaded before printing sockets that need it. */
  linkName: (index: number) => string;
  /** A cgroup v2 id → its path, as ss shows it. */
  cgroupPath: (id: bigint) => string;
  /** Loads the namespace's link names (before printing sockets bound to devices). */
  loadLinks?: () => Promise<void>;
  /** ip_local_port_range. */
  ephemeral: [number, number];
  /**
   * With `-r`: an address's host name, or undefined to print it as a number. Synchronous: DNS answers are
   * there only for addresses passed to {@link SsContext.lookUpHostNames} before; others get /etc/hosts' name.
   */
  hostName?: (addr: string) => string | undefined;
  /** With `-r`: names these addresses (/etc/hosts, then reverse DNS, concurrently) before they are printed. */
  lookUpHostNames?: (addrs: Iterable<string>) => Promise<void>;
}

/** ss's state names, by kernel state number. */
export const STATE_NAMES = [
  "UNKNOWN",
  "ESTAB",
  "SYN-SENT",
  "SYN-RECV",
  "FIN-WAIT-1",
  "FIN-WAIT-2",
  "TIME-WAIT",
  "UNCONN",
  "CLOSE-WAIT",
  "LAST-ACK",
  "LISTEN",
  "CLOSING",
];

/** Kernel state names (the library's) → numbers. */
export const STATE_NUMBERS: Record<string, number> = {
  established: 1,
  "syn-sent": 2,
  "syn-recv": 3,
  "fin-wait-1": 4,
  "fin-wait-2": 5,
  "time-wait": 6,
  close: 7,
  "close-wait": 8,
  "last-ack": 9,
  listen: 10,
  closing: 11,
  "new-syn-recv": 12,
  "bound-inactive": 13,
};

/** A state (name or number) as its number. */
export function stateNumber(state: string | number): number {
  return typeof state === "number" ? state : STATE_NUMBERS[state] ?? 0;
}

/**
 * sock_state_print: Netid, State, Recv-Q, Send-Q; leaves the renderer at the
 * local address. `state` is a state number, or the State column's text as is
 * (an SCTP association's `` `- ESTAB ``).
 */
export function printState(r: Renderer, netid: string, state: number | string, rq: number, wq: number): void {
  r.set(Col.Netid);
  r.out(netid);
  r.set(Col.State);
  r.out(typeof state === "string" ? state : STATE_NAMES[state] ?? "UNKNOWN");
  r.set(Col.RecvQ);
  r.out(leftPad6(rq));
  r.set(Col.SendQ);
  r.out(leftPad6(wq));
  r.set(Col.Addr);
}

/** printf("%-6d"). */
function leftPad6(n: number): string {
  const s = String(n | 0);
  return s.length >= 6 ? s : s + "      ".slice(s.length);
}

/** sock_addr_print: `ADDR[%IF]DELIM` in one column, the port in the next. */
export function printAddr(r: Renderer, addr: string, delim: string, port: string, ifname?: string): void {
  r.out(ifname !== undefined ? `${addr}%${ifname}${delim}` : addr + delim);
  r.next();
  r.out(port);
  r.next();
}

/** ` users:((…),…)` with `-p`. */
export function printUsers(ctx: SsContext, inode: number): void {
  if (!ctx.users || inode === 0) return;
  const list = ctx.users.get(inode);
  if (list) ctx.r.out(` users:(${list.join(",")})`);
}

/** sock_details_print: uid, inode, cookie, mark, cgroup. */
export function printDetails(
  ctx: SsContext,
  s: { uid?: number; inode: number; cookie: bigint; mark?: number; cgroupId?: bigint },
): void {
  const r = ctx.r;
  if (s.uid) r.out(` uid:${s.uid}`);
  r.out(` ino:${s.inode}`);
  r.out(` sk:${s.cookie.toString(16)}`);
  if (s.mark) r.out(` fwmark:0x${(s.mark >>> 0).toString(16)}`);
  if (s.cgroupId) r.out(` cgroup:${ctx.cgroupPath(s.cgroupId)}`);
}

/** print_skmeminfo: ` skmem:(r…,rb…,…)`. */
export function skmemText(m: SkMemInfo): string {
  let s =
    ` skmem:(r${m.rmemAlloc},rb${m.rcvbuf},t${m.wmemAlloc},tb${m.sndbuf},f${m.fwdAlloc},w${m.wmemQueued},o${m.optmem}`;
  if (m.backlog !== undefined) s += `,bl${m.backlog}`;
  if (m.drops !== undefined) s += `,d${m.drops}`;
  return s + ")";
}

/** ` %c-%c`: the shutdown state (`<->` open both ways, `--` shut). */
export function shutdownText(mask: number): string {
  return ` ${mask & 1 ? "-" : "<"}-${mask & 2 ? "-" : ">"}`;
}

/**
 * C's `%g` (precision 6 unless given): the shortest of fixed and exponent
 * notation, trailing zeros dropped.
 *
 * @example
 * ```ts
 * import { fmtG } from "./context.ts";
 * fmtG(0.002); // "0.002"
 * fmtG(1310000000000 / 1e12, 3); // "1.31"
 * ```
 */
export function fmtG(x: number, precision = 6): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
  const p = precision === 0 ? 1 : precision;
  const exp = x.toExponential(p - 1);
  const e = Number(exp.slice(exp.indexOf("e") + 1));
  if (e < -4 || e >= p) {
    let [mant, ex] = exp.split("e");
    if (mant.includes(".")) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
    const n = Number(ex);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  let fixed = x.toFixed(Math.max(0, p - 1 - e));
  if (fixed.includes(".")) fixed = fixed.replace(/0+$/, "").replace(/\.$/, "");
  return fixed;
}
