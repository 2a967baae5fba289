/**
 * inet sockets (TCP, UDP, raw, MPTCP, DCCP, SCTP): one dump per IP family
 * through the library, filtered by the kernel (byte code) and again in user
 * space as ss does, closed with `-K`, and printed in ss's columns.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import type { InetSocket, SockDiagConnection, SocketFilter } from "@nlink/nlink/sockdiag";
import { compileFilterPredicate } from "@nlink/nlink/sockdiag";
import {
  printAddr,
  printDetails,
  printState,
  printUsers,
  shutdownText,
  type SsContext,
  stateNumber,
} from "./context.ts";
import { ipProtocolName, serviceName } from "./names.ts";
import { mptcpInfoText, tcpInfoText } from "./tcp_info.ts";
import { associationStateText, isAssociation, sctpInfoText } from "./sctp.ts";

/** What an inet table is dumped with. */
export interface InetShow {
  protocol: "tcp" | "udp" | "raw" | "mptcp" | "dccp" | "sctp";
  /** The state mask sent to the kernel. */
  states: number;
  /** Which IP families to dump, in order (ss: IPv4 then IPv6 unless -4/-6). */
  families: ("inet" | "inet6")[];
  /** Families shown (the filter's family mask). */
  show: { inet: boolean; inet6: boolean };
  /** The kernel filter, if the expression can be said as one. */
  filter?: SocketFilter;
  /** ss's user-space check of each socket. */
  check?: (s: InetSocket) => boolean;
  /** The protocol whose service names ports take (ss's dg_proto), or undefined for any. */
  serviceProto: string | undefined;
}

const NETIDS: Record<number, string> = {
  0: "raw",
  17: "udp",
  6: "tcp",
  262: "mptcp",
  132: "sctp",
  33: "dccp",
  58: "icmp6",
};

/**
 * Dumps, filters, (with `-K`) destroys and prints one inet table. A failed
 * dump prints nothing (DCCP's prints ss's complaint on stderr).
 */
export async function showInet(ctx: SsContext, diag: SockDiagConnection, show: InetShow): Promise<void> {
  const o = ctx.opts;
  const extensions: ("meminfo" | "skmeminfo" | "info" | "vegasinfo" | "cong" | "tos" | "tclass")[] = [];
  if (o.mem) extensions.push("meminfo", "skmeminfo");
  if (o.tcpInfo) extensions.push("info", "vegasinfo", "cong");
  if (o.tos) extensions.push("tos", "tclass");
  const sockets: InetSocket[] = [];
  for (const family of show.families) {
    let list: InetSocket[];
    try {
      list = await diag.getInetSockets({
        protocol: show.protocol,
        family,
        states: show.states,
        ...(extensions.length ? { extensions } : {}),
        ...(show.filter ? { filter: show.filter } : {}),
      });
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      // ss retries with the old TCPDIAG request, which only TCP and DCCP have: DCCP's fails loudly.
      if (show.protocol === "dccp") console.error("RTNETLINK answers: Invalid argument");
      return;
    }
    for (const s of list) {
      if (!show.show[s.family]) continue;
      if (show.check && !show.check(s)) continue;
      if (o.kill) {
        try {
          await diag.destroySocket(s);
        } catch (e) {
          if (e instanceof NetlinkError && (e.isNotSupported() || e.isNotFound())) continue;
          if (e instanceof NetlinkError) {
            console.error(`SOCK_DESTROY answers: ${e.reason}`);
            break;
          }
          throw e;
        }
      }
      sockets.push(s);
    }
  }
  if (sockets.some((s) => s.ifindex !== 0)) await ctx.loadLinks?.();
  if (o.resolve && ctx.lookUpHostNames && sockets.length > 0) await ctx.lookUpHostNames(hostAddrs(sockets));
  const services = new Map<number, string>();
  for (const s of sockets) printInet(ctx, s, show, services);
}

/** The distinct addresses `-r` names in a listing (not the `*` of dual-stack IPv6 wildcards). */
function hostAddrs(sockets: InetSocket[]): Set<string> {
  const addrs = new Set<string>();
  for (const s of sockets) {
    const dualStack = s.family === "inet6" && !s.v6only;
    if (!(dualStack && s.src === "::")) addrs.add(s.src);
    if (!(dualStack && s.dst === "::")) addrs.add(s.dst);
    for (const a of [...s.locals ?? [], ...s.peers ?? []]) addrs.add(a.address); // SCTP's address lists
  }
  return addrs;
}

/**
 * inet_addr_print's address text: with `-r` a host name (/etc/hosts, else
 * reverse DNS, looked up before printing: see hosts.ts) where there is one,
 * brackets around IPv6 text that stays numeric, `*` for the IPv6 wildcard of a dual-stack socket.
 */
function addrText(ctx: SsContext, family: string, addr: string, v6only: boolean): string {
  if (family === "inet6" && !v6only && addr === "::") return "*";
  const text = (ctx.opts.resolve && ctx.hostName?.(addr)) || addr;
  return family === "inet6" && text.includes(":") ? `[${text}]` : text;
}

