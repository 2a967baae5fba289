/**
 * The decoded shape of a link, as {@linkcode getLinks} returns it: the
 * ifinfomsg header fields and every IFLA_* attribute the kernel sent, by name.
 *
 * @module
 */
import type { RawAttribute } from "../core/schema.ts";
import type { NetnsTarget } from "../netns/mod.ts";
import type { BareudpData, BareudpOptions } from "./kinds/bareudp.ts";
import type { BondData, BondOptions, BondSettings, BondSlaveData, BondSlaveSettings } from "./kinds/bond.ts";
import type { GeneveData, GeneveOptions, GeneveSettings } from "./kinds/geneve.ts";
import type { GreData, GreOptions, GretapOptions, Ip6greOptions, Ip6gretapOptions } from "./kinds/gre.ts";
import type { HsrData, HsrOptions } from "./kinds/hsr.ts";
import type { Ip6tnlOptions, IpipOptions, IptunData, SitOptions } from "./kinds/iptun.ts";
import type { IpvlanData, IpvlanOptions, IpvlanSettings, IpvtapOptions } from "./kinds/ipvlan.ts";
import type { MacsecData, MacsecOptions, MacsecSettings } from "./kinds/macsec.ts";
import type { MacvlanData, MacvlanOptions, MacvlanSettings, MacvtapOptions } from "./kinds/macvlan.ts";
import type { TunLinkData } from "./kinds/tun.ts";
import type { NetkitData, NetkitOptions, NetkitSettings, VethData, VethOptions } from "./kinds/pair.ts";
import type { SimpleLinkOptions, VirtWifiOptions } from "./kinds/simple.ts";
import type { VlanData, VlanOptions, VlanSettings } from "./kinds/vlan.ts";
import type { VrfData, VrfOptions, VrfPortData } from "./kinds/vrf.ts";
import type { Vti6Options, VtiData, VtiOptions } from "./kinds/vti.ts";
import type { VxlanData, VxlanOptions, VxlanSettings } from "./kinds/vxlan.ts";
import type { XfrmData, XfrmOptions } from "./kinds/xfrm.ts";
import type { BridgeSettings, BridgeSlaveSettings } from "./link_bridge.ts";
import type { LinkFlagOptions } from "./kinds/link_common.ts";

/** A device: its name, or its ifindex. */
export type Dev = string | number;

/**
 * Where a link goes (IFLA_NET_NS_FD / IFLA_NET_NS_PID): a named namespace,
 * `{ path }`, `{ fd }` (an open namespace file, as IFLA_NET_NS_FD), or
 * `{ pid }` (that process's namespace, sent as IFLA_NET_NS_PID as `ip link …
 * netns PID` does).
 */
export type LinkNetns = NetnsTarget;

/** Options common to every kind for `addLink` (the words before `type` in `ip link add`). */
export interface LinkCommonOptions extends LinkFlagOptions {
  /** The new link's name (1-15 characters); see {@linkcode UnnamedLinkOptions} for links the kernel names. */
  name: string;
  /** The parent device (IFLA_LINK: `ip link add link DEV …`), for vlan, macvlan, ipvlan, macsec, … */
  link?: Dev;
  /** MTU. */
  mtu?: number;
  /** Link-layer address. */
  address?: string;
  /** Link-layer broadcast address. */
  broadcast?: string;
  /** Transmit queue length. */
  txqlen?: number;
  /** Number of transmit queues. */
  numTxQueues?: number;
  /** Number of receive queues. */
  numRxQueues?: number;
  /** Largest GSO packet (`gso_max_size`). */
  gsoMaxSize?: number;
  /** Largest GSO segment count (`gso_max_segs`). */
  gsoMaxSegs?: number;
  /** Largest GRO packet (`gro_max_size`). */
  groMaxSize?: number;
  /** Master to enslave it to. */
  master?: Dev;
  /** Create it in another namespace. */
  netns?: LinkNetns;
  /** Create it in another namespace, given as an open namespace file descriptor (same as `netns: { fd }`). */
  netnsFd?: number;
  /** Send IFLA_MASTER 0 (`nomaster`): enslaved to nothing, as the kernel does anyway; excludes `master`. */
  nomaster?: boolean;
  /** Interface alias (`alias`); sent as iproute2 sends it, though kernels up to 6.18 at least ignore it at creation. */
  alias?: string;
  /**
   * Device group (`ip link add … group G`; IFLA_GROUP). Named apart from `setLink`'s `group` because vxlan and
   * geneve use `group` for their multicast group.
   */
  deviceGroup?: number;
  /** IPv6 address generation mode (`addrgenmode`). */
  addrgenmode?: "eui64" | "none" | "stable_secret" | "random";
  /** The namespace id the `link` device lives in (`link-netnsid`). */
  linkNetnsid?: number;
  /** Link mode: `"default"` or `"dormant"` (`mode`). */
  linkmode?: "default" | "dormant";
  /** Operational state (`state UP|DOWN|…`). */
  operstate?: "UNKNOWN" | "NOTPRESENT" | "DOWN" | "LOWERLAYERDOWN" | "TESTING" | "DORMANT" | "UP";
  /** Protocol-down state (`protodown on|off`). */
  protoDown?: boolean;
  /** One protodown reason bit (0-31) on or off (`protodown_reason N on|off`). */
  protoDownReason?: { reason: number; on: boolean };
  /** The name of the parent device the link is created on, such as a WWAN modem (`parentdev`). */
  parentDev?: string;
  /** The ifindex to give the new link (`index`). */
  index?: number;
}

