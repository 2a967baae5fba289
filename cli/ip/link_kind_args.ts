/**
 * `ip link add|set … type KIND ARGS…`: iproute2's per-kind words (the
 * parse_opt of ip/iplink_*.c and ip/link_*.c) mapped onto the library's
 * typed kind options. Each kind's words are a table, tried in iproute2's
 * order so that abbreviations resolve as they do there.
 *
 * @module
 */
import { invalidArgument, UsageError } from "../common/args.ts";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  getAddr,
  isMulticastPrefix,
  parseLladdr,
  parseUnsigned,
  prefixText,
  readAddr,
} from "../common/inet.ts";
import { tableId } from "../common/names.ts";
import { kindWordError } from "./link_help.ts";
import { llProto } from "../common/ll_proto.ts";

/** The library options a kind's words give (merged into the add/set options). */
export type KindArgs = Record<string, unknown>;

/** The namespace's devices by name, as a kind's parser looks them up (the CLI's link table). */
export interface KindDevices {
  /** The ifindex of a name (0: none), as iproute2's ll_name_to_index. */
  index(name: string): number;
}

/** How one word sets options: from its value (`takes`), or alone. */
interface Word {
  /** The keyword (a prefix of it matches, unless `exact`). */
  word: string;
  exact?: boolean;
  /** Words that take no value. */
  alone?: (o: KindArgs) => void;
  /** Words that take one value (`devices`: see {@linkcode parseKindArgs}). */
  takes?: (v: string, o: KindArgs, next: () => string, devices: KindDevices | undefined) => void;
}

/** A whole unsigned number up to `max`, or iproute2's invarg(`what`). */
function uint(v: string, what: string, max = 0xffffffff): number {
  const n = parseUnsigned(v, max);
  if (n === undefined) throw invalidArgument(what, v);
  return n;
}

/** A u64 (bridge multicast intervals) as a bigint. */
function u64(v: string, what: string): bigint {
  if (!/^(0[xX][0-9a-fA-F]+|\d+)$/.test(v)) throw invalidArgument(what, v);
  const n = BigInt(v);
  if (n > 0xffffffffffffffffn) throw invalidArgument(what, v);
  return n;
}

function lladdr(v: string): string {
  return Array.from(parseLladdr(v), (x) => x.toString(16).padStart(2, "0")).join(":");
}

/** `on`/`off` as vlan's own on/off reader takes them: exactly, anything else fails. */
function onOff(what: string, v: string): boolean {
  if (v === "on") return true;
  if (v === "off") return false;
  throw new UsageError(`Error: argument of "${what}" must be "on" or "off", not "${v}"`, 1);
}

/** `on`/`off` as iproute2's parse_on_off reads them (parse_one_of: a prefix, `off` first). */
function oneOfOnOff(what: string, v: string): boolean {
  if (v !== "" && "off".startsWith(v)) return false;
  if (v !== "" && "on".startsWith(v)) return true;
  throw new UsageError(`Error: argument of "${what}" must be one of "off", "on", not "${v}"`, 1);
}

/** An IPv4 address as get_addr32 reads it (bond ARP targets, dotted keys); its error exits 1. */
function addr32(v: string): string {
  const a = readAddr(v, AF_INET);
  if (a === undefined || a.wildcard) throw new UsageError(`Error: an IP address is expected rather than "${v}"`, 1);
  return prefixText(a, false);
}

/** A TOS/dsfield: `inherit`, or hex (rtnl_dsfield_a2n). */
function tos(v: string): number | "inherit" {
  if (v === "inherit") return "inherit";
  const n = parseUnsigned(v, 255, 16);
  if (n === undefined) throw invalidArgument("bad TOS value", v);
  return n;
}

/** A TTL: `inherit`, or 0-255 (0 also as `auto` where `auto` is allowed). */
function ttl(v: string, auto: boolean): number | "inherit" | "auto" {
  if (v === "inherit") return "inherit";
  if (auto && v === "auto") return "auto";
  return uint(v, "invalid TTL", 255);
}

/** Option setters. */
const set = (key: string, conv: (v: string) => unknown) => (v: string, o: KindArgs) => {
  o[key] = conv(v);
};
const flag = (key: string, value: unknown = true) => (o: KindArgs) => {
  o[key] = value;
};
const num = (key: string, what: string, max?: number) => set(key, (v) => uint(v, what, max));
const str = (key: string) => set(key, (v) => v);

/**
 * A device word: looked up as it is read, as the kind's parser does, so that
 * a name that names nothing fails there (before any later word), the way that
 * parser fails (`fail`). Without `devices` the name is kept for the library.
 */
const device =
  (key: string, fail: (name: string) => never) =>
  (v: string, o: KindArgs, _next: () => string, devices: KindDevices | undefined) => {
    o[key] = devices === undefined ? v : devices.index(v) || fail(v);
  };
/** `exit(nodev(name))`: the tunnels' and vxlan's `dev`. */
const exitNodev = (name: string): never => {
  throw new UsageError(`Cannot find device "${name}"`, 255);
};
/** `return nodev(name)`: bond's `primary` and `active_slave`. */
const returnNodev = (name: string): never => {
  throw new UsageError(`Cannot find device "${name}"`, 1);
};
/** hsr's `invarg("No such interface", name)`. */
const noSuchInterface = (name: string): never => {
  throw invalidArgument("No such interface", name);
};
/** bridge_slave's `invarg("Device does not exist\n", name)`. */
const deviceDoesNotExist = (name: string): never => {
  throw invalidArgument("Device does not exist\n", name);
};

