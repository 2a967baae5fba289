/**
 * SR-IOV virtual function settings (`ip link set DEV vf N …`): typed options
 * checked and turned into IFLA_VFINFO_LIST's value, each VF an IFLA_VF_INFO
 * whose attributes follow the options' keys, the rates last (iproute2's
 * iplink_parse_vf).
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import { parseMac } from "../util/addr.ts";
import type { Link, LinkVfOptions, LinkVfVlan } from "./link_types.ts";

/** IFLA_VF_LINK_STATE values. */
const LINK_STATES = { auto: 0, enable: 1, disable: 2 } as const;

/** The ethertypes of the VLAN tag protocols. */
const VLAN_PROTOCOLS = { "802.1Q": 0x8100, "802.1ad": 0x88a8 } as const;

const KEYS = new Set([
  "vf",
  "mac",
  "vlan",
  "moreVlans",
  "rate",
  "maxTxRate",
  "minTxRate",
  "spoofchk",
  "queryRss",
  "trust",
  "state",
  "nodeGuid",
  "portGuid",
]);

function u32(value: unknown, path: string): number {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 0xffffffff) {
    throw new ValidationError(path, value, "expected an integer 0..4294967295");
  }
  return value as number;
}

function bool(value: unknown, path: string): number {
  if (typeof value !== "boolean") throw new ValidationError(path, value, "expected true or false");
  return value ? 1 : 0;
}

/** A GUID as get_guid reads it: exactly eight two-digit hex bytes joined by colons. */
function guid(value: unknown, path: string): bigint {
  if (typeof value !== "string" || !/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){7}$/.test(value)) {
    throw new ValidationError(path, value, "expected a GUID such as 00:11:22:33:44:55:66:77");
  }
  return BigInt("0x" + value.replaceAll(":", ""));
}

function vlanInfo(
  vf: number,
  v: LinkVfVlan,
  path: string,
): { vf: number; vlan: number; qos: number; vlanProto: number } {
  if (v === null || typeof v !== "object") throw new ValidationError(path, v, "expected { id, qos?, protocol? }");
  if (!Number.isInteger(v.id) || v.id < 0 || v.id > 4095) throw new ValidationError(`${path}.id`, v.id, "0..4095");
  const protocol = v.protocol ?? "802.1Q";
  if (!Object.hasOwn(VLAN_PROTOCOLS, protocol)) {
    throw new ValidationError(`${path}.protocol`, protocol, '"802.1Q" or "802.1ad"');
  }
  return { vf, vlan: v.id, qos: u32(v.qos ?? 0, `${path}.qos`), vlanProto: VLAN_PROTOCOLS[protocol] };
}

/**
 * One VF's IFLA_VF_INFO value, its attributes in the order of `o`'s keys and
 * IFLA_VF_RATE last when either rate bound is given (`rate` then stands for
 * the maximum unless `maxTxRate` is given). IFLA_VF_RATE carries both bounds:
 * one not given must have been filled in ({@linkcode withCurrentVfRates}).
 *
 * @example
 * ```ts
 * import { vfInfo } from "./link_vf.ts";
 * Object.keys(vfInfo({ vf: 0, trust: true, spoofchk: false }, "vfs[0]")); // ["trust", "spoofchk"]
 * ```
 */
