/**
 * Kind-specific link data (IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA): every
 * kind's codec by name — its schema for decoding, its encoder for the typed
 * options. A kind not listed here still decodes: its data stays raw bytes.
 *
 * @module
 */
import type { Variants } from "../core/schema.ts";
import { registerLinkKinds } from "./link_kind_registry.ts";
import { BRIDGE, BRIDGE_SLAVE } from "./link_bridge.ts";
import { BAREUDP } from "./kinds/bareudp.ts";
import { BOND, BOND_SLAVE } from "./kinds/bond.ts";
import type { KindCodec } from "./kinds/common.ts";
import { GENEVE } from "./kinds/geneve.ts";
import { GRE, GRE6 } from "./kinds/gre.ts";
import { HSR } from "./kinds/hsr.ts";
import { IP6TNL, IPIP, SIT } from "./kinds/iptun.ts";
import { IPVLAN } from "./kinds/ipvlan.ts";
import { MACSEC } from "./kinds/macsec.ts";
import { MACVLAN } from "./kinds/macvlan.ts";
import { NETKIT, VETH } from "./kinds/pair.ts";
import { SIMPLE } from "./kinds/simple.ts";
import { TUN } from "./kinds/tun.ts";
import { VLAN } from "./kinds/vlan.ts";
import { VRF, VRF_PORT_ATTRS } from "./kinds/vrf.ts";
import { VTI, VTI6 } from "./kinds/vti.ts";
import { VXLAN } from "./kinds/vxlan.ts";
import { XFRM } from "./kinds/xfrm.ts";

// The tables are built on first use, not at load: this module and the kinds
// whose data nests a whole link message (veth, netkit) import each other
// through link_attrs.ts, and whichever loads first must not see the other
// half-initialised.
let kinds: Record<string, KindCodec> | undefined;
let slaveKinds: Record<string, KindCodec> | undefined;
let kindSchemas: Variants | undefined;
let slaveSchemas: Variants | undefined;

function allKinds(): Record<string, KindCodec> {
  return kinds ??= {
    dummy: SIMPLE,
    ifb: SIMPLE,
    nlmon: SIMPLE,
    vcan: SIMPLE,
    team: SIMPLE,
    wireguard: SIMPLE,
    virt_wifi: SIMPLE,
    veth: VETH,
    tun: TUN,
    netkit: NETKIT,
    bridge: BRIDGE,
    bond: BOND,
    vlan: VLAN,
    vxlan: VXLAN,
    geneve: GENEVE,
    bareudp: BAREUDP,
    macvlan: MACVLAN,
    macvtap: MACVLAN,
    ipvlan: IPVLAN,
    ipvtap: IPVLAN,
    vrf: VRF,
    gre: GRE,
    gretap: GRE,
    erspan: { schema: GRE.schema }, // decoded; its ERSPAN options are not typed yet
    ip6gre: GRE6,
    ip6gretap: GRE6,
    ip6erspan: { schema: GRE6.schema },
    ipip: IPIP,
    sit: SIT,
    ip6tnl: IP6TNL,
    vti: VTI,
    vti6: VTI6,
    xfrm: XFRM,
    macsec: MACSEC,
    hsr: HSR,
  };
}

function allSlaveKinds(): Record<string, KindCodec> {
  return slaveKinds ??= { bridge: BRIDGE_SLAVE, bond: BOND_SLAVE, vrf: { schema: VRF_PORT_ATTRS } };
}

/**
 * The codec of a link kind (IFLA_INFO_KIND), or undefined for kinds nlink
 * does not know (created by name, their data raw).
 *
 * @example
 * ```ts
 * import { linkKindCodec } from "./link_kinds.ts";
 * linkKindCodec("vlan")?.schema?.prefix; // "IFLA_VLAN_"
 * ```
 */
export function linkKindCodec(kind: string): KindCodec | undefined {
  return Object.hasOwn(allKinds(), kind) ? allKinds()[kind] : undefined;
}

/**
 * The codec of a master kind's member settings (`bridge`, `bond`, `vrf`),
 * for IFLA_INFO_SLAVE_DATA.
 *
 * @example
 * ```ts
 * import { linkSlaveKindCodec } from "./link_kinds.ts";
 * linkSlaveKindCodec("bond")?.schema?.prefix; // "IFLA_BOND_SLAVE_"
 * ```
 */
export function linkSlaveKindCodec(kind: string): KindCodec | undefined {
  return Object.hasOwn(allSlaveKinds(), kind) ? allSlaveKinds()[kind] : undefined;
}

function schemas(codecs: Readonly<Record<string, KindCodec>>): Variants {
  return Object.fromEntries(
    Object.entries(codecs).filter(([, c]) => c.schema !== undefined).map(([k, c]) => [k, c.schema!]),
  );
}

/**
 * IFLA_INFO_DATA layouts by kind.
 *
 * @example
 * ```ts
 * import { linkKindSchemas } from "./link_kinds.ts";
 * "vxlan" in linkKindSchemas(); // true
 * ```
 */
export function linkKindSchemas(): Variants {
  return kindSchemas ??= schemas(allKinds());
}

/**
 * IFLA_INFO_SLAVE_DATA layouts by slave kind (the master's kind).
 *
 * @example
 * ```ts
 * import { linkSlaveKindSchemas } from "./link_kinds.ts";
 * "bridge" in linkSlaveKindSchemas(); // true
 * ```
 */
export function linkSlaveKindSchemas(): Variants {
  return slaveSchemas ??= schemas(allSlaveKinds());
}

// Links decoded from now on find the kinds' layouts (see link_kind_registry.ts).
registerLinkKinds({ kinds: linkKindSchemas, slaveKinds: linkSlaveKindSchemas });
