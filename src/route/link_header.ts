/**
 * The link message header: struct ifinfomsg and the enumerations its fields
 * use (interface flags, hardware types), plus the link-level enums shared with
 * the attribute schemas, and the attributes that name a link.
 *
 * @module
 */
import { cEnum, cFlags, type EnumTable, type FlagTable } from "../core/enums.ts";
import { attrSchema, type AttrSpec } from "../core/schema.ts";
import { cStruct } from "../core/struct.ts";
import { FAMILY } from "./constants.ts";

/** Interface flags (IFF_*), as iproute2 prints them. */
export const IFF: FlagTable = cFlags("linux/if.h", "IFF_", {
  UP: 1 << 0,
  BROADCAST: 1 << 1,
  DEBUG: 1 << 2,
  LOOPBACK: 1 << 3,
  POINTOPOINT: 1 << 4,
  NOTRAILERS: 1 << 5,
  RUNNING: 1 << 6,
  NOARP: 1 << 7,
  PROMISC: 1 << 8,
  ALLMULTI: 1 << 9,
  MASTER: 1 << 10,
  SLAVE: 1 << 11,
  MULTICAST: 1 << 12,
  PORTSEL: 1 << 13,
  AUTOMEDIA: 1 << 14,
  DYNAMIC: 1 << 15,
  LOWER_UP: 1 << 16,
  DORMANT: 1 << 17,
  ECHO: 1 << 18,
}, "upper");

/** iproute2's names for hardware types (lib/ll_types.c), e.g. ARPHRD_ETHER → "ether". */
const ARPHRD_NAMES: Record<string, string> = {
  TUNNEL: "ipip",
  APPLETLK: "atalk",
  LOCALTLK: "ltalk",
  IPDDP: "ip/ddp",
  IPGRE: "gre",
  IP6GRE: "gre6",
  FCFABRIC: "fcfb0",
  IEEE802_TR: "tr",
  IEEE80211: "ieee802.11",
  IEEE80211_PRISM: "ieee802.11/prism",
  IEEE80211_RADIOTAP: "ieee802.11/radiotap",
  IEEE802154: "ieee802.15.4",
  IEEE802154_MONITOR: "ieee802.15.4/monitor",
};

/** Hardware (link-layer) types, ARPHRD_*. */
export const ARPHRD: EnumTable = cEnum("linux/if_arp.h", "ARPHRD_", {
  NETROM: 0,
  ETHER: 1,
  EETHER: 2,
  AX25: 3,
  PRONET: 4,
  CHAOS: 5,
  IEEE802: 6,
  ARCNET: 7,
  APPLETLK: 8,
  DLCI: 15,
  ATM: 19,
  METRICOM: 23,
  IEEE1394: 24,
  EUI64: 27,
  INFINIBAND: 32,
  SLIP: 256,
  CSLIP: 257,
  SLIP6: 258,
  CSLIP6: 259,
  RSRVD: 260,
  ADAPT: 264,
  ROSE: 270,
  X25: 271,
  HWX25: 272,
  CAN: 280,
  MCTP: 290,
  PPP: 512,
  HDLC: 513,
  LAPB: 516,
  DDCMP: 517,
  RAWHDLC: 518,
  RAWIP: 519,
  TUNNEL: 768,
  TUNNEL6: 769,
  FRAD: 770,
  SKIP: 771,
  LOOPBACK: 772,
  LOCALTLK: 773,
  FDDI: 774,
  BIF: 775,
  SIT: 776,
  IPDDP: 777,
  IPGRE: 778,
  PIMREG: 779,
  HIPPI: 780,
  ASH: 781,
  ECONET: 782,
  IRDA: 783,
  FCPP: 784,
  FCAL: 785,
  FCPL: 786,
  FCFABRIC: 787,
  IEEE802_TR: 800,
  IEEE80211: 801,
  IEEE80211_PRISM: 802,
  IEEE80211_RADIOTAP: 803,
  IEEE802154: 804,
  IEEE802154_MONITOR: 805,
  PHONET: 820,
  PHONET_PIPE: 821,
  CAIF: 822,
  IP6GRE: 823,
  NETLINK: 824,
  "6LOWPAN": 825,
  VSOCKMON: 826,
  VOID: 0xffff,
  NONE: 0xfffe,
}, (key) => ARPHRD_NAMES[key] ?? key.toLowerCase());

