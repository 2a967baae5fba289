/**
 * The decoded shape of a link, as {@linkcode getLinks} returns it: the
 * ifinfomsg header fields and every IFLA_* attribute the kernel sent, by name.
 *
 * @module
 */
import type { RawAttribute } from "../core/schema.ts";

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
  /** Protocol-specific data, raw. */
  protinfo?: Uint8Array;
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