/** 32-bit and 64-bit interface counters (IFLA_STATS / IFLA_STATS64). */
export interface LinkStats<N extends number | bigint> {
  /** Packets received. */
  rxPackets: N;
  /** Packets sent. */
  txPackets: N;
  /** Bytes received. */
  rxBytes: N;
  /** Bytes sent. */
  txBytes: N;
  /** Bad packets received. */
  rxErrors: N;
  /** Packets that failed to send. */
  txErrors: N;
  /** Received packets dropped. */
  rxDropped: N;
  /** Outgoing packets dropped. */
  txDropped: N;
  /** Multicast packets received. */
  multicast: N;
  /** Collisions. */
  collisions: N;
  /** Length errors. */
  rxLengthErrors: N;
  /** Receiver ring overruns. */
  rxOverErrors: N;
  /** CRC errors. */
  rxCrcErrors: N;
  /** Frame alignment errors. */
  rxFrameErrors: N;
  /** Receiver FIFO overruns. */
  rxFifoErrors: N;
  /** Missed packets. */
  rxMissedErrors: N;
  /** Aborted transmissions. */
  txAbortedErrors: N;
  /** Carrier errors. */
  txCarrierErrors: N;
  /** Transmit FIFO errors. */
  txFifoErrors: N;
  /** Heartbeat errors. */
  txHeartbeatErrors: N;
  /** Window errors. */
  txWindowErrors: N;
  /** Compressed packets received. */
  rxCompressed: N;
  /** Compressed packets sent. */
  txCompressed: N;
  /** Packets dropped for lack of a protocol handler. */
  rxNohandler: N;
  /** Packets dropped for another host's address (64-bit only, Linux 5.17+). */
  rxOtherhostDropped?: N;
}