/** Runs `args` through a kind's word table. */
function parseWords(kind: string, words: Word[], args: string[], devices?: KindDevices): KindArgs {
  const o: KindArgs = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    const w = words.find((w) => (w.exact ? a === w.word : a.length > 0 && w.word.startsWith(a)));
    if (w === undefined) {
      throw kindWordError(kind, a);
    }
    if (w.alone) w.alone(o);
    else w.takes!(next(), o, next, devices);
  }
  return o;
}

// ------------------------------------------------------------------ udp tunnels

/** The family of an address word already read (AF_UNSPEC when none). */
function familyOf(text: unknown): number {
  return typeof text === "string" ? (text.includes(":") ? AF_INET6 : AF_INET) : AF_UNSPEC;
}

/**
 * vxlan's `group`, `remote` and `local` as vxlan_parse_opt reads them, in
 * word order: the address in the family of the other one given, a group
 * multicast, a remote or local address not (nor `any`), never a group and a
 * remote together.
 */
function vxlanAddress(key: "group" | "remote" | "local"): NonNullable<Word["takes"]> {
  return (v, o) => {
    const other = key === "group" ? o.remote : key === "remote" ? o.group : undefined;
    if (other !== undefined) throw new UsageError("vxlan: both group and remote cannot be specified", 1);
    const a = getAddr(v, familyOf(key === "local" ? o.group ?? o.remote : o.local));
    if (a.wildcard || isMulticastPrefix(a) !== (key === "group")) throw invalidArgument(`invalid ${key} address`, v);
    o[key] = prefixText(a, false);
  };
}

/** What geneve_parse_opt refuses once every word is read (a new device: its VNI and remote, unless external). */
function checkGeneve(o: KindArgs, create: boolean): void {
  if (o.external === true && o.id !== undefined) {
    throw new UsageError("geneve: both 'external' and vni cannot be specified", 1);
  }
  if (o.external === true) return;
  if (o.id === undefined) throw new UsageError("geneve: missing virtual network identifier", 1);
  if (create && o.remote === undefined) throw new UsageError("geneve: remote link partner not specified", 1);
}

/** gre_parse_opt's refusal of a multicast remote without a local address (a new device; `set` reads the link's). */
function checkGre(o: KindArgs): void {
  const remote = typeof o.remote === "string" && o.remote !== "any" ? getAddr(o.remote, AF_INET) : undefined;
  if (remote && isMulticastPrefix(remote) && (o.local === undefined || o.local === "any")) {
    throw new UsageError("A broadcast tunnel requires a source address.", 1);
  }
}

/** bareudp_parse_opt's required words (missarg: exit 255). */
function checkBareudp(o: KindArgs): void {
  for (const key of ["dstport", "ethertype"]) {
    if (o[key] === undefined) throw new UsageError(`Error: argument "${key}" is required`);
  }
}

/**
 * What vxlan_parse_opt refuses once every word is read, and its warning
 * (on stderr) for a new device without `dstport`; `create` for add and
 * replace, not `ip link set … type vxlan`.
 */
function checkVxlan(o: KindArgs, create: boolean, warn: (message: string) => void): void {
  if (o.vnifilter === true && o.external !== true) {
    throw new UsageError("vxlan: vnifilter is valid only when 'external' is set", 1);
  }
  if (o.external === true && o.id !== undefined) {
    throw new UsageError("vxlan: both 'external' and vni cannot be specified", 1);
  }
  if (o.external !== true && o.vnifilter !== true && o.id === undefined && create) {
    throw new UsageError("vxlan: missing virtual network identifier", 1);
  }
  if (o.group !== undefined && o.dev === undefined) {
    throw new UsageError("vxlan: 'group' requires 'dev' to be specified", 1);
  }
  if (o.dstport === undefined && o.gpe !== true && create) {
    warn(
      "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\n" +
        "Use 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message",
    );
  }
}

/** xfrm_parse_opt's refusal of `external` with an if_id or a device. */
function checkXfrm(o: KindArgs): void {
  if (o.external === true && (o.ifId !== undefined || o.dev !== undefined)) {
    throw new UsageError("xfrmi: both 'external' and if_id/link cannot be specified", 1);
  }
}

/** The checks a kind's iproute2 parser makes once every word is read (`create`: add or replace, not set). */
const KIND_CHECKS: Record<string, (o: KindArgs, create: boolean, warn: (message: string) => void) => void> = {
  vxlan: checkVxlan,
  geneve: checkGeneve,
  bareudp: checkBareudp,
  gre: (o, create) => create && checkGre(o),
  gretap: (o, create) => create && checkGre(o),
  xfrm: checkXfrm,
};

