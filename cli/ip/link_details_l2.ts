/**
 * `ip -d link` details of the kinds stacked on or grouping Ethernet devices
 * (iproute2's macvlan, ipvlan, vlan, vrf, hsr, macsec and tun print_opt),
 * from the library's decoded data.
 *
 * @module
 */
import { Kind } from "../common/output.ts";
import { enumIndex, flagBits, type KindPrinter, llProtoName, num } from "./link_details_common.ts";

const MACVLAN_MODES: Record<string, string> = {
  private: "private",
  vepa: "vepa",
  bridge: "bridge",
  passthru: "passthru",
  source: "source",
};

/**
 * macvlan and macvtap details: mode, flags, broadcast queue, source-mode remotes.
 *
 * @example
 * ```ts ignore
 * printMacvlan(p, { mode: "bridge", bcqueuelen: 1000 }, names); // "mode bridge bcqueuelen 1000 "
 * ```
 */
export const printMacvlan: KindPrinter = (p, d) => {
  if (!d || d.mode === undefined) return;
  const mode = typeof d.mode === "string" ? MACVLAN_MODES[d.mode] ?? "unknown" : "unknown";
  p.string(Kind.Any, "mode", "mode %s ", mode);
  const flags = flagBits(d.flags, { nopromisc: 1, nodst: 2 });
  if (flags & 1) p.bool(Kind.Any, "nopromisc", "nopromisc ", true);
  if (flags & 2) p.bool(Kind.Any, "nodst", "nodst ", true);
  const bcq = num(d, "bcqueuelen");
  if (bcq !== undefined) p.uint(Kind.Any, "bcqueuelen", "bcqueuelen %lu ", bcq);
  const used = num(d, "bcqueuelenUsed");
  if (used !== undefined) p.uint(Kind.Any, "usedbcqueuelen", "usedbcqueuelen %lu ", used);
  if (mode !== "source") return;
  const count = num(d, "macaddrCount");
  if (count === undefined) return;
  p.int(Kind.Any, "macaddr_count", "remotes (%d) ", count | 0);
  const list = d.macaddrData;
  if (!Array.isArray(list)) return;
  p.openArray(Kind.Json, "macaddr_data");
  for (const mac of list) p.string(Kind.Any, null, "%s ", String(mac));
  p.closeArray(Kind.Json);
};

/**
 * ipvlan and ipvtap details.
 *
 * @example
 * ```ts ignore
 * printIpvlan(p, { mode: "l3", flags: [] }, names); // " mode l3 bridge "
 * ```
 */
export const printIpvlan: KindPrinter = (p, d) => {
  if (!d) return;
  if (d.mode !== undefined) {
    const mode = d.mode === "l2" || d.mode === "l3" || d.mode === "l3s" ? d.mode : "unknown";
    p.string(Kind.Any, "mode", " mode %s ", mode);
  }
  if (d.flags !== undefined) {
    const flags = flagBits(d.flags, { private: 1, vepa: 2 });
    if (flags & 1) p.bool(Kind.Any, "private", "private ", true);
    else if (flags & 2) p.bool(Kind.Any, "vepa", "vepa ", true);
    else p.bool(Kind.Any, "bridge", "bridge ", true);
  }
};

/** VLAN_FLAG_* in iproute2's print order, by the library's names. */
const VLAN_FLAGS: [string, string, number][] = [
  ["reorder_hdr", "REORDER_HDR", 0x1],
  ["gvrp", "GVRP", 0x2],
  ["mvrp", "MVRP", 0x8],
  ["loose_binding", "LOOSE_BINDING", 0x4],
  ["bridge_binding", "BRIDGE_BINDING", 0x10],
];

/** One QoS map: `ingress-qos-map { 1:2 … } ` on its own line, a list of { from, to } in JSON. */
function qosMap(p: Parameters<KindPrinter>[0], jsonKey: string, textName: string, list: unknown): void {
  p.openArray(Kind.Json, jsonKey);
  p.nl();
  p.string(Kind.Text, null, "      %s { ", textName);
  for (const m of Array.isArray(list) ? list as { from: number; to: number }[] : []) {
    if (p.json) {
      p.openObject();
      p.uint(Kind.Json, "from", "", m.from);
      p.uint(Kind.Json, "to", "", m.to);
      p.closeObject();
    } else p.write(`${m.from >>> 0}:${m.to >>> 0} `);
  }
  p.closeArray(Kind.Json);
  p.string(Kind.Text, null, "%s ", "}");
}