/** resolve_service: `*` for 0, the number with `-n`, else a service (or protocol, for raw) name. */
function portText(ctx: SsContext, port: number, show: InetShow, cache: Map<number, string>): string {
  if (port === 0) return "*";
  if (ctx.opts.numeric) return String(port);
  if (show.protocol === "raw") return ipProtocolName(port);
  let name = cache.get(port);
  if (name === undefined) {
    const [lo, hi] = ctx.ephemeral;
    name = (port >= lo && port <= hi ? undefined : serviceName(port, show.serviceProto)) ?? String(port);
    cache.set(port, name);
  }
  return name;
}

/**
 * Prints one inet socket as ss does (inet_show_sock): `show` gives the
 * protocol its Netid and ports are named by; `services` caches port names.
 */
export function printInet(ctx: SsContext, s: InetSocket, show: InetShow, services: Map<number, string>): void {
  const r = ctx.r, o = ctx.opts;
  const number = show.protocol === "raw" ? s.rawProtocol ?? 255 : PROTO_NUMBERS[show.protocol];
  if (show.protocol === "sctp" && isAssociation(s)) printState(r, "", associationStateText(s), s.rqueue, s.wqueue);
  else printState(r, NETIDS[number] ?? "???", stateNumber(s.state), s.rqueue, s.wqueue);
  const v6only = s.family === "inet6" && !!s.v6only;
  printAddr(
    r,
    addrText(ctx, s.family, s.src, v6only),
    ":",
    portText(ctx, s.sport, show, services),
    s.ifindex ? ctx.linkName(s.ifindex) : undefined,
  );
  printAddr(r, addrText(ctx, s.family, s.dst, v6only), ":", portText(ctx, s.dport, show, services));
  printUsers(ctx, s.inode);
  if (o.showOptions && s.timer !== "off") {
    r.out(` timer:(${show.protocol === "sctp" ? "T3_RTX" : s.timer},${msTimer(s.expires)},${s.retrans})`);
  }
  if (o.details) {
    printDetails(ctx, s);
    if (s.family === "inet6" && s.v6only !== undefined) r.out(` v6only:${s.v6only}`);
    if (s.shutdown !== undefined) r.out(shutdownText(s.shutdown));
  }
  if (o.tos) {
    if (s.tos !== undefined) r.out(` tos:${hex(s.tos)}`);
    if (s.tclass !== undefined) r.out(` tclass:${hex(s.tclass)}`);
    if (s.classId !== undefined) r.out(` class_id:${hex(s.classId)}`);
  }
  if (o.cgroup && s.cgroupId !== undefined) r.out(` cgroup:${ctx.cgroupPath(s.cgroupId)}`);
  if (o.inetSockopt && s.sockopt) {
    const so = s.sockopt;
    let t = o.oneline ? " inet-sockopt: (" : "\n\tinet-sockopt: (";
    if (so.recverr) t += " recverr";
    if (so.isIcsk) t += " is_icsk";
    if (so.freebind) t += " freebind";
    if (so.hdrincl) t += " hdrincl";
    if (so.mcLoop) t += " mc_loop";
    if (so.transparent) t += " transparent";
    if (so.mcAll) t += " mc_all";
    if (so.nodefrag) t += " nodefrag";
    if (so.bindAddressNoPort) t += " bind_addr_no_port";
    if (so.recverrRfc4884) t += " recverr_rfc4884";
    if (so.deferConnect) t += " defer_connect";
    r.out(t + ")");
  }
  if (o.mem || (o.tcpInfo && show.protocol !== "udp")) {
    if (!o.oneline) r.out("\n\t");
    if (show.protocol === "mptcp") r.out(mptcpInfoText(s));
    else if (show.protocol === "sctp") r.out(sctpInfoText(ctx, s));
    else r.out(tcpInfoText(ctx, s));
  }
}

const PROTO_NUMBERS: Record<string, number> = { tcp: 6, udp: 17, mptcp: 262, sctp: 132, dccp: 33, raw: 255 };

/** `%#x`. */
function hex(n: number): string {
  return n === 0 ? "0" : `0x${(n >>> 0).toString(16)}`;
}

/** print_ms_timer: `1min30sec`, `2.500ms`, `45sec`, … as ss spells a timeout. */
export function msTimer(timeout: number): string {
  let secs = Math.trunc(timeout / 1000);
  const minutes = Math.trunc(secs / 60);
  secs %= 60;
  let msecs = timeout % 1000;
  let buf = "";
  if (minutes) {
    msecs = 0;
    buf = `${minutes}min`;
    if (minutes > 9) secs = 0;
  }
  if (secs) {
    if (secs > 9) msecs = 0;
    buf += `${secs}${msecs ? "." : "sec"}`;
  }
  if (msecs) buf += `${String(msecs).padStart(3, "0")}ms`;
  return buf;
}

/** A user-space check that applies the expression as ss does after the kernel's filter. */
export function inetCheck(filter: SocketFilter, ephemeral: [number, number]): (s: InetSocket) => boolean {
  return compileFilterPredicate(filter, { ephemeralPorts: ephemeral });
}