const VXLAN: Word[] = [
  { word: "id", takes: num("id", "invalid id", 0xffffff) },
  { word: "vni", takes: num("id", "invalid id", 0xffffff) },
  { word: "group", takes: vxlanAddress("group") },
  { word: "remote", takes: vxlanAddress("remote") },
  { word: "local", takes: vxlanAddress("local") },
  { word: "dev", takes: device("dev", exitNodev) },
  { word: "ttl", takes: set("ttl", (v) => ttl(v, true)) },
  { word: "hoplimit", takes: set("ttl", (v) => ttl(v, true)) },
  { word: "tos", takes: set("tos", tos) },
  { word: "dsfield", takes: set("tos", tos) },
  { word: "df", takes: str("df") },
  { word: "label", takes: num("flowlabel", "invalid flowlabel", 0xfffff) },
  { word: "flowlabel", takes: num("flowlabel", "invalid flowlabel", 0xfffff) },
  { word: "ageing", takes: set("ageing", (v) => (v === "none" ? 0 : uint(v, "ageing timer"))) },
  { word: "maxaddress", takes: set("maxaddress", (v) => (v === "unlimited" ? 0 : uint(v, "max addresses"))) },
  {
    word: "port",
    takes: (v, o, next) => (o.srcport = { low: uint(v, "min port", 65535), high: uint(next(), "max port", 65535) }),
  },
  {
    word: "srcport",
    takes: (v, o, next) => (o.srcport = { low: uint(v, "min port", 65535), high: uint(next(), "max port", 65535) }),
  },
  { word: "dstport", takes: num("dstport", "dst port", 65535) },
  { word: "nolearning", alone: flag("learning", false) },
  { word: "learning", alone: flag("learning") },
  { word: "noproxy", alone: flag("proxy", false) },
  { word: "proxy", alone: flag("proxy") },
  { word: "norsc", alone: flag("rsc", false) },
  { word: "rsc", alone: flag("rsc") },
  { word: "nol2miss", alone: flag("l2miss", false) },
  { word: "l2miss", alone: flag("l2miss") },
  { word: "nol3miss", alone: flag("l3miss", false) },
  { word: "l3miss", alone: flag("l3miss") },
  { word: "udpcsum", alone: flag("udpcsum") },
  { word: "noudpcsum", alone: flag("udpcsum", false) },
  { word: "udp6zerocsumtx", alone: flag("udp6zerocsumtx") },
  { word: "noudp6zerocsumtx", alone: flag("udp6zerocsumtx", false) },
  { word: "udp6zerocsumrx", alone: flag("udp6zerocsumrx") },
  { word: "noudp6zerocsumrx", alone: flag("udp6zerocsumrx", false) },
  { word: "remcsumtx", alone: flag("remcsumtx") },
  { word: "noremcsumtx", alone: flag("remcsumtx", false) },
  { word: "remcsumrx", alone: flag("remcsumrx") },
  { word: "noremcsumrx", alone: flag("remcsumrx", false) },
  { word: "external", alone: flag("external") },
  { word: "noexternal", alone: flag("external", false) },
  { word: "gbp", alone: flag("gbp") },
  { word: "gpe", alone: flag("gpe") },
  { word: "vnifilter", exact: true, alone: flag("vnifilter") },
  { word: "novnifilter", exact: true, alone: flag("vnifilter", false) },
];

const GENEVE: Word[] = [
  { word: "id", takes: num("id", "invalid id", 0xffffff) },
  { word: "vni", takes: num("id", "invalid id", 0xffffff) },
  {
    word: "remote",
    takes: set("remote", (v) => {
      const a = getAddr(v, AF_UNSPEC);
      if (a.wildcard || isMulticastPrefix(a)) throw invalidArgument("invalid remote address", v);
      return prefixText(a, false);
    }),
  },
  { word: "ttl", takes: set("ttl", (v) => ttl(v, true)) },
  { word: "hoplimit", takes: set("ttl", (v) => ttl(v, true)) },
  { word: "tos", takes: set("tos", tos) },
  { word: "dsfield", takes: set("tos", tos) },
  { word: "df", takes: str("df") },
  { word: "label", takes: num("flowlabel", "invalid flowlabel", 0xfffff) },
  { word: "flowlabel", takes: num("flowlabel", "invalid flowlabel", 0xfffff) },
  { word: "dstport", takes: num("dstport", "dstport", 65535) },
  { word: "external", alone: flag("external") },
  { word: "noexternal", alone: flag("external", false) },
  { word: "udpcsum", alone: flag("udpcsum") },
  { word: "noudpcsum", alone: flag("udpcsum", false) },
  { word: "udp6zerocsumtx", alone: flag("udp6zerocsumtx") },
  { word: "noudp6zerocsumtx", alone: flag("udp6zerocsumtx", false) },
  { word: "udp6zerocsumrx", alone: flag("udp6zerocsumrx") },
  { word: "noudp6zerocsumrx", alone: flag("udp6zerocsumrx", false) },
  { word: "innerprotoinherit", alone: flag("innerprotoinherit") },
];

const BAREUDP: Word[] = [
  { word: "dstport", takes: num("dstport", "dstport", 65535) },
  {
    word: "ethertype",
    takes: set("ethertype", (v) => {
      const p = llProto(v);
      if (p === undefined) throw invalidArgument("ethertype", v);
      return p;
    }),
  },
  { word: "srcportmin", takes: num("srcportmin", "srcportmin", 65535) },
  { word: "multiproto", alone: flag("multiproto") },
  { word: "nomultiproto", alone: flag("multiproto", false) },
];

// ------------------------------------------------------------------ devices on a parent

