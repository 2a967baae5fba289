/**
 * SCTP in ss's listing: an endpoint prints as any inet socket; each of its
 * associations follows it on a line of its own, the Netid column empty and
 * the state as `` `- ESTAB `` (ss's sctp_sstate_name). With `-i` / `-m` the
 * detail line is ss's sctp_show_info: socket memory, local and peer
 * addresses, then the non-zero fields of sctp_info.
 *
 * ss tells an association by its inode (the same as the endpoint printed
 * before it); the library tells it by its peer list, which only
 * associations carry: the same entries.
 *
 * @module
 */
import { type InetSocket, SCTP_STATE, type SctpAddress, type SctpInfo } from "@nlink/nlink/sockdiag";
import { skmemText, type SsContext } from "./context.ts";

/** ss's names of the SCTP association states, by number. */
const SCTP_STATE_TEXT = [
  "CLOSED",
  "COOKIE_WAIT",
  "COOKIE_ECHOED",
  "ESTAB",
  "SHUTDOWN_PENDING",
  "SHUTDOWN_SENT",
  "SHUTDOWN_RECEIVED",
  "ACK_SENT",
];

/** Whether `s` is an SCTP association (it has peers), not an endpoint. */
export function isAssociation(s: InetSocket): boolean {
  return s.peers !== undefined;
}

/** An association's state as its number (for state filters, which ss applies to the raw number). */
export function associationStateNumber(s: InetSocket): number {
  return typeof s.state === "number" ? s.state : SCTP_STATE.value(s.state) ?? 0;
}

/** The State column of an association: `` `- ESTAB ``. */
export function associationStateText(s: InetSocket): string {
  return "`- " + (SCTP_STATE_TEXT[associationStateNumber(s)] ?? "");
}

/** format_host_sa: an address as text, or its host name with `-r`. */
function hostText(ctx: SsContext, a: SctpAddress): string {
  return (ctx.opts.resolve && ctx.hostName?.(a.address)) || a.address;
}

/** ` locals:A,B` / ` peers:A,B`. */
function addressList(ctx: SsContext, label: string, list: SctpAddress[] | undefined): string {
  if (list === undefined) return "";
  return ` ${label}:${list.map((a) => hostText(ctx, a)).join(",")}`;
}

/** sctp_show_info: memory, addresses, and sctp_info's non-zero fields as ss names them. */
export function sctpInfoText(ctx: SsContext, s: InetSocket): string {
  let o = s.skmeminfo ? skmemText(s.skmeminfo) : "";
  o += addressList(ctx, "locals", s.locals);
  o += addressList(ctx, "peers", s.peers);
  if (s.sctpInfo) o += sctpStats(s.sctpInfo);
  return o;
}

/** The fields ss prints (when non-zero), in its order: [label, field, hex]. */
const STATS: [string, keyof SctpInfo, boolean][] = [
  ["tag", "tag", true],
  ["state", "state", false],
  ["rwnd", "rwnd", false],
  ["unackdata", "unackData", false],
  ["penddata", "pendData", false],
  ["instrms", "inStreams", false],
  ["outstrms", "outStreams", false],
  ["inqueue", "inQueue", false],
  ["outqueue", "outQueue", false],
  ["overerr", "overallError", false],
  ["maxburst", "maxBurst", false],
  ["maxseg", "maxSeg", false],
  ["prwnd", "peerRwnd", false],
  ["ptag", "peerTag", true],
  ["pcapable", "peerCapable", false],
  ["psack", "peerSack", false],
  ["autoclose", "autoclose", false],
  ["adapind", "adaptationInd", false],
  ["pdpoint", "pdPoint", false],
  ["nodelay", "nodelay", false],
  ["nofrag", "disableFragments", false],
  ["v4mapped", "v4mapped", false],
  ["fraginl", "fragInterleave", false],
];

/** sctp_stats_print (ss prints u32 counters with %d: the signed value). */
function sctpStats(i: SctpInfo): string {
  let o = "";
  for (const [label, field, hex] of STATS) {
    const v = i[field];
    if (field === "state") {
      const n = typeof v === "number" ? v : SCTP_STATE.value(v as string) ?? 0;
      if (n) o += ` state:${SCTP_STATE_TEXT[n] ?? ""}`;
      continue;
    }
    if (typeof v !== "number" || v === 0) continue;
    o += hex ? ` ${label}:${(v >>> 0).toString(16)}` : ` ${label}:${v | 0}`;
  }
  return o;
}
