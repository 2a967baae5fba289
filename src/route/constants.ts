/**
 * rtnetlink constants shared by every object: message types, address
 * families, multicast groups, dump filters.
 *
 * @module
 */
import { cTable } from "../core/ctable.ts";
import { EnumTable } from "../core/enums.ts";
import { ValidationError } from "../core/errors.ts";

/** rtnetlink message types (RTM_*). */
export const RTM = cTable("linux/rtnetlink.h", "RTM_", {
  NEWLINK: 16,
  DELLINK: 17,
  GETLINK: 18,
  SETLINK: 19,
  NEWADDR: 20,
  DELADDR: 21,
  GETADDR: 22,
  NEWROUTE: 24,
  DELROUTE: 25,
  GETROUTE: 26,
  NEWNEIGH: 28,
  DELNEIGH: 29,
  GETNEIGH: 30,
  NEWRULE: 32,
  DELRULE: 33,
  GETRULE: 34,
  NEWQDISC: 36,
  DELQDISC: 37,
  GETQDISC: 38,
  NEWTCLASS: 40,
  DELTCLASS: 41,
  GETTCLASS: 42,
  NEWTFILTER: 44,
  DELTFILTER: 45,
  GETTFILTER: 46,
  NEWACTION: 48,
  DELACTION: 49,
  GETACTION: 50,
  NEWPREFIX: 52,
  GETMULTICAST: 58,
  GETANYCAST: 62,
  NEWNEIGHTBL: 64,
  GETNEIGHTBL: 66,
  SETNEIGHTBL: 67,
  NEWNDUSEROPT: 68,
  NEWADDRLABEL: 72,
  DELADDRLABEL: 73,
  GETADDRLABEL: 74,
  GETDCB: 78,
  SETDCB: 79,
  NEWNETCONF: 80,
  DELNETCONF: 81,
  GETNETCONF: 82,
  NEWMDB: 84,
  DELMDB: 85,
  GETMDB: 86,
  NEWNSID: 88,
  DELNSID: 89,
  GETNSID: 90,
  NEWSTATS: 92,
  GETSTATS: 94,
  SETSTATS: 95,
  NEWCACHEREPORT: 96,
  NEWCHAIN: 100,
  DELCHAIN: 101,
  GETCHAIN: 102,
  NEWNEXTHOP: 104,
  DELNEXTHOP: 105,
  GETNEXTHOP: 106,
  NEWLINKPROP: 108,
  DELLINKPROP: 109,
  GETLINKPROP: 110,
  NEWVLAN: 112,
  DELVLAN: 113,
  GETVLAN: 114,
  NEWNEXTHOPBUCKET: 116,
  DELNEXTHOPBUCKET: 117,
  GETNEXTHOPBUCKET: 118,
  NEWTUNNEL: 120,
  DELTUNNEL: 121,
  GETTUNNEL: 122,
});

/** Address family numbers (AF_*). */
export const AF = cTable("sys/socket.h", "AF_", {
  UNSPEC: 0,
  UNIX: 1,
  INET: 2,
  BRIDGE: 7,
  INET6: 10,
  NETLINK: 16,
  PACKET: 17,
  MPLS: 28,
  CAN: 29,
  MCTP: 45,
});

/** Address families as names (`inet`, `inet6`, `mpls`, …). */
export const FAMILY: EnumTable = new EnumTable("family", AF, "lower");

/** A family name: what `family` fields hold. */
export type FamilyName = "unspec" | "inet" | "inet6" | "bridge" | "mpls" | "packet" | "mctp" | string;

/**
 * The number of a family given as name or number.
 *
 * @example
 * ```ts
 * import { familyNumber } from "./constants.ts";
 * familyNumber("inet6"); // 10
 * ```
 */
export function familyNumber(x: unknown): number {
  if (typeof x === "number") return x;
  if (typeof x === "string") return FAMILY.value(x, "family");
  return 0;
}

/**
 * Checks an optional `family` option that must be IPv4 or IPv6 (neighbours,
 * rules, neighbour tables); throws a {@linkcode ValidationError} otherwise.
 *
 * @example
 * ```ts
 * import { checkIpFamily } from "./constants.ts";
 * checkIpFamily("inet6"); // fine; checkIpFamily("mpls") throws
 * ```
 */
export function checkIpFamily(family: unknown): void {
  if (family !== undefined && family !== "inet" && family !== "inet6") {
    throw new ValidationError("family", family, 'expected "inet" or "inet6"');
  }
}

/** rtnetlink multicast groups (RTNLGRP_*), for event subscriptions. */
export const RTNLGRP = cTable("linux/rtnetlink.h", "RTNLGRP_", {
  NONE: 0,
  LINK: 1,
  NOTIFY: 2,
  NEIGH: 3,
  TC: 4,
  IPV4_IFADDR: 5,
  IPV4_MROUTE: 6,
  IPV4_ROUTE: 7,
  IPV4_RULE: 8,
  IPV6_IFADDR: 9,
  IPV6_MROUTE: 10,
  IPV6_ROUTE: 11,
  IPV6_IFINFO: 12,
  IPV6_PREFIX: 18,
  IPV6_RULE: 19,
  ND_USEROPT: 20,
  IPV4_NETCONF: 24,
  IPV6_NETCONF: 25,
  MDB: 26,
  MPLS_ROUTE: 27,
  NSID: 28,
  MPLS_NETCONF: 29,
  IPV4_MROUTE_R: 30,
  IPV6_MROUTE_R: 31,
  NEXTHOP: 32,
  BRVLAN: 33,
  MCTP_IFADDR: 34,
  TUNNEL: 35,
  STATS: 36,
});

/** IFLA_EXT_MASK bits: what extra information link dumps carry. */
export const RTEXT_FILTER: {
  readonly VF: number;
  readonly BRVLAN: number;
  readonly BRVLAN_COMPRESSED: number;
  readonly SKIP_STATS: number;
  readonly MRP: number;
  readonly CFM_CONFIG: number;
  readonly CFM_STATUS: number;
  readonly MST: number;
} = cTable("linux/rtnetlink.h", "RTEXT_FILTER_", {
  VF: 1 << 0,
  BRVLAN: 1 << 1,
  BRVLAN_COMPRESSED: 1 << 2,
  SKIP_STATS: 1 << 3,
  MRP: 1 << 4,
  CFM_CONFIG: 1 << 5,
  CFM_STATUS: 1 << 6,
  MST: 1 << 7,
});
