/**
 * Bridge ports: list them with every port setting and spanning-tree state
 * (`bridge link show`, an AF_BRIDGE link dump) and change their settings
 * (`bridge link set`: AF_BRIDGE RTM_SETLINK with IFLA_PROTINFO). Requests are
 * byte-for-byte what the `bridge` tool sends.
 *
 * @module
 */
import type { DumpOptions, NetlinkConnection } from "../core/connection.ts";
import { ValidationError } from "../core/errors.ts";
import { REQUEST_FLAGS } from "../core/header.ts";
import { decodeMessage, encodeMessage, type MessageView } from "../core/message.ts";
import type { RawAttribute } from "../core/schema.ts";
import { MessageWriter } from "../core/writer.ts";
import {
  BRIDGE_FLAGS,
  type BridgePortState,
  checkInt,
  checkNamed,
  compact,
  type MulticastRouterType,
} from "./bridge_attrs.ts";
import { BRIDGE_LINK_MESSAGE } from "./bridge_link_attrs.ts";
import { AF, RTM } from "./constants.ts";
import { type Dev, resolveDev } from "./link_lookup.ts";

/** A bridge id: priority and MAC address. */
export interface BridgeId {
  /** The priority. */
  prio: number;
  /** The MAC address. */
  address: string;
}

/** A bridge port's settings and state, as `bridge -d link show` reports them. */
export interface BridgePortInfo {
  /** Spanning-tree state. */
  state?: BridgePortState | number;
  /** Spanning-tree port priority (0-63). */
  priority?: number;
  /** Spanning-tree path cost. */
  cost?: number;
  /** Hairpin mode: frames may go back out of the port they came in on. */
  hairpin?: boolean;
  /** BPDU guard: the port is disabled when it receives a BPDU. */
  guard?: boolean;
  /** Root block: the port may not become the root port. */
  rootBlock?: boolean;
  /** Multicast fast leave: a group is removed on the first leave message. */
  fastLeave?: boolean;
  /** Source MAC addresses are learned. */
  learning?: boolean;
  /** Unknown unicast is flooded to the port. */
  unicastFlood?: boolean;
  /** Proxy ARP. */
  proxyarp?: boolean;
  /** Learned addresses are synced to the device below. */
  learningSync?: boolean;
  /** Proxy ARP for Wi-Fi. */
  proxyarpWifi?: boolean;
  /** The root bridge. */
  rootId?: BridgeId;
  /** The designated bridge. */
  bridgeId?: BridgeId;
  /** The designated port. */
  designatedPort?: number;
  /** The designated cost. */
  designatedCost?: number;
  /** The port id. */
  id?: number;
  /** The port number. */
  no?: number;
  /** Topology change acknowledgement pending. */
  topologyChangeAck?: boolean;
  /** Configuration BPDU pending. */
  configPending?: boolean;
  /** Message age timer (1/100 s). */
  messageAgeTimer?: bigint;
  /** Forward delay timer (1/100 s). */
  forwardDelayTimer?: bigint;
  /** Hold timer (1/100 s). */
  holdTimer?: bigint;
  /** Multicast router mode. */
  mcastRouter?: MulticastRouterType | number;
  /** Unknown multicast is flooded to the port. */
  mcastFlood?: boolean;
  /** Multicast is sent to each member as unicast. */
  mcastToUnicast?: boolean;
  /** VLAN-to-tunnel mapping (VXLAN ports). */
  vlanTunnel?: boolean;
  /** Broadcast is flooded to the port. */
  bcastFlood?: boolean;
  /** Which link-local group addresses (01:80:c2:00:00:0X, bit X) are forwarded. */
  groupFwdMask?: number;
  /** ARP/ND suppression. */
  neighSuppress?: boolean;
  /** Isolated: talks to non-isolated ports only. */
  isolated?: boolean;
  /** The port that takes over when this one goes down. */
  backupPort?: number;
  /** MRP ring open. */
  mrpRingOpen?: boolean;
  /** MRP interconnection open. */
  mrpInOpen?: boolean;
  /** Most tracked hosts per multicast group (IGMPv3/MLDv2). */
  mcastEhtHostsLimit?: number;
  /** Tracked hosts. */
  mcastEhtHostsCnt?: number;
  /** Locked: only hosts with a static FDB entry may send. */
  locked?: boolean;
  /** MAC authentication bypass (Linux 6.2+). */
  mab?: boolean;
  /** Multicast groups joined (Linux 6.3+). */
  mcastNGroups?: number;
  /** The most multicast groups allowed, 0 for no limit (Linux 6.3+). */
  mcastMaxGroups?: number;
  /** Per-VLAN ARP/ND suppression (Linux 6.6+). */
  neighVlanSuppress?: boolean;
  /** The backup next hop id (Linux 6.7+). */
  backupNhid?: number;
}