/**
 * vlan details: protocol, id, flags, QoS maps.
 *
 * @example
 * ```ts ignore
 * printVlan(p, { protocol: "802.1Q", id: 5, flags: { flags: ["reorder_hdr"], mask: 0xffffffff } }, names);
 * ```
 */
export const printVlan: KindPrinter = (p, d) => {
  if (!d || d.id === undefined) return;
  p.string(Kind.Any, "protocol", "protocol %s ", d.protocol === undefined ? "802.1q" : llProtoName(d.protocol));
  p.uint(Kind.Any, "id", "id %u ", num(d, "id") ?? 0);
  const f = d.flags as { flags: unknown } | undefined;
  if (f) {
    let flags = flagBits(f.flags, Object.fromEntries(VLAN_FLAGS.map(([n, , b]) => [n, b])));
    p.openArray(Kind.Any, p.json ? "flags" : undefined, "<");
    for (const [, name, bit] of VLAN_FLAGS) {
      if (!(flags & bit)) continue;
      flags &= ~bit;
      p.string(Kind.Any, null, flags ? "%s," : "%s", name);
    }
    if (flags) p.hex(Kind.Any, null, "%x", flags);
    p.closeArray(Kind.Any, "> ");
  }
  if (d.ingressQos !== undefined) qosMap(p, "ingress_qos", "ingress-qos-map", d.ingressQos);
  if (d.egressQos !== undefined) qosMap(p, "egress_qos", "egress-qos-map", d.egressQos);
};

/**
 * vrf details (and vrf_slave's: the same table line).
 *
 * @example
 * ```ts ignore
 * printVrf(p, { table: 10 }, names); // "table 10 "
 * ```
 */
export const printVrf: KindPrinter = (p, d) => {
  const table = d && num(d, "table");
  if (table !== undefined) p.uint(Kind.Any, "table", "table %u ", table);
};

/**
 * hsr details.
 *
 * @example
 * ```ts ignore
 * printHsr(p, { slave1: 2, slave2: 4, seqNr: 65535, supervisionAddr: "01:15:4e:00:01:00", proto: "hsr" }, names);
 * ```
 */
export const printHsr: KindPrinter = (p, d, names) => {
  if (!d) return;
  const s1 = num(d, "slave1");
  if (s1 !== undefined) p.string(Kind.Any, "slave1", "slave1 %s ", names(s1));
  else p.null(Kind.Any, "slave1", "slave1 %s ", "<none>");
  const s2 = num(d, "slave2");
  if (s2 !== undefined) p.string(Kind.Any, "slave2", "slave2 %s ", names(s2));
  else p.null(Kind.Any, "slave2", "slave2 %s ", "<none>");
  const seq = num(d, "seqNr");
  if (seq !== undefined) p.int(Kind.Any, "seq_nr", "sequence %d ", seq);
  if (typeof d.supervisionAddr === "string") {
    p.string(Kind.Any, "supervision_addr", "supervision %s ", d.supervisionAddr);
  }
  const proto = enumIndex(d, "proto", ["hsr", "prp"]);
  if (proto !== undefined) p.uint(Kind.Any, "proto", "proto %hhu ", proto);
};

const CIPHERS: Record<string, string> = {
  "gcm-aes-128": "GCM-AES-128",
  "gcm-aes-256": "GCM-AES-256",
  "gcm-aes-xpn-128": "GCM-AES-XPN-128",
  "gcm-aes-xpn-256": "GCM-AES-XPN-256",
};

/**
 * macsec details.
 *
 * @example
 * ```ts ignore
 * printMacsec(p, { sci: 0x0200000000010001n, protect: true, cipher: "gcm-aes-128", icvlen: 16 }, names);
 * ```
 */