const MACVLAN: Word[] = [
  {
    word: "mode",
    takes: set("mode", (v) => {
      if (["private", "vepa", "bridge", "passthru", "source"].includes(v)) return v;
      throw new UsageError(
        `Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"`,
        1,
      );
    }),
  },
  {
    word: "flag",
    takes: (v, o) => {
      if (v === "nopromisc") o.nopromisc = true;
      else if (v === "nodst") o.nodst = true;
      else if (v !== "null") {
        throw new UsageError(`Error: argument of "flag" must be "nopromisc", "nodst" or "null", not "${v}"`, 1);
      }
      o.nopromisc ??= false;
    },
  },
  {
    word: "macaddr",
    takes: (v, o, next) => {
      if (v === "add" || v === "del") o.macaddr = { op: v, address: lladdr(next()) };
      else if (v === "flush") o.macaddr = { op: "flush" };
      else if (v === "set") o.macaddr = { op: "set", addresses: [] };
      else throw new UsageError(`Error: argument of "macaddr" must be "add", "del", "set" or "flush", not "${v}"`);
    },
  },
  { word: "nopromisc", alone: flag("nopromisc") },
  { word: "nodst", alone: flag("nodst") },
  { word: "bcqueuelen", takes: num("bcqueuelen", "bcqueuelen") },
];

/** macvlan's `macaddr set MAC…` takes every following MAC; the table's word takes none. */
function parseMacvlan(kind: string, args: string[]): KindArgs {
  const i = args.findIndex((a, k) => a.length > 0 && "macaddr".startsWith(a) && args[k + 1] === "set");
  if (i < 0) return parseWords(kind, MACVLAN, args);
  let end = i + 2;
  const addresses: string[] = [];
  while (end < args.length && /^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(args[end])) {
    addresses.push(lladdr(args[end++]));
  }
  const o = parseWords(kind, MACVLAN, [...args.slice(0, i), ...args.slice(end)]);
  o.macaddr = { op: "set", addresses };
  return o;
}

/** A QoS map's `FROM:TO` pairs up to the next keyword. */
function qosPairs(first: string, next: () => string, rest: () => string | undefined): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let v: string | undefined = first;
  while (v !== undefined) {
    const m = /^(\w+):(\w+)$/.exec(v);
    if (!m) throw invalidArgument("invalid qos map", v);
    out.push({ from: uint(m[1], "invalid qos map"), to: uint(m[2], "invalid qos map") });
    v = rest()?.includes(":") ? next() : undefined;
  }
  return out;
}

function parseVlan(args: string[]): KindArgs {
  const o: KindArgs = {};
  const flags: [string, string][] = [
    ["reorder_hdr", "reorderHdr"],
    ["gvrp", "gvrp"],
    ["mvrp", "mvrp"],
    ["loose_binding", "looseBinding"],
    ["bridge_binding", "bridgeBinding"],
  ];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    const pre = (w: string) => a.length > 0 && w.startsWith(a);
    const f = flags.find(([w]) => pre(w));
    if (pre("protocol")) {
      const v = next();
      const p = llProto(v);
      if (p === undefined) throw invalidArgument("protocol is invalid", v);
      o.protocol = p; // a protocol other than 802.1Q or 802.1ad is the kernel's to refuse
    } else if (pre("id")) o.id = uint(next(), "id is invalid", 65535);
    else if (f) o[f[1]] = onOff(f[0], next());
    else if (pre("ingress-qos-map") || pre("egress-qos-map")) {
      const key = pre("ingress-qos-map") ? "ingressQos" : "egressQos";
      o[key] = qosPairs(next(), next, () => args[i + 1]);
    } else throw kindWordError("vlan", a);
  }
  return o;
}

const IPVLAN: Word[] = [
  {
    word: "mode",
    takes: set("mode", (v) => {
      if (v === "l2" || v === "l3" || v === "l3s") return v;
      throw new UsageError('Error: argument of "mode" must be either "l2", "l3" or "l3s"', 1);
    }),
  },
  { word: "private", alone: flag("flag", "private") },
  { word: "vepa", alone: flag("flag", "vepa") },
  { word: "bridge", alone: flag("flag", "bridge") },
];

const VRF: Word[] = [{
  word: "table",
  takes: set("table", (v) => {
    const t = tableId(v);
    if (t === undefined) throw invalidArgument("invalid table ID\n", v);
    return t;
  }),
}];

const HSR: Word[] = [
  { word: "supervision", takes: num("supervision", "ADDR-BYTE is invalid", 255) },
  { word: "version", takes: num("version", "version is invalid", 1) },
  {
    word: "proto",
    takes: set("proto", (v) => (["hsr", "prp"][uint(v, "protocol is invalid", 1)])),
  },
  { word: "slave1", takes: device("slave1", noSuchInterface) },
  { word: "slave2", takes: device("slave2", noSuchInterface) },
];

const XFRM: Word[] = [
  { word: "dev", takes: device("dev", exitNodev) },
  {
    word: "if_id",
    takes: set("ifId", (v) => {
      const n = parseUnsigned(v);
      if (!n) throw invalidArgument("if_id value is invalid", v); // 0 too
      return n;
    }),
  },
  { word: "external", exact: true, alone: flag("external") },
];