/** A bridge port as `bridge link show` lists it: the link, and its port settings side by side. */
export interface BridgePort extends BridgePortInfo {
  /** The port's ifindex. */
  ifindex: number;
  /** Its name. */
  name?: string;
  /** Interface flags (`"UP"`, `"LOWER_UP"`, …). */
  flags: string[];
  /** MTU. */
  mtu?: number;
  /** Its bridge. */
  master?: number;
  /** Operational state. */
  operstate?: string | number;
  /** Link-layer address. */
  address?: string;
  /** Hardware bridging mode of a device that bridges itself (`"veb"`, `"vepa"`). */
  hwmode?: "veb" | "vepa" | "undef" | number;
  /** Port attributes nlink does not know, kept as they came. */
  unknownAttrs?: RawAttribute[];
}

/**
 * Decodes an AF_BRIDGE RTM_NEWLINK / RTM_DELLINK message (a `bridge link
 * show` dump reply, or a notification) as a port; undefined for messages of
 * other families.
 *
 * @example
 * ```ts ignore
 * import { decodeBridgePort } from "./bridge_port.ts";
 * const port = decodeBridgePort(msg); // { ifindex, name, master, state: "forwarding", learning: true, … }
 * ```
 */
export function decodeBridgePort(msg: MessageView): BridgePort | undefined {
  const m = decodeMessage(BRIDGE_LINK_MESSAGE, msg) as {
    family: unknown;
    index: number;
    flags: string[];
    name?: string;
    mtu?: number;
    master?: number;
    operstate?: string | number;
    address?: string;
    protinfo?: BridgePortInfo & { unknownAttrs?: RawAttribute[] };
    afSpec?: { mode?: BridgePort["hwmode"] };
  };
  if (m.family !== "bridge") return undefined;
  const { index, flags, name, mtu, master, operstate, address } = m;
  return compact({
    ifindex: index,
    name,
    flags,
    mtu,
    master,
    operstate,
    address,
    ...m.protinfo,
    hwmode: m.afSpec?.mode,
  });
}

const decodeDumped = (m: MessageView): BridgePort | undefined =>
  m.type === RTM.NEWLINK ? decodeBridgePort(m) : undefined;

/**
 * Builds the AF_BRIDGE RTM_GETLINK dump request of `bridge link show`.
 *
 * @example
 * ```ts
 * import { bridgePortDumpRequest } from "./bridge_port.ts";
 * bridgePortDumpRequest().length; // 32
 * ```
 */
export function bridgePortDumpRequest(): Uint8Array {
  const w = new MessageWriter(32);
  encodeMessage(w, BRIDGE_LINK_MESSAGE, RTM.GETLINK, REQUEST_FLAGS.dump, { family: "bridge" });
  return w.bytes();
}

/** Filters for {@linkcode getBridgePorts} (the kernel filters bridge link dumps by nothing: these filter the replies). */
export interface GetBridgePortsOptions extends DumpOptions {
  /** Only this port. */
  dev?: Dev;
  /** Only this bridge's ports. */
  master?: Dev;
}