export function vfInfo(o: LinkVfOptions, path: string): Record<string, unknown> {
  if (o === null || typeof o !== "object") throw new ValidationError(path, o, "expected VF settings { vf, … }");
  for (const key of Object.keys(o)) {
    if (!KEYS.has(key)) throw new ValidationError(`${path}.${key}`, (o as never)[key], "not a VF setting");
  }
  const vf = u32(o.vf, `${path}.vf`);
  const newRateApi = o.maxTxRate !== undefined || o.minTxRate !== undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(o) as (keyof LinkVfOptions)[]) {
    const at = `${path}.${key}`;
    switch (key) {
      case "mac": {
        const mac = typeof o.mac === "string" ? parseMac(o.mac) : undefined;
        if (mac === undefined) throw new ValidationError(at, o.mac, "expected a link-layer address");
        const bytes = new Uint8Array(32);
        bytes.set(mac);
        out.mac = { vf, mac: bytes };
        break;
      }
      case "vlan": {
        const first = vlanInfo(vf, o.vlan!, at);
        if (first.vlanProto === VLAN_PROTOCOLS["802.1Q"] && o.moreVlans === undefined) {
          out.vlan = { vf, vlan: first.vlan, qos: first.qos };
        } else {
          const more = o.moreVlans ?? [];
          if (!Array.isArray(more)) throw new ValidationError(`${path}.moreVlans`, more, "expected a list of VLANs");
          out.vlanList = { info: [first, ...more.map((v, i) => vlanInfo(vf, v, `${path}.moreVlans[${i}]`))] };
        }
        break;
      }
      case "moreVlans":
        if (o.vlan === undefined) throw new ValidationError(at, o.moreVlans, "goes after vlan");
        break;
      case "rate":
        // With the new rate settings the old one stands for the maximum unless that is given.
        if (!newRateApi) out.txRate = { vf, rate: u32(o.rate, at) };
        else u32(o.rate, at);
        break;
      case "spoofchk":
        out.spoofchk = { vf, setting: bool(o.spoofchk, at) };
        break;
      case "queryRss":
        out.rssQueryEn = { vf, setting: bool(o.queryRss, at) };
        break;
      case "trust":
        out.trust = { vf, setting: bool(o.trust, at) };
        break;
      case "state":
        if (!Object.hasOwn(LINK_STATES, o.state as string)) {
          throw new ValidationError(at, o.state, '"auto", "enable" or "disable"');
        }
        out.linkState = { vf, linkState: LINK_STATES[o.state!] };
        break;
      case "nodeGuid":
        out.ibNodeGuid = { vf, guid: guid(o.nodeGuid, at) };
        break;
      case "portGuid":
        out.ibPortGuid = { vf, guid: guid(o.portGuid, at) };
        break;
    }
  }
  if (newRateApi) {
    if (needsCurrentRates(o)) {
      throw new ValidationError(path, o, "both rate bounds (setLink reads the one not given from the link)");
    }
    const max = o.maxTxRate !== undefined ? u32(o.maxTxRate, `${path}.maxTxRate`) : o.rate!;
    const min = u32(o.minTxRate, `${path}.minTxRate`);
    if (max && min > max) throw new ValidationError(`${path}.minTxRate`, min, `at most maxTxRate (${max})`);
    out.rate = { vf, minTxRate: min, maxTxRate: max };
  }
  if (Object.keys(out).length === 0) throw new ValidationError(path, o, "a VF setting to change");
  return out;
}

/**
 * IFLA_VFINFO_LIST's value for `vfs`.
 *
 * @example
 * ```ts
 * import { vfInfoList } from "./link_vf.ts";
 * vfInfoList([{ vf: 1, state: "enable" }]).info.length; // 1
 * ```
 */
export function vfInfoList(vfs: readonly LinkVfOptions[]): { info: Record<string, unknown>[] } {
  if (!Array.isArray(vfs) || vfs.length === 0) throw new ValidationError("vfs", vfs, "expected a list of VF settings");
  return { info: vfs.map((o, i) => vfInfo(o, `vfs[${i}]`)) };
}

/**
 * Whether a VF's rate change leaves a bound to the current value: one of
 * `maxTxRate` and `minTxRate` is given and the other is not (`rate` counting
 * as the maximum).
 *
 * @example
 * ```ts
 * import { needsCurrentRates } from "./link_vf.ts";
 * needsCurrentRates({ vf: 0, maxTxRate: 100 }); // true
 * ```
 */
export function needsCurrentRates(o: LinkVfOptions): boolean {
  if (o?.maxTxRate === undefined && o?.minTxRate === undefined) return false;
  return (o.maxTxRate ?? o.rate) === undefined || o.minTxRate === undefined;
}

/**
 * `vfs` with the rate bounds they leave out taken from `link`'s VFs, as
 * iproute2 reads them (ipaddr_get_vf_rate): 0 when the link lists no VFs;
 * an error naming the VF when it lists others only, or no rates.
 *
 * @example
 * ```ts ignore
 * const vfs = withCurrentVfRates(options.vfs, await getLink(conn, "p0"));
 * ```
 */
export function withCurrentVfRates(vfs: readonly LinkVfOptions[], link: Link): LinkVfOptions[] {
  return vfs.map((o, i) => {
    if (!needsCurrentRates(o)) return o;
    let min = 0, max = 0;
    const list = link.vfinfoList?.info;
    if (list !== undefined && link.numVf !== undefined) {
      const rates = list.map((v) => v.rate as { vf: number; minTxRate: number; maxTxRate: number } | undefined);
      if (rates.some((r) => r === undefined)) {
        throw new ValidationError(`vfs[${i}]`, o, "the driver does not report VF min/max rates");
      }
      const r = rates.find((r) => r!.vf === o.vf);
      if (r === undefined) throw new ValidationError(`vfs[${i}].vf`, o.vf, "no such VF");
      min = r.minTxRate;
      max = r.maxTxRate;
    }
    return { ...o, maxTxRate: o.maxTxRate ?? o.rate ?? max, minTxRate: o.minTxRate ?? min };
  });
}