/** RFC 2863 operational state (IF_OPER_*), as iproute2 prints it. */
export const IF_OPER: EnumTable = cEnum("linux/if.h", "IF_OPER_", {
  UNKNOWN: 0,
  NOTPRESENT: 1,
  DOWN: 2,
  LOWERLAYERDOWN: 3,
  TESTING: 4,
  DORMANT: 5,
  UP: 6,
}, "upper");

/** Link mode (IF_LINK_MODE_*). */
export const IF_LINK_MODE: EnumTable = cEnum("linux/if.h", "IF_LINK_MODE_", {
  DEFAULT: 0,
  DORMANT: 1,
  TESTING: 2,
}, "upper");

/** IFLA_EVENT values. */
export const IFLA_EVENT: EnumTable = cEnum("linux/if_link.h", "IFLA_EVENT_", {
  NONE: 0,
  REBOOT: 1,
  FEATURES: 2,
  BONDING_FAILOVER: 3,
  NOTIFY_PEERS: 4,
  IGMP_RESEND: 5,
  BONDING_OPTIONS: 6,
});

/** How an XDP program is attached (XDP_ATTACHED_*). */
export const XDP_ATTACHED: EnumTable = cEnum("linux/if_link.h", "XDP_ATTACHED_", {
  NONE: 0,
  DRV: 1,
  SKB: 2,
  HW: 3,
  MULTI: 4,
});

/** IPv6 address generation mode (IN6_ADDR_GEN_MODE_*). */
export const IN6_ADDR_GEN_MODE: EnumTable = cEnum("linux/if_link.h", "IN6_ADDR_GEN_MODE_", {
  EUI64: 0,
  NONE: 1,
  STABLE_PRIVACY: 2,
  RANDOM: 3,
});

/** VF link state (IFLA_VF_LINK_STATE_*). */
export const VF_LINK_STATE: EnumTable = cEnum("linux/if_link.h", "IFLA_VF_LINK_STATE_", {
  AUTO: 0,
  ENABLE: 1,
  DISABLE: 2,
});

/** struct ifinfomsg. */
export const IFINFOMSG = cStruct("linux/rtnetlink.h", "struct ifinfomsg", [
  { c: "ifi_family", type: "u8", enum: FAMILY },
  { type: "pad", size: 1 }, // __ifi_pad
  { c: "ifi_type", type: "u16", enum: ARPHRD },
  { c: "ifi_index", type: "s32" },
  { c: "ifi_flags", type: "u32", flags: IFF },
  { c: "ifi_change", type: "u32" },
], { strip: "ifi_" });

/**
 * The IFLA_* attributes that name a link: its name, its alternative names
 * (as a dump lists them, IFLA_PROP_LIST, and as a request gives one,
 * IFLA_ALT_IFNAME) and the extended-info mask a request sends with them.
 * Declared once, shared by the full link schema (link_attrs.ts) and the
 * lookup and name table (link_lookup.ts), which need nothing else.
 *
 * @example
 * ```ts
 * import { LINK_NAME_ATTRS } from "./link_header.ts";
 * LINK_NAME_ATTRS.IFNAME.id; // 3
 * ```
 */
export const LINK_NAME_ATTRS = {
  IFNAME: { id: 3, type: "string", name: "name" },
  EXT_MASK: { id: 29, type: "u32" },
  PROP_LIST: {
    id: 52,
    type: "nested",
    schema: attrSchema("IFLA_", "linux/if_link.h", { ALT_IFNAME: { id: 53, type: "string", multi: true } }),
    nestedFlag: true,
  },
  ALT_IFNAME: { id: 53, type: "string" },
} as const satisfies Record<string, AttrSpec>;
