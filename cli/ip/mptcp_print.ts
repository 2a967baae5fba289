/**
 * `ip mptcp` output: endpoints (text or JSON), limits (text only, as
 * iproute2 prints them) and monitor lines.
 *
 * @module
 */
import type { MptcpEndpoint, MptcpEventItem, MptcpLimits } from "@nlink/nlink";
import { MPTCP_EVENT, MPTCP_PM_ADDR_FLAG } from "@nlink/nlink/genl";
import { Kind, type Printer, sprintf } from "../common/output.ts";
import type { LinkCache } from "./links.ts";

/** The flags iproute2 names, in its order; other bits print as `rawflags`. */
const NAMED_FLAGS = ["signal", "subflow", "backup", "fullmesh"] as const;

/**
 * One endpoint, as iproute2's print_mptcp_addrinfo: `ADDRESS [port N] id N
 * FLAGS [rawflags HEX] [dev NAME]`.
 *
 * @example
 * ```ts ignore
 * printEndpoint(p, { id: 5, family: "inet", address: "10.0.0.2", flags: ["signal"] }, links);
 * ```
 */
export function printEndpoint(p: Printer, e: MptcpEndpoint, links: LinkCache | undefined): void {
  p.openObject();
  if (e.address !== undefined) p.string(Kind.Any, "address", "%s ", e.address);
  if (e.port) p.uint(Kind.Any, "port", "port %u ", e.port);
  p.uint(Kind.Any, "id", "id %u ", e.id);
  let rest = e.flags.length === 0 ? 0 : MPTCP_PM_ADDR_FLAG.encode(e.flags);
  for (const name of NAMED_FLAGS) {
    const bit = MPTCP_PM_ADDR_FLAG.bit(name);
    if (rest & bit) {
      p.string(Kind.Text, null, "%s ", name);
      p.bool(Kind.Json, name, "", true);
    }
    rest &= ~bit;
  }
  if (rest) p.string(Kind.Any, "rawflags", "rawflags %s ", sprintf("%02x", rest >>> 0));
  if (e.ifindex) p.string(Kind.Any, "dev", "dev %s ", links?.name(e.ifindex) ?? `if${e.ifindex}`);
  p.closeObject();
  p.write("\n");
}

/**
 * The limits, as iproute2's print_mptcp_limit: `add_addr_accepted N subflows N `.
 *
 * @example
 * ```ts ignore
 * printLimits(p, { addAddrAccepted: 0, subflows: 2 });
 * ```
 */
export function printLimits(p: Printer, l: MptcpLimits): void {
  if (l.addAddrAccepted !== undefined) p.printf("add_addr_accepted %d ", l.addAddrAccepted);
  if (l.subflows !== undefined) p.printf("subflows %d ", l.subflows);
  p.write("\n");
}

/** The names `ip mptcp monitor` prints, by event; other events print as `[UNKNOWN N]`. */
const EVENT_NAMES: Readonly<Record<string, string>> = {
  created: "CREATED",
  established: "ESTABLISHED",
  closed: "CLOSED",
  announced: "ANNOUNCED",
  removed: "REMOVED",
  sub_established: "SF_ESTABLISHED",
  sub_closed: "SF_CLOSED",
  sub_priority: "SF_PRIO",
};

/**
 * One `ip mptcp monitor` line (with its newline).
 *
 * @example
 * ```ts ignore
 * eventLine({ type: "closed", token: 0x1234 }); // "[        CLOSED] token=00001234\n"
 * ```
 */
export function eventLine(ev: MptcpEventItem): string {
  if (ev.type === "overrun") return "";
  const name = typeof ev.type === "string" ? EVENT_NAMES[ev.type] : undefined;
  if (name === undefined) {
    const n = typeof ev.type === "number" ? ev.type : MPTCP_EVENT.value(ev.type);
    return `[UNKNOWN ${n}]\n`;
  }
  const e = ev as Exclude<MptcpEventItem, { type: "overrun" }>;
  let s = sprintf("[%14s]", name) + sprintf(" token=%08x", e.token ?? 0);
  if (e.remId !== undefined) s += ` remid=${e.remId}`;
  if (e.locId !== undefined) s += ` locid=${e.locId}`;
  if (e.saddr4 !== undefined) s += ` saddr4=${e.saddr4}`;
  if (e.daddr4 !== undefined) s += ` daddr4=${e.daddr4}`;
  if (e.saddr6 !== undefined) s += ` saddr6=${e.saddr6}`;
  if (e.daddr6 !== undefined) s += ` daddr6=${e.daddr6}`;
  if (e.sport !== undefined) s += ` sport=${e.sport}`;
  if (e.dport !== undefined) s += ` dport=${e.dport}`;
  if (e.backup !== undefined) s += ` backup=${e.backup}`;
  if (e.error !== undefined) s += ` error=${e.error}`;
  if (e.flags !== undefined) s += ` flags=${e.flags.toString(16)}`;
  if (e.timeout !== undefined) s += ` timeout=${e.timeout}`;
  if (e.ifindex !== undefined) s += ` ifindex=${e.ifindex}`;
  if (e.resetReason !== undefined) s += ` reset_reason=${e.resetReason}`;
  if (e.resetFlags !== undefined) s += ` reset_flags=0x${e.resetFlags.toString(16)}`;
  return s + "\n";
}
