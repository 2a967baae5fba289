/**
 * The decoded shape of a route (RTM_NEWROUTE), as {@linkcode getRoutes} returns it.
 *
 * @module
 */
import type { RawAttribute } from "../core/schema.ts";
import type { RouteEncap } from "./lwtunnel.ts";
import type { Via } from "./route_attrs.ts";

/** Route metrics (RTA_METRICS), by RTAX name. */
export interface RouteMetrics {
  /** Bit mask of locked metrics (1 << RTAX_*). */
  lock?: number;
  /** Path MTU. */
  mtu?: number;
  /** TCP window clamp. */
  window?: number;
  /** Initial RTT estimate (ms × 8 as the kernel stores it). */
  rtt?: number;
  /** Initial RTT variance. */
  rttvar?: number;
  /** Initial slow-start threshold. */
  ssthresh?: number;
  /** Congestion window clamp. */
  cwnd?: number;
  /** Advertised MSS. */
  advmss?: number;
  /** Reordering metric. */
  reordering?: number;
  /** Hop limit / TTL. */
  hoplimit?: number;
  /** Initial congestion window. */
  initcwnd?: number;
  /** RTAX_FEATURE_* bits (1 = ecn). */
  features?: number;
  /** Minimum RTO. */
  rtoMin?: number;
  /** Initial receive window. */
  initrwnd?: number;
  /** Quick ACK. */
  quickack?: number;
  /** Congestion control algorithm. */
  ccAlgo?: string;
  /** TCP fast open without cookie. */
  fastopenNoCookie?: number;
  /** Metrics nlink does not know. */
  unknownAttrs?: RawAttribute[];
}

/** One path of a multipath route, as decoded. */
export interface RouteNexthop {
  /** Next-hop flags (`"onlink"`, `"linkdown"`, `"dead"`, …). */
  flags: string[];
  /** Weight − 1 (iproute2 prints `weight` = hops + 1). */
  hops: number;
  /** Output interface index. */
  ifindex: number;
  /** Gateway. */
  gateway?: string;
  /** Gateway in another family. */
  via?: Via;
  /** MPLS labels pushed on this path. */
  newdst?: string;
  /** Realm. */
  flow?: number;
  /** Encapsulation type (`"mpls"`, `"seg6"`, `"seg6local"`, …; also `encap.type`). */
  encapType?: string | number;
  /** Encapsulation of this path, typed: `{ type: "mpls", labels: [100] }`. */
  encap?: RouteEncap;
  /** Attributes nlink does not know. */
  unknownAttrs?: RawAttribute[];
}

/** A route, decoded completely from RTM_NEWROUTE. */
export interface Route {
  /** `"inet"`, `"inet6"`, `"mpls"`, …; 128 / 129 (RTNL_FAMILY_IPMR / IP6MR) for multicast forwarding entries. */
  family: string | number;
  /**
   * The destination as a prefix, `"10.0.0.0/24"` (`"0.0.0.0/0"` / `"::/0"` for
   * default routes), or the label for MPLS routes.
   */
  dst: string;
  /** Destination prefix length. */
  dstLen: number;
  /** Source prefix (`from`), `"2001:db8::/64"`, when the route has one. */
  src?: string;
  /** Source prefix length. */
  srcLen: number;
  /** TOS / DSCP. */
  tos: number;
  /** Table id (RTA_TABLE when present). */
  table: number;
  /** Origin: `"kernel"`, `"boot"`, `"static"`, `"dhcp"`, … */
  protocol: string | number;
  /** Scope: `"global"`, `"link"`, `"host"`, … */
  scope: string | number;
  /** Type: `"unicast"`, `"local"`, `"broadcast"`, `"blackhole"`, … */
  type: string | number;
  /** Flags: `"onlink"`, `"linkdown"`, `"rt_offload"`, `"cloned"`, … */
  flags: string[];
  /** Output interface index. */
  oif?: number;
  /** Input interface index (route lookups, multicast). */
  iif?: number;
  /** Gateway. */
  gateway?: string;
  /** Gateway in another address family. */
  via?: Via;
  /** Metric (RTA_PRIORITY). */
  priority?: number;
  /** Preferred source address (`src` in iproute2). */
  prefsrc?: string;
  /** Metrics. */
  metrics?: RouteMetrics;
  /** Paths of a multipath route; of a multicast forwarding entry, its output interfaces (`hops`: the TTL threshold). */
  multipath?: RouteNexthop[];
  /** Realm. */
  flow?: number;
  /** Cache information. */
  cacheinfo?: {
    clntref: number;
    lastuse: number;
    expires: number;
    error: number;
    used: number;
    id: number;
    ts: number;
    tsage: number;
  };
  /** Firewall mark (route lookups). */
  mark?: number;
  /** Multicast forwarding statistics. */
  mfcStats?: { packets: bigint; bytes: bigint; wrongIf: bigint };
  /** MPLS: outgoing labels. */
  newdst?: string;
  /** IPv6 router preference: `"low"`, `"medium"`, `"high"`. */
  pref?: string | number;
  /** Encapsulation type (`"mpls"`, `"seg6"`, `"seg6local"`, …; also `encap.type`). */
  encapType?: string | number;
  /**
   * Encapsulation, typed: `{ type: "mpls", labels: [100, 200] }`,
   * `{ type: "seg6", mode: "encap", segments: [...] }`,
   * `{ type: "seg6local", action: "End.DT6", table: 100 }`; other types raw.
   */
  encap?: RouteEncap;
  /** Expiry; of a multicast forwarding entry, the time since it was last used, in hundredths of a second. */
  expires?: bigint;
  /** User id (route lookups). */
  uid?: number;
  /** MPLS TTL propagation. */
  ttlPropagate?: number;
  /** IP protocol (route lookups). */
  ipProto?: number;
  /** Source port (route lookups). */
  sport?: number;
  /** Destination port (route lookups). */
  dport?: number;
  /** Nexthop object id. */
  nhId?: number;
  /** IPv6 flow label (route lookups, Linux 6.11+). */
  flowlabel?: number;
  /** Obsolete attributes, raw. */
  protoinfo?: Uint8Array;
  /** Obsolete attributes, raw. */
  session?: Uint8Array;
  /** Obsolete. */
  mpAlgo?: number;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}