/**
 * Every bridge port (and device that bridges in hardware) with its settings
 * and spanning-tree state, like `bridge -d link show`.
 *
 * @example
 * ```ts ignore
 * const ports = await getBridgePorts(conn, { master: "br0" });
 * ports[0].learning; // true
 * ```
 */
export async function getBridgePorts(
  conn: NetlinkConnection,
  options: GetBridgePortsOptions = {},
): Promise<BridgePort[]> {
  const dev = options.dev === undefined ? undefined : await resolveDev(conn, options.dev);
  const master = options.master === undefined ? undefined : await resolveDev(conn, options.master, "master");
  const all = await conn.dump(bridgePortDumpRequest(), decodeDumped, "getBridgePorts", options);
  return all.filter((p) => (dev === undefined || p.ifindex === dev) && (master === undefined || p.master === master));
}

/** What {@linkcode setBridgePort} changes (`bridge link set dev PORT …`); unset options stay as they are. */
export interface BridgePortOptions {
  /** Spanning-tree state (only while STP is off on the bridge). */
  state?: BridgePortState | number;
  /** Spanning-tree port priority, 0-63. */
  priority?: number;
  /** Spanning-tree path cost, 1-65535. */
  cost?: number;
  /** BPDU guard. */
  guard?: boolean;
  /** Hairpin mode (reflective relay). */
  hairpin?: boolean;
  /** Multicast fast leave. */
  fastLeave?: boolean;
  /** Root block. */
  rootBlock?: boolean;
  /** Learn source MAC addresses. */
  learning?: boolean;
  /** Sync learned addresses to the device below. */
  learningSync?: boolean;
  /** Flood unknown unicast to the port. */
  unicastFlood?: boolean;
  /** Multicast router mode. */
  mcastRouter?: MulticastRouterType | number;
  /** Flood unknown multicast to the port. */
  mcastFlood?: boolean;
  /** Flood broadcast to the port. */
  bcastFlood?: boolean;
  /** Send multicast to each member as unicast. */
  mcastToUnicast?: boolean;
  /** ARP/ND suppression. */
  neighSuppress?: boolean;
  /** VLAN-to-tunnel mapping (VXLAN ports). */
  vlanTunnel?: boolean;
  /** Isolate the port. */
  isolated?: boolean;
  /** Lock the port (only hosts with a static FDB entry may send). */
  locked?: boolean;
  /** The port that takes over when this one goes down; `null` removes it (`nobackup_port`). */
  backupPort?: Dev | null;
  /** Proxy ARP. */
  proxyarp?: boolean;
  /** Proxy ARP for Wi-Fi. */
  proxyarpWifi?: boolean;
  /** Which link-local group addresses (01:80:c2:00:00:0X, bit X) to forward. */
  groupFwdMask?: number;
  /** Most tracked hosts per multicast group. */
  mcastEhtHostsLimit?: number;
  /** MAC authentication bypass (Linux 6.2+; needs `locked` and learning). */
  mab?: boolean;
  /** The most multicast groups allowed, 0 for no limit (Linux 6.3+). */
  mcastMaxGroups?: number;
  /** Per-VLAN ARP/ND suppression (Linux 6.6+). */
  neighVlanSuppress?: boolean;
  /** The backup next hop id (Linux 6.7+). */
  backupNhid?: number;
  /** Flush the port's dynamically learned FDB entries. */
  flush?: boolean;
  /** Hardware bridging mode of a device that bridges itself (implies `self`). */
  hwmode?: "veb" | "vepa";
  /** Apply to the device itself (a device that bridges in hardware). */
  self?: boolean;
  /** Apply through the device's bridge (the default). */
  master?: boolean;
}

/**
 * Builds the AF_BRIDGE RTM_SETLINK request of `bridge link set`: IFLA_PROTINFO
 * with the port settings (in iproute2's order; the settings iproute2 6.1 lacks
 * after them), then IFLA_AF_SPEC with master/self and the hardware mode when
 * given. `backupPort` is the resolved ifindex of `o.backupPort`. Appends to
 * `w` when given (for batches) and returns this request's bytes.
 *
 * @example
 * ```ts
 * import { bridgePortSetRequest } from "./bridge_port.ts";
 * bridgePortSetRequest(3, { learning: false }).length; // 44
 * ```
 */
