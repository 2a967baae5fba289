/**
 * The public types of every link kind in one place: `XxxOptions` to create
 * (`addLink`), `XxxSettings` to change (`setLink(dev, { type })`), `XxxData`
 * as decoded (`linkData(link, kind)`).
 *
 * @module
 */
export type { BareudpData, BareudpOptions } from "./bareudp.ts";
export type { BondData, BondOptions, BondSettings, BondSlaveData, BondSlaveSettings } from "./bond.ts";
export type { GeneveData, GeneveOptions, GeneveSettings } from "./geneve.ts";
export type {
  GreCommonSettings,
  GreData,
  GreOptions,
  GreSettings,
  GretapOptions,
  Ip6greOptions,
  Ip6gretapOptions,
} from "./gre.ts";
export type { HsrData, HsrOptions } from "./hsr.ts";
export type {
  Ip4TunnelSettings,
  Ip6tnlOptions,
  IpipOptions,
  IptunCommonSettings,
  IptunData,
  SitOptions,
} from "./iptun.ts";
export type { IpvlanData, IpvlanOptions, IpvlanSettings, IpvtapOptions } from "./ipvlan.ts";
export type { MacsecData, MacsecOptions, MacsecSettings } from "./macsec.ts";
export type { MacvlanData, MacvlanMacaddr, MacvlanOptions, MacvlanSettings, MacvtapOptions } from "./macvlan.ts";
export type {
  NetkitData,
  NetkitOptions,
  NetkitSettings,
  PeerMessage,
  PeerOptions,
  VethData,
  VethOptions,
} from "./pair.ts";
export type { SimpleLinkOptions, VirtWifiOptions } from "./simple.ts";
export type { Ip6TunnelSettings, TunnelEncapSettings } from "./tunnel.ts";
export type { VlanData, VlanOptions, VlanQosMapping, VlanSettings } from "./vlan.ts";
export type { VrfData, VrfOptions, VrfPortData } from "./vrf.ts";
export type { Vti6Options, VtiData, VtiOptions, VtiSettings } from "./vti.ts";
export type { VxlanData, VxlanOptions, VxlanSettings } from "./vxlan.ts";
export type { XfrmData, XfrmOptions } from "./xfrm.ts";
export type { BridgeSettings, BridgeSlaveSettings } from "../link_bridge.ts";