/** iproute2's MACsec words (`ip link add link DEV NAME type macsec …`). */
const MACSEC: Word[] = [
  {
    word: "sci",
    takes: set("sci", (v) => {
      if (!/^[0-9a-fA-F]{1,16}$/.test(v)) throw invalidArgument("expected sci", v);
      return BigInt("0x" + v);
    }),
  },
  {
    word: "port",
    takes: set("port", (v) => {
      const n = uint(v, "expected port", 65535);
      if (n === 0) throw invalidArgument("expected port != 0", v);
      return n;
    }),
  },
  { word: "encrypt", exact: true, takes: set("encrypt", (v) => oneOfOnOff("encrypt", v)) },
  { word: "send_sci", exact: true, takes: set("sendSci", (v) => oneOfOnOff("send_sci", v)) },
  { word: "end_station", exact: true, takes: set("endStation", (v) => oneOfOnOff("end_station", v)) },
  { word: "scb", exact: true, takes: set("scb", (v) => oneOfOnOff("scb", v)) },
  { word: "protect", exact: true, takes: set("protect", (v) => oneOfOnOff("protect", v)) },
  {
    word: "cipher",
    takes: set("cipher", (v) => {
      const c = v.toLowerCase();
      if (["default", "gcm-aes-128", "gcm-aes-256", "gcm-aes-xpn-128", "gcm-aes-xpn-256"].includes(c)) return c;
      throw invalidArgument("expected cipher", v);
    }),
  },
  { word: "icvlen", takes: num("icvlen", "expected icvlen", 255) },
  { word: "validate", takes: str("validate") },
  { word: "encodingsa", takes: num("encodingsa", "expected encodingsa", 3) },
  {
    word: "replay",
    exact: true,
    takes: set("replay", (v) => oneOfOnOff("replay", v)),
  },
  { word: "window", takes: num("window", "expected replay window size") },
  { word: "offload", takes: str("offload") },
];

// ------------------------------------------------------------------ ip tunnels

/** A GRE/VTI key (`key`, `ikey`, `okey`): a number or a dotted quad, read as tnl_parse_key reads it. */
const key = (word: string) => (v: string): number | string => {
  if (v.includes(".")) return addr32(v);
  const n = parseUnsigned(v);
  if (n === undefined) {
    throw new UsageError(`invalid value for "${word}": "${v}"; it should be an unsigned integer`);
  }
  return n;
};

const ENCAP: Word[] = [
  { word: "noencap", alone: flag("encap", "none") },
  {
    word: "encap",
    takes: set("encap", (v) => {
      if (v === "fou" || v === "gue" || v === "none") return v;
      throw invalidArgument("Invalid encap type", v);
    }),
  },
  { word: "encap-sport", takes: set("encapSport", (v) => (v === "auto" ? "auto" : uint(v, "sport", 65535))) },
  { word: "encap-dport", takes: num("encapDport", "dport", 65535) },
  { word: "encap-csum", alone: flag("encapCsum") },
  { word: "noencap-csum", alone: flag("encapCsum", false) },
  { word: "encap-udp6-csum", alone: flag("encapUdp6Csum") },
  { word: "noencap-udp6-csum", alone: flag("encapUdp6Csum", false) },
  { word: "encap-remcsum", alone: flag("encapRemcsum") },
  { word: "noencap-remcsum", alone: flag("encapRemcsum", false) },
];

/**
 * `remote` and `local`: an address of the tunnel's family (get_addr), or
 * `any` (none; a change clears the endpoint with it).
 */
const endpoints = (family: number): Word[] =>
  ["remote", "local"].map((word) => ({
    word,
    takes: set(word, (v) => {
      const a = getAddr(v, family);
      return a.wildcard ? "any" : prefixText(a, false);
    }),
  }));

const greCommon = (family: number): Word[] => [
  { word: "key", takes: set("key", key("key")) },
  { word: "nokey", alone: flag("key", false) },
  { word: "ikey", takes: set("ikey", key("ikey")) },
  { word: "noikey", alone: flag("ikey", false) },
  { word: "okey", takes: set("okey", key("okey")) },
  { word: "nookey", alone: flag("okey", false) },
  { word: "seq", alone: flag("seq") },
  { word: "noseq", alone: flag("seq", false) },
  { word: "iseq", alone: flag("iseq") },
  { word: "noiseq", alone: flag("iseq", false) },
  { word: "oseq", alone: flag("oseq") },
  { word: "nooseq", alone: flag("oseq", false) },
  { word: "csum", alone: flag("csum") },
  { word: "nocsum", alone: flag("csum", false) },
  { word: "icsum", alone: flag("icsum") },
  { word: "noicsum", alone: flag("icsum", false) },
  { word: "ocsum", alone: flag("ocsum") },
  { word: "noocsum", alone: flag("ocsum", false) },
  ...endpoints(family),
  { word: "dev", takes: device("dev", exitNodev) },
];

const GRE: Word[] = [
  ...greCommon(AF_INET),
  { word: "ttl", takes: set("ttl", (v) => ttl(v, false)) },
  { word: "hoplimit", takes: set("ttl", (v) => ttl(v, false)) },
  { word: "tos", takes: set("tos", tos) },
  { word: "tclass", takes: set("tos", tos) },
  { word: "dsfield", takes: set("tos", tos) },
  { word: "pmtudisc", alone: flag("pmtudisc") },
  { word: "nopmtudisc", alone: flag("pmtudisc", false) },
  { word: "external", exact: true, alone: flag("external") },
  ...ENCAP,
  { word: "ignore-df", exact: true, alone: flag("ignoreDf") },
  { word: "noignore-df", exact: true, alone: flag("ignoreDf", false) },
  { word: "fwmark", takes: num("fwmark", "invalid fwmark") },
];