export function bridgePortSetRequest(
  index: number,
  o: BridgePortOptions,
  backupPort?: number,
  w: MessageWriter = new MessageWriter(192),
): Uint8Array {
  if (o === null || typeof o !== "object") throw new ValidationError("port options", o, "expected an object");
  const opt = <T>(x: T | undefined, check: (x: T) => unknown) => (x === undefined ? undefined : (check(x), x));
  if (o.backupPort !== undefined && o.backupPort !== null && backupPort === undefined) {
    throw new ValidationError("backupPort", o.backupPort, "resolve it to an ifindex first");
  }
  const protinfo = {
    guard: o.guard,
    hairpin: o.hairpin,
    fastLeave: o.fastLeave,
    rootBlock: o.rootBlock,
    unicastFlood: o.unicastFlood,
    mcastRouter: checkNamed(o.mcastRouter, "mcastRouter", 3),
    mcastFlood: o.mcastFlood,
    bcastFlood: o.bcastFlood,
    mcastToUnicast: o.mcastToUnicast,
    learning: o.learning,
    learningSync: o.learningSync,
    cost: opt(o.cost, (x) => checkInt(x, "cost", 1, 65535)),
    priority: opt(o.priority, (x) => checkInt(x, "priority", 0, 63)),
    state: checkNamed(o.state, "state", 4),
    neighSuppress: o.neighSuppress,
    vlanTunnel: o.vlanTunnel,
    isolated: o.isolated,
    locked: o.locked,
    backupPort: o.backupPort === null ? 0 : o.backupPort === undefined ? undefined : backupPort,
    proxyarp: o.proxyarp,
    proxyarpWifi: o.proxyarpWifi,
    groupFwdMask: opt(o.groupFwdMask, (x) => checkInt(x, "groupFwdMask", 0, 0xffff)),
    mcastEhtHostsLimit: o.mcastEhtHostsLimit,
    mab: o.mab,
    mcastMaxGroups: o.mcastMaxGroups,
    neighVlanSuppress: o.neighVlanSuppress,
    backupNhid: o.backupNhid,
    flush: o.flush,
  };
  const attrs: Record<string, unknown> = { protinfo };
  if (o.hwmode !== undefined && o.hwmode !== "veb" && o.hwmode !== "vepa") {
    throw new ValidationError("hwmode", o.hwmode, 'expected "veb" or "vepa"');
  }
  // As iproute2: a hardware mode is for the device itself.
  const flags = (o.master ? BRIDGE_FLAGS.bit("master") : 0) |
    (o.self || o.hwmode !== undefined ? BRIDGE_FLAGS.bit("self") : 0);
  if (flags || o.hwmode !== undefined) attrs.afSpec = { flags: flags || undefined, mode: o.hwmode };
  const header = { family: "bridge", index };
  const at = encodeMessage(w, BRIDGE_LINK_MESSAGE, RTM.SETLINK, REQUEST_FLAGS.ack, header, attrs, AF.BRIDGE);
  return w.bytes().subarray(at);
}

/**
 * Changes a bridge port's settings, like `bridge link set dev PORT …`.
 *
 * @example
 * ```ts ignore
 * await setBridgePort(conn, "p0", { learning: false, unicastFlood: false, cost: 100, state: "blocking" });
 * ```
 */
export async function setBridgePort(conn: NetlinkConnection, dev: Dev, options: BridgePortOptions): Promise<void> {
  bridgePortSetRequest(1, options, 1); // bad input fails here, before any device look-up
  const index = await resolveDev(conn, dev);
  const b = options.backupPort;
  const backup = b === undefined || b === null ? undefined : await resolveDev(conn, b, "backupPort");
  await conn.ack(bridgePortSetRequest(index, options, backup), `setBridgePort ${dev}`);
}