export const printMacsec: KindPrinter = (p, d) => {
  if (!d) return;
  const onOff = (key: string, desc: string) => {
    const v = num(d, key);
    if (v === undefined) return;
    if (p.json) p.bool(Kind.Json, desc, "", v !== 0);
    else p.write(`${desc} ${v ? "on" : "off"} `);
  };
  if (typeof d.sci === "bigint") {
    const sci = d.sci.toString(16).padStart(16, "0");
    if (p.json) p.string(Kind.Json, "sci", "", sci);
    else p.write(`sci ${sci} `);
  }
  onOff("protect", "protect");
  if (d.cipher !== undefined) {
    const name = typeof d.cipher === "string" ? CIPHERS[d.cipher] ?? "(unknown)" : "(unknown)";
    p.string(Kind.Any, "cipher_suite", "cipher %s ", name);
  }
  const icv = num(d, "icvlen");
  if (icv !== undefined) p.uint(Kind.Any, "icv_len", "icvlen %u ", icv);
  const sa = num(d, "encodingsa");
  if (sa !== undefined) p.uint(Kind.Any, "encoding_sa", "encodingsa %u ", sa);
  const validate = enumIndex(d, "validate", ["disabled", "check", "strict"]);
  if (validate !== undefined) {
    p.string(Kind.Any, "validation", "validate %s ", ["disabled", "check", "strict"][validate] ?? "(unknown)");
  }
  const offload = enumIndex(d, "offload", ["off", "phy", "mac"]);
  if (offload !== undefined) {
    p.string(Kind.Any, "offload", "offload %s ", ["off", "phy", "mac"][offload] ?? "(unknown)");
  }
  onOff("encrypt", "encrypt");
  onOff("sendSci", p.json ? "inc_sci" : "send_sci");
  onOff("endStation", p.json ? "es" : "end_station");
  onOff("scb", "scb");
  onOff("replay", p.json ? "replay_protect" : "replay");
  const window = num(d, "window");
  if (window !== undefined) p.int(Kind.Any, "window", "window %d ", window | 0);
};

/** Users and groups by id, read once from /etc (iproute2 asks getpwuid/getgrgid). */
const idNames = new Map<string, Map<number, string>>();

function idName(file: string, id: number): string | undefined {
  let table = idNames.get(file);
  if (table === undefined) {
    table = new Map();
    try {
      for (const line of Deno.readTextFileSync(file).split("\n")) {
        const f = line.split(":");
        if (f.length >= 3 && !table.has(Number(f[2]))) table.set(Number(f[2]), f[0]);
      }
    } catch {
      // unreadable: ids print as numbers
    }
    idNames.set(file, table);
  }
  return table.get(id);
}

/**
 * tun/tap details (the library's decoded IFLA_TUN_*).
 *
 * @example
 * ```ts ignore
 * printTun(p, { type: "tun", pi: false, vnetHdr: false, multiQueue: false, persist: true }, names); // "type tun pi off … persist on "
 * ```
 */
export const printTun: KindPrinter = (p, d) => {
  if (!d) return;
  const type = d.type;
  if (type !== undefined) p.string(Kind.Any, "type", "type %s ", typeof type === "string" ? type : `UNKNOWN:${type}`);
  if (d.pi !== undefined) p.onOff(Kind.Any, "pi", "pi %s ", d.pi === true);
  if (d.vnetHdr !== undefined) p.onOff(Kind.Any, "vnet_hdr", "vnet_hdr %s ", d.vnetHdr === true);
  if (d.multiQueue !== true) p.bool(Kind.Json, "multi_queue", "", false);
  else {
    p.bool(Kind.Any, "multi_queue", "multi_queue ", true);
    const q = num(d, "numQueues");
    if (q !== undefined) p.uint(Kind.Any, "numqueues", "numqueues %u ", q);
    const dis = num(d, "numDisabledQueues");
    if (dis !== undefined) p.uint(Kind.Any, "numdisabled", "numdisabled %u ", dis);
  }
  if (d.persist !== undefined) p.onOff(Kind.Any, "persist", "persist %s ", d.persist === true);
  const owner = num(d, "owner");
  if (owner !== undefined) {
    const name = idName("/etc/passwd", owner);
    if (name !== undefined) p.string(Kind.Any, "user", "user %s ", name);
    else p.uint(Kind.Any, "user", "user %u ", owner);
  }
  const group = num(d, "group");
  if (group !== undefined) {
    const name = idName("/etc/group", group);
    if (name !== undefined) p.string(Kind.Any, "group", "group %s ", name);
    else p.uint(Kind.Any, "group", "group %u ", group);
  }
};