/** The IPv6 tunnel words ip6gre and ip6tnl share. */
const IP6: Word[] = [
  { word: "ttl", takes: set("ttl", (v) => ttl(v, false)) },
  { word: "hoplimit", takes: set("ttl", (v) => ttl(v, false)) },
  {
    word: "encaplimit",
    takes: set("encaplimit", (v) => (v === "none" ? "none" : uint(v, "invalid ELIM", 255))),
  },
  { word: "tclass", takes: set("tclass", (v) => (v === "inherit" ? "inherit" : uint(v, "invalid TClass", 255))) },
  { word: "tos", takes: set("tclass", (v) => (v === "inherit" ? "inherit" : uint(v, "invalid TClass", 255))) },
  { word: "dsfield", takes: set("tclass", (v) => (v === "inherit" ? "inherit" : uint(v, "invalid TClass", 255))) },
  {
    word: "flowlabel",
    takes: set("flowlabel", (v) => (v === "inherit" ? "inherit" : uint(v, "invalid Flowlabel", 0xfffff))),
  },
  {
    word: "dscp",
    takes: (v, o) => {
      if (v !== "inherit") throw invalidArgument("not inherit", v);
      o.dscpInherit = true;
    },
  },
  { word: "fwmark", takes: set("fwmark", (v) => (v === "inherit" ? "inherit" : uint(v, "invalid fwmark"))) },
  { word: "allow-localremote", exact: true, alone: flag("allowLocalremote") },
  { word: "noallow-localremote", exact: true, alone: flag("allowLocalremote", false) },
  { word: "external", exact: true, alone: flag("external") },
  ...ENCAP,
];

const GRE6: Word[] = [...greCommon(AF_INET6), ...IP6];

/** ipip, sit and ip6tnl's `mode`: the library's names. */
const tunMode = (modes: string[]) =>
  set("mode", (v) => {
    const m = v.toLowerCase();
    if (m === "ip/ip" || m === "ipip" || m === "ip4ip4") return modes.includes("ipip") ? "ipip" : invalid(v);
    if (m === "ipv6/ip" || m === "ip6ip") return modes.includes("ip6ip") ? "ip6ip" : invalid(v);
    if (m === "mpls/ip" || m === "mplsip") return modes.includes("mplsip") ? "mplsip" : invalid(v);
    if (m === "any/ip" || m === "any") return "any";
    if (m === "ipv6/ipv6" || m === "ip6ip6") return modes.includes("ip6ip6") ? "ip6ip6" : invalid(v);
    if (m === "ip/ipv6" || m === "ipv4/ipv6" || m === "ipip6" || m === "ip4ip6") {
      return modes.includes("ipip6") ? "ipip6" : invalid(v);
    }
    return invalid(v);
  });

function invalid(v: string): never {
  throw invalidArgument("Cannot guess tunnel mode.", v);
}

const iptunCommon = (
  family: number,
): Word[] => [...endpoints(family), { word: "dev", takes: device("dev", exitNodev) }];

const IPIP: Word[] = [
  ...iptunCommon(AF_INET),
  { word: "ttl", takes: set("ttl", (v) => ttl(v, false)) },
  { word: "hoplimit", takes: set("ttl", (v) => ttl(v, false)) },
  { word: "tos", takes: set("tos", tos) },
  { word: "tclass", takes: set("tos", tos) },
  { word: "dsfield", takes: set("tos", tos) },
  { word: "pmtudisc", alone: flag("pmtudisc") },
  { word: "nopmtudisc", alone: flag("pmtudisc", false) },
  { word: "external", exact: true, alone: flag("external") },
  ...ENCAP,
  { word: "fwmark", takes: num("fwmark", "invalid fwmark") },
];

const SIT: Word[] = [
  ...IPIP,
  { word: "isatap", exact: true, alone: flag("isatap") },
  { word: "6rd-prefix", exact: true, takes: str("ip6rdPrefix") },
  { word: "6rd-relay_prefix", exact: true, takes: str("ip6rdRelayPrefix") },
];

const vti = (family: number): Word[] => [
  { word: "key", takes: set("key", key("key")) },
  { word: "ikey", takes: set("ikey", key("ikey")) },
  { word: "okey", takes: set("okey", key("okey")) },
  ...endpoints(family),
  { word: "dev", takes: device("dev", exitNodev) },
  { word: "fwmark", takes: num("fwmark", "invalid fwmark") },
];

// ------------------------------------------------------------------ bridge and bond