/** IFLA_LINKINFO: what kind of device this is, with kind-specific data. */
export interface LinkInfo {
  /** The kind, e.g. `"veth"`, `"bridge"`, `"vxlan"`. Absent for physical devices. */
  kind?: string;
  /** Kind-specific attributes (decoded for known kinds, raw bytes otherwise). */
  data?: Record<string, unknown> | Uint8Array;
  /** Kind-specific statistics, raw. */
  xstats?: Uint8Array;
  /** The kind of the master this device is enslaved to, e.g. `"bridge"`. */
  slaveKind?: string;
  /** Per-port data of the master (decoded for known kinds, raw otherwise). */
  slaveData?: Record<string, unknown> | Uint8Array;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/** IFLA_XDP: the attached XDP program(s). */
export interface LinkXdp {
  /** How it is attached: `"none"`, `"drv"`, `"skb"`, `"hw"`, `"multi"`. */
  attached?: string | number;
  /** XDP_FLAGS_*. */
  flags?: number;
  /** The program id (single attachment). */
  progId?: number;
  /** Driver-mode program id. */
  drvProgId?: number;
  /** Generic (skb) mode program id. */
  skbProgId?: number;
  /** Offloaded program id. */
  hwProgId?: number;
  /** Requests only. */
  fd?: number;
  /** Requests only. */
  expectedFd?: number;
}

/** IFLA_AF_SPEC: per-address-family link data. */
export interface LinkAfSpec {
  /** IPv4: the devconf settings (forwarding, rpFilter, …) by name. */
  inet?: { conf?: Record<string, number> };
  /** IPv6: flags, devconf, statistics, token, address generation mode. */
  inet6?: {
    flags?: number;
    conf?: Record<string, number>;
    stats?: Record<string, bigint>;
    mcast?: Uint8Array;
    cacheinfo?: { maxReasmLen: number; tstamp: number; reachableTime: number; retransTime: number };
    icmp6stats?: Record<string, bigint>;
    token?: string;
    addrGenMode?: string | number;
    raMtu?: number;
  };
  /** Bridge: flags, mode, VLANs (with RTEXT_FILTER_BRVLAN). */
  bridge?: Record<string, unknown>;
  /** MCTP network. */
  mctp?: { net?: number };
  /** Families nlink does not know. */
  unknownAttrs?: RawAttribute[];
}

/**
 * A network interface, decoded completely from RTM_NEWLINK.
 *
 * Header fields (`family`, `type`, `index`, `flags`, `change`) are always
 * present; attributes are present when the kernel sent them.
 */
export interface Link {
  /** Address family of the message (normally `"unspec"`). */
  family: string | number;
  /** Hardware type, named as iproute2 names it (`"ether"`, `"loopback"`, `"none"`, …). */
  type: string | number;
  /** Interface index. */
  index: number;
  /** Interface flags: `"UP"`, `"BROADCAST"`, `"LOWER_UP"`, … */
  flags: string[];
  /** Flags changed by this event (notifications). */
  change: number;
  /** Interface name (IFLA_IFNAME). */
  name?: string;
  /** Link-layer address. */
  address?: string;
  /** Link-layer broadcast address. */
  broadcast?: string;
  /** Permanent (factory) address. */
  permAddress?: string;
  /** MTU. */
  mtu?: number;
  /** Smallest MTU the device allows. */
  minMtu?: number;
  /** Largest MTU the device allows. */
  maxMtu?: number;
  /** Index of the device this one is stacked on (iflink), e.g. a veth's peer. */
  link?: number;
  /** Network namespace id of `link`, when it lives in another namespace. */
  linkNetnsid?: number;
  /** Root qdisc kind. */
  qdisc?: string;
  /** Master device index (bridge, bond, VRF). */
  master?: number;
  /** Transmit queue length. */
  txqlen?: number;
  /** RFC 2863 operational state: `"UP"`, `"DOWN"`, `"UNKNOWN"`, `"LOWERLAYERDOWN"`, … */
  operstate?: string | number;
  /** Link mode: `"DEFAULT"` or `"DORMANT"`. */
  linkmode?: string | number;
  /** Device group. */
  group?: number;
  /** Promiscuity count (> 0: promiscuous). */
  promiscuity?: number;
  /** All-multicast count. */
  allmulti?: number;
  /** Transmit queues. */
  numTxQueues?: number;
  /** Receive queues. */
  numRxQueues?: number;
  /** Carrier: 1 up, 0 down. */
  carrier?: number;
  /** Carrier changes. */
  carrierChanges?: number;
  /** Carrier up transitions. */
  carrierUpCount?: number;
  /** Carrier down transitions. */
  carrierDownCount?: number;
  /** Protocol-down state: 1 when an upper protocol holds it down. */
  protoDown?: number;
  /** Why it is held down. */
  protoDownReason?: { mask?: number; value?: number };
  /** Largest GSO segment count. */
  gsoMaxSegs?: number;
  /** Largest GSO size. */
  gsoMaxSize?: number;
  /** Largest GRO size. */
  groMaxSize?: number;
  /** Largest GSO size for IPv4 (Linux 6.3+). */
  gsoIpv4MaxSize?: number;
  /** Largest GRO size for IPv4 (Linux 6.3+). */
  groIpv4MaxSize?: number;
  /** Largest TSO size. */
  tsoMaxSize?: number;
  /** Largest TSO segment count. */
  tsoMaxSegs?: number;
  /** Interface alias (`ip link set … alias`). */
  ifalias?: string;
  /** Alternative names (IFLA_PROP_LIST). */
  propList?: { altIfname?: string[] };
  /** Kind and kind-specific data. */
  linkinfo?: LinkInfo;
  /** Per-family data. */
  afSpec?: LinkAfSpec;
  /** XDP attachment. */
  xdp?: LinkXdp;
  /** 32-bit counters. */
  stats?: LinkStats<number>;
  /** 64-bit counters. */
  stats64?: LinkStats<bigint>;
  /** Device memory map. */
  map?: { memStart: bigint; memEnd: bigint; baseAddr: bigint; irq: number; dma: number; port: number };
  /** Number of SR-IOV virtual functions. */
  numVf?: number;
  /** Per-VF settings (with RTEXT_FILTER_VF). */
  vfinfoList?: { info?: Record<string, unknown>[] };
  /** VF port profiles. */
  vfPorts?: { port?: Record<string, unknown>[] };
  /** This port's profile. */
  portSelf?: Record<string, unknown>;
  /** Physical port id. */
  physPortId?: Uint8Array;
  /** Physical port name. */
  physPortName?: string;
  /** Switch id. */
  physSwitchId?: Uint8Array;
  /** Parent device name (e.g. PCI address). */
  parentDevName?: string;
  /** Parent bus name (e.g. `"pci"`). */
  parentDevBusName?: string;
  /** Event that caused a notification. */
  event?: string | number;
  /** New namespace id (notifications of a namespace move). */
  newNetnsid?: number;
  /** Target namespace id of a request. */
  targetNetnsid?: number;
  /** New index (notifications of a namespace move). */
  newIfindex?: number;
  /** Wireless extension event, raw. */
  wireless?: Uint8Array;
  /** Protocol-specific data: IPv6's per-link state in an AF_INET6 link dump, else raw. */
  protinfo?: NonNullable<LinkAfSpec["inet6"]> | Uint8Array;
  /** Devlink port, raw (Linux 6.4+). */
  devlinkPort?: Uint8Array;
  /** DPLL pin (Linux 6.7+). */
  dpllPin?: { id?: number };
  /** EDT offload horizon in ns (Linux 6.13+). */
  maxPacingOffloadHorizon?: bigint;
  /** Whether the device may not change namespace (Linux 6.13+). */
  netnsImmutable?: number;
  /** Needed headroom (newer kernels). */
  headroom?: number;
  /** Needed tailroom (newer kernels). */
  tailroom?: number;
  /** Unused by the kernel (IFLA_COST), raw. */
  cost?: Uint8Array;
  /** Unused by the kernel (IFLA_PRIORITY), raw. */
  priority?: Uint8Array;
  /** IFLA_WEIGHT. */
  weight?: number;
  /** Requests only: move to the namespace of this pid. */
  netNsPid?: number;
  /** Requests only: move to the namespace of this fd. */
  netNsFd?: number;
  /** Requests only: RTEXT_FILTER_* mask. */
  extMask?: number;
  /** Requests only: an alternative name to look the device up by. */
  altIfname?: string;
  /** Attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/**
 * A bridge.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "bridge", name: "br0", stpState: 1, vlanFiltering: true });
 * ```
 */
export interface BridgeOptions extends LinkCommonOptions, BridgeSettings {
  /** The kind. */
  kind: "bridge";
}

/**
 * A kind nlink has no typed options for, created by name; its IFLA_INFO_DATA,
 * if any, given raw.
 *
 * @example
 * ```ts ignore
 * await addLink(conn, { kind: "vxcan", name: "vx0" });
 * ```
 */
export interface GenericLinkOptions extends LinkCommonOptions {
  /** The kind. */
  kind: string;
  /** Raw IFLA_INFO_DATA payload. */
  data?: Uint8Array;
}

/** What `addLink` creates: one member per kind, told apart by `kind`. */
export type AddLinkOptions =
  | VethOptions
  | NetkitOptions
  | SimpleLinkOptions
  | VirtWifiOptions
  | BridgeOptions
  | BondOptions
  | VlanOptions
  | VxlanOptions
  | GeneveOptions
  | BareudpOptions
  | MacvlanOptions
  | MacvtapOptions
  | IpvlanOptions
  | IpvtapOptions
  | VrfOptions
  | GreOptions
  | GretapOptions
  | Ip6greOptions
  | Ip6gretapOptions
  | IpipOptions
  | SitOptions
  | Ip6tnlOptions
  | VtiOptions
  | Vti6Options
  | XfrmOptions
  | MacsecOptions
  | HsrOptions
  | GenericLinkOptions;

/**
 * Create options without a name: the kernel names the link after its kind
 * (`veth0`, `dummy1`, …), as for `ip link add type KIND`.
 *
 * @example
 * ```ts ignore
 * await replaceLink(conn, { kind: "veth" }); // veth0 and its peer veth1
 * ```
 */
export type UnnamedLinkOptions = AddLinkOptions extends infer T
  ? T extends unknown ? Omit<T, "name"> & { name?: undefined } : never
  : never;

/** What the create functions take: {@linkcode AddLinkOptions}, or the same without a name. */
export type NewLinkOptions = AddLinkOptions | UnnamedLinkOptions;

/** A tunnel kind's settings without the link's own (what `type` changes). */
export type TunnelChange<T> = T extends unknown ? Omit<T, keyof LinkCommonOptions> : never;

/**
 * A kind-specific change to an existing link (`ip link set DEV type KIND …`):
 * the kinds whose settings the kernel changes in place, the IP tunnels
 * (changed over their current settings, see `setLink`), and a member's
 * settings under its master (`bridge_slave`, `bond_slave`).
 */
export type LinkTypeChange =
  | ({ kind: "bridge" } & BridgeSettings)
  | ({ kind: "bond" } & BondSettings)
  | ({ kind: "vlan" } & VlanSettings)
  | ({ kind: "vxlan" } & VxlanSettings)
  | ({ kind: "geneve" } & GeneveSettings)
  | ({ kind: "macvlan" | "macvtap" } & MacvlanSettings)
  | ({ kind: "ipvlan" | "ipvtap" } & IpvlanSettings)
  | ({ kind: "macsec" } & MacsecSettings)
  | ({ kind: "netkit" } & NetkitSettings)
  | TunnelChange<GreOptions | GretapOptions | Ip6greOptions | Ip6gretapOptions>
  | TunnelChange<IpipOptions | SitOptions | Ip6tnlOptions>
  | TunnelChange<VtiOptions | Vti6Options>
  | ({ kind: "bridge_slave" } & BridgeSlaveSettings)
  | ({ kind: "bond_slave" } & BondSlaveSettings);

/**
 * One SR-IOV virtual function's settings (`ip link set DEV vf N …`), sent in
 * IFLA_VFINFO_LIST; the driver of the physical function applies them. Each
 * setting is sent in the order of the keys, the rates last, as iproute2 does.
 */
export interface LinkVfOptions {
  /** The VF's number. */
  vf: number;
  /** Its MAC address (`mac`). */
  mac?: string;
  /**
   * Its VLAN (`vlan ID [qos Q] [proto P]`): an 802.1Q one is sent as
   * IFLA_VF_VLAN, an 802.1ad one in IFLA_VF_VLAN_LIST with `moreVlans`.
   */
  vlan?: LinkVfVlan;
  /** Further VLANs after an 802.1ad `vlan` (each `vlan …` word that follows it). */
  moreVlans?: LinkVfVlan[];
  /** The old single transmit rate limit in Mbit/s (`rate`; with `maxTxRate` or `minTxRate`, the maximum). */
  rate?: number;
  /** Maximum transmit rate in Mbit/s (`max_tx_rate`; 0: no limit). */
  maxTxRate?: number;
  /** Minimum transmit rate in Mbit/s (`min_tx_rate`; 0: none). */
  minTxRate?: number;
  /** MAC/VLAN spoof checking (`spoofchk`). */
  spoofchk?: boolean;
  /** Whether the VF may query the RSS configuration (`query_rss`). */
  queryRss?: boolean;
  /** Whether the VF is trusted (`trust`). */
  trust?: boolean;
  /** Its link state: follow the PF's, always up, always down (`state`). */
  state?: "auto" | "enable" | "disable";
  /** InfiniBand node GUID (`node_guid xx:xx:xx:xx:xx:xx:xx:xx`). */
  nodeGuid?: string;
  /** InfiniBand port GUID (`port_guid …`). */
  portGuid?: string;
}

/** A VF's VLAN: its id, priority (qos) and tag protocol (default 802.1Q). */
export interface LinkVfVlan {
  /** The VLAN id, 0-4095 (0: none). */
  id: number;
  /** The priority bits (qos). */
  qos?: number;
  /** The tag protocol. */
  protocol?: "802.1Q" | "802.1ad";
}

/** Properties `setLink` can change (`ip link set DEV …`). */
export interface SetLinkOptions {
  /** Bring the link up (true) or down (false). */
  up?: boolean;
  /** New MTU. */
  mtu?: number;
  /** New name. */
  name?: string;
  /** New link-layer address. */
  address?: string;
  /** New broadcast address. */
  broadcast?: string;
  /** Transmit queue length. */
  txqlen?: number;
  /** Interface alias ("" clears it). */
  alias?: string;
  /** Device group. */
  group?: number;
  /** Enslave to this master. */
  master?: Dev;
  /** Release from its master. */
  nomaster?: boolean;
  /** Turn ARP off (true) or on (false). */
  noarp?: boolean;
  /** Promiscuous mode. */
  promisc?: boolean;
  /** All-multicast mode. */
  allmulticast?: boolean;
  /** Multicast flag. */
  multicast?: boolean;
  /** The IFF_DYNAMIC flag (`dynamic on|off`). */
  dynamic?: boolean;
  /** The IFF_NOTRAILERS flag (true: `trailers off`; false: `trailers on`). */
  noTrailers?: boolean;
  /** Carrier state of devices that let user space set it (`carrier on|off`). */
  carrier?: boolean;
  /** Move the link to another namespace (`netns NAME|PID`); `{ pid }` is sent as a pid, others as a descriptor. */
  netns?: LinkNetns;
  /** With `netns`: the ifindex it gets there (`index`). */
  newIndex?: number;
  /** The namespace id where the link's peer lives (`link-netnsid`). */
  linkNetnsid?: number;
  /** Link mode: `"default"` or `"dormant"` (`mode`). */
  linkmode?: "default" | "dormant";
  /** Operational state (`state UP|DOWN|…`). */
  operstate?: "UNKNOWN" | "NOTPRESENT" | "DOWN" | "LOWERLAYERDOWN" | "TESTING" | "DORMANT" | "UP";
  /** Number of transmit queues. */
  numTxQueues?: number;
  /** Number of receive queues. */
  numRxQueues?: number;
  /** IPv6 address generation mode (`addrgenmode`). */
  addrgenmode?: "eui64" | "none" | "stable_secret" | "random";
  /** Protocol-down state (`protodown on|off`). */
  protoDown?: boolean;
  /** One protodown reason bit (0-31) on or off (`protodown_reason N on|off`). */
  protoDownReason?: { reason: number; on: boolean };
  /** The name of the link's parent device (`parentdev`; the kernel takes it only at creation). */
  parentDev?: string;
  /** Largest GSO packet (`gso_max_size`). */
  gsoMaxSize?: number;
  /** Largest GSO segment count (`gso_max_segs`). */
  gsoMaxSegs?: number;
  /** Largest GRO packet (`gro_max_size`). */
  groMaxSize?: number;
  /** Kind-specific changes (`type KIND …`), including a member's settings (`bridge_slave`, `bond_slave`). */
  type?: LinkTypeChange;
  /** SR-IOV virtual functions' settings (`vf N …`), in one IFLA_VFINFO_LIST. */
  vfs?: LinkVfOptions[];
}

/** Decoded IFLA_INFO_DATA by kind (what {@linkcode LinkInfo.data} holds for each). */
export interface LinkKindDataMap {
  /** tun and tap devices (decoded only: they are made through /dev/net/tun). */
  tun: TunLinkData;
  /** veth (the kernel sends none). */
  veth: VethData;
  /** netkit. */
  netkit: NetkitData;
  /** bridge: IFLA_BR_* by their camelCase C names (`stpState`, `vlanFiltering`, `groupAddr`, …). */
  bridge: Record<string, unknown>;
  /** bond. */
  bond: BondData;
  /** vlan. */
  vlan: VlanData;
  /** vxlan. */
  vxlan: VxlanData;
  /** geneve. */
  geneve: GeneveData;
  /** bareudp. */
  bareudp: BareudpData;
  /** macvlan. */
  macvlan: MacvlanData;
  /** macvtap. */
  macvtap: MacvlanData;
  /** ipvlan. */
  ipvlan: IpvlanData;
  /** ipvtap. */
  ipvtap: IpvlanData;
  /** vrf. */
  vrf: VrfData;
  /** gre. */
  gre: GreData;
  /** gretap. */
  gretap: GreData;
  /** ip6gre. */
  ip6gre: GreData;
  /** ip6gretap. */
  ip6gretap: GreData;
  /** ipip. */
  ipip: IptunData;
  /** sit. */
  sit: IptunData;
  /** ip6tnl. */
  ip6tnl: IptunData;
  /** vti. */
  vti: VtiData;
  /** vti6. */
  vti6: VtiData;
  /** xfrm. */
  xfrm: XfrmData;
  /** macsec. */
  macsec: MacsecData;
  /** hsr. */
  hsr: HsrData;
}

/** Decoded IFLA_INFO_SLAVE_DATA by the master's kind. */
export interface LinkSlaveDataMap {
  /** A bridge port: IFLA_BRPORT_* by their camelCase C names. */
  bridge: Record<string, unknown>;
  /** A bond member. */
  bond: BondSlaveData;
  /** A VRF member. */
  vrf: VrfPortData;
}