/** snake_case → camelCase (bridge and bond options are iproute2's words in camelCase). */
function camel(word: string): string {
  return word.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const BRIDGE_U64 = new Set([
  "mcast_last_member_interval",
  "mcast_membership_interval",
  "mcast_querier_interval",
  "mcast_query_interval",
  "mcast_query_response_interval",
  "mcast_startup_query_interval",
]);
const BRIDGE_UINT = [
  "forward_delay",
  "hello_time",
  "max_age",
  "ageing_time",
  "stp_state",
  "priority",
  "vlan_filtering",
  "vlan_default_pvid",
  "vlan_stats_enabled",
  "vlan_stats_per_port",
  "mcast_router",
  "mcast_snooping",
  "mcast_query_use_ifaddr",
  "mcast_querier",
  "mcast_hash_elasticity",
  "mcast_hash_max",
  "mcast_last_member_count",
  "mcast_startup_query_count",
  "mcast_stats_enabled",
  "mcast_igmp_version",
  "mcast_mld_version",
  "nf_call_iptables",
  "nf_call_ip6tables",
  "nf_call_arptables",
];

/** In iproute2's order (its abbreviations resolve by that order). */
const BRIDGE: Word[] = [
  ...BRIDGE_UINT.slice(0, 7).map((w) => ({ word: w, takes: num(camel(w), `invalid ${w}`) })),
  {
    word: "group_fwd_mask",
    takes: num("groupFwdMask", "invalid group_fwd_mask", 65535),
  },
  {
    word: "group_address",
    takes: set("groupAddress", lladdr),
  },
  {
    word: "vlan_protocol",
    takes: set("vlanProtocol", (v) => {
      const p = llProto(v);
      if (p === undefined) throw invalidArgument("invalid vlan_protocol", v);
      return p; // a protocol other than 802.1Q or 802.1ad is the kernel's to refuse
    }),
  },
  { word: "fdb_flush", alone: flag("fdbFlush") },
  { word: "no_linklocal_learn", takes: set("noLinklocalLearn", (v) => uint(v, "invalid no_linklocal_learn") !== 0) },
  { word: "mcast_vlan_snooping", takes: set("mcastVlanSnooping", (v) => uint(v, "invalid mcast_vlan_snooping") !== 0) },
  ...BRIDGE_UINT.slice(7).map((w) => ({ word: w, takes: num(camel(w), `invalid ${w}`) })),
  ...[...BRIDGE_U64].map((w) => ({ word: w, takes: set(camel(w), (v: string) => u64(v, `invalid ${w}`)) })),
];

const PORT_STATES = ["disabled", "listening", "learning", "forwarding", "blocking"];

const BRIDGE_SLAVE: Word[] = [
  { word: "fdb_flush", alone: flag("fdbFlush") },
  {
    word: "state",
    takes: set("state", (v) => {
      const i = PORT_STATES.indexOf(v);
      return i >= 0 ? i : uint(v, "state is invalid", 255);
    }),
  },
  { word: "priority", takes: num("priority", "priority is invalid", 65535) },
  { word: "cost", takes: num("cost", "cost is invalid") },
  ...[
    ["hairpin", "hairpin"],
    ["guard", "guard"],
    ["root_block", "rootBlock"],
    ["fastleave", "fastleave"],
    ["learning", "learning"],
    ["flood", "flood"],
    ["mcast_flood", "mcastFlood"],
    ["bcast_flood", "bcastFlood"],
    ["mcast_to_unicast", "mcastToUnicast"],
    ["proxy_arp", "proxyArp"],
    ["proxy_arp_wifi", "proxyArpWifi"],
  ].map(([w, k]) => ({ word: w, takes: set(k, (v: string) => oneOfOnOff(w, v)) })),
  { word: "mcast_router", takes: num("mcastRouter", "invalid mcast_router", 255) },
  { word: "mcast_fast_leave", takes: set("fastleave", (v) => oneOfOnOff("mcast_fast_leave", v)) },
  { word: "neigh_suppress", takes: set("neighSuppress", (v) => oneOfOnOff("neigh_suppress", v)) },
  { word: "group_fwd_mask", takes: num("groupFwdMask", "invalid group_fwd_mask", 65535) },
  { word: "vlan_tunnel", takes: set("vlanTunnel", (v) => oneOfOnOff("vlan_tunnel", v)) },
  { word: "isolated", takes: set("isolated", (v) => oneOfOnOff("isolated", v)) },
  { word: "locked", takes: set("locked", (v) => oneOfOnOff("locked", v)) },
  { word: "backup_port", takes: device("backupPort", deviceDoesNotExist) },
  { word: "nobackup_port", alone: flag("backupPort", null) },
];

/** A bond enum word: its name, or its index in iproute2's table. */
const named = (k: string, table: string[]) =>
  set(k, (v) => {
    if (table.includes(v)) return v;
    const n = parseUnsigned(v, 255, 10);
    if (n !== undefined && n < table.length) return table[n];
    throw invalidArgument(`invalid ${k}`, v);
  });

/** The bond words in iproute2's order. */
const BOND: Word[] = [
  {
    word: "mode",
    takes: named("mode", [
      "balance-rr",
      "active-backup",
      "balance-xor",
      "broadcast",
      "802.3ad",
      "balance-tlb",
      "balance-alb",
    ]),
  },
  { word: "active_slave", takes: device("activeSlave", returnNodev) },
  { word: "clear_active_slave", alone: flag("clearActiveSlave") },
  { word: "miimon", takes: num("miimon", "invalid miimon") },
  { word: "updelay", takes: num("updelay", "invalid updelay") },
  { word: "downdelay", takes: num("downdelay", "invalid downdelay") },
  { word: "peer_notify_delay", takes: num("peerNotifyDelay", "invalid peer_notify_delay") },
  { word: "use_carrier", takes: set("useCarrier", (v) => uint(v, "invalid use_carrier", 255) !== 0) },
  { word: "arp_interval", takes: num("arpInterval", "invalid arp_interval") },
  { word: "arp_ip_target", takes: set("arpIpTarget", (v) => v.split(",").filter((x) => x !== "").map(addr32)) },
  { word: "ns_ip6_target", takes: set("nsIp6Target", (v) => v.split(",").filter((x) => x !== "")) },
  {
    word: "arp_validate",
    takes: named("arpValidate", ["none", "active", "backup", "all", "filter", "filter_active", "filter_backup"]),
  },
  { word: "arp_all_targets", takes: named("arpAllTargets", ["any", "all"]) },
  { word: "arp_missed_max", takes: num("arpMissedMax", "invalid arp_missed_max", 255) },
  { word: "primary", takes: device("primary", returnNodev) },
  { word: "primary_reselect", takes: named("primaryReselect", ["always", "better", "failure"]) },
  { word: "fail_over_mac", takes: named("failOverMac", ["none", "active", "follow"]) },
  {
    word: "xmit_hash_policy",
    takes: named("xmitHashPolicy", ["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac"]),
  },
  { word: "resend_igmp", takes: num("resendIgmp", "invalid resend_igmp") },
  { word: "num_grat_arp", takes: num("numGratArp", "invalid num_grat_arp|num_unsol_na", 255) },
  { word: "num_unsol_na", takes: num("numGratArp", "invalid num_grat_arp|num_unsol_na", 255) },
  { word: "all_slaves_active", takes: set("allSlavesActive", (v) => uint(v, "invalid all_slaves_active", 255) !== 0) },
  { word: "min_links", takes: num("minLinks", "invalid min_links") },
  { word: "lp_interval", takes: num("lpInterval", "invalid lp_interval") },
  { word: "packets_per_slave", takes: num("packetsPerSlave", "invalid packets_per_slave") },
  { word: "lacp_rate", takes: named("lacpRate", ["slow", "fast"]) },
  {
    word: "lacp_active",
    takes: set("lacpActive", (v) => {
      if (v === "on" || v === "1") return true;
      if (v === "off" || v === "0") return false;
      throw invalidArgument("invalid lacp_active", v);
    }),
  },
  { word: "ad_select", takes: named("adSelect", ["stable", "bandwidth", "count"]) },
  { word: "ad_user_port_key", takes: num("adUserPortKey", "invalid ad_user_port_key", 65535) },
  { word: "ad_actor_sys_prio", takes: num("adActorSysPrio", "invalid ad_actor_sys_prio", 65535) },
  { word: "ad_actor_system", takes: set("adActorSystem", lladdr) },
  { word: "tlb_dynamic_lb", takes: set("tlbDynamicLb", (v) => uint(v, "invalid tlb_dynamic_lb", 255) !== 0) },
];

const BOND_SLAVE: Word[] = [
  { word: "queue_id", takes: num("queueId", "queue_id is invalid", 65535) },
  {
    word: "prio",
    takes: set("prio", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw invalidArgument("prio is invalid", v);
      return n;
    }),
  },
];

/** The word tables by kind (kinds with their own parsers are in PARSERS). */
const TABLES: Record<string, Word[]> = {
  vxlan: VXLAN,
  geneve: GENEVE,
  bareudp: BAREUDP,
  ipvlan: IPVLAN,
  ipvtap: IPVLAN,
  vrf: VRF,
  hsr: HSR,
  xfrm: XFRM,
  macsec: MACSEC,
  gre: GRE,
  gretap: GRE,
  ip6gre: GRE6,
  ip6gretap: GRE6,
  ipip: [...IPIP, { word: "mode", takes: tunMode(["ipip", "mplsip", "any"]) }],
  sit: [...SIT, { word: "mode", takes: tunMode(["ip6ip", "ipip", "mplsip", "any"]) }],
  ip6tnl: [...iptunCommon(AF_INET6), ...IP6, { word: "mode", takes: tunMode(["ip6ip6", "ipip6", "any"]) }],
  vti: vti(AF_INET),
  vti6: vti(AF_INET6),
  bridge: BRIDGE,
  bridge_slave: BRIDGE_SLAVE,
  bond: BOND,
  bond_slave: BOND_SLAVE,
};

/**
 * Whether nlink parses `type KIND ARGS…` for this kind (besides veth, whose
 * peer is parsed with the link's own words).
 *
 * @example
 * ```ts
 * import { parsesKindArgs } from "./link_kind_args.ts";
 * parsesKindArgs("vxlan"); // true
 * ```
 */
export function parsesKindArgs(kind: string): boolean {
  return Object.hasOwn(TABLES, kind) || kind === "macvlan" || kind === "macvtap" || kind === "vlan";
}

/**
 * Parses the words after `type KIND` into the library's options for that
 * kind; throws a UsageError for a word iproute2 would refuse, and gives its
 * warnings to `warn` (stderr by default). With `devices`, device words
 * (`dev`, hsr's ports, bond's `primary`, …) are looked up as they are read
 * and become ifindexes, a name that names nothing failing there as the
 * kind's parser fails.
 *
 * @example
 * ```ts
 * import { parseKindArgs } from "./link_kind_args.ts";
 * parseKindArgs("vxlan", ["id", "42", "dstport", "4789"]); // { id: 42, dstport: 4789 }
 * ```
 */
export function parseKindArgs(
  kind: string,
  args: string[],
  create = true,
  { devices, warn = console.error }: { devices?: KindDevices; warn?: (message: string) => void } = {},
): KindArgs {
  if (kind === "macvlan" || kind === "macvtap") return parseMacvlan(kind, args);
  if (kind === "vlan") return parseVlan(args);
  const table = Object.hasOwn(TABLES, kind) ? TABLES[kind] : undefined;
  if (table === undefined) throw new UsageError(`nlink: options for "type ${kind}" are not supported yet`, 1);
  const o = parseWords(kind, table, args, devices);
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  KIND_CHECKS[kind]?.(o, create, warn);
  return o;
}

/**
 * The ifindex of `link DEV` (the parent of a vlan, macvlan, …), failing as
 * iproute2's nodev() does.
 *
 * @example
 * ```ts ignore
 * options.link = linkIndex("p0", links);
 * ```
 */
export function linkIndex(name: string, links: { index(name: string): number }): number {
  const index = links.index(name);
  if (!index) throw new UsageError(`Cannot find device "${name}"`, 1);
  return index;
}
