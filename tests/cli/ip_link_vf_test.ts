/**
 * SR-IOV virtual functions as `ip` prints them, against iproute2. Neither this
 * kernel nor the VM lane's has a device with VFs (netdevsim is not built), so
 * links with VFs are written here as the kernel sends them (IFLA_NUM_VF and
 * IFLA_VFINFO_LIST: MAC, broadcast, VLAN or VLAN list, rates, spoof check,
 * link state, trust, RSS query, InfiniBand GUIDs, counters) and printed by
 * both tools from the file (`ip -d monitor file`, which prints a link's VFs
 * with `-d`), in text, with `-s`, `-o`, colour and JSON. And `ip link set DEV
 * vf N …`: every message compared with iproute2's (the device's address
 * length read for a `mac`, the links read for a rate bound left out), which
 * a veth refuses; and the errors of bad VF words.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { captureTest, sameRequest } from "./_capture.ts";
import { sameError, sameText } from "./_run.ts";
import { vethLab } from "./_setup.ts";

/** A netlink attribute (4-byte aligned). */
function attr(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array((4 + payload.length + 3) & ~3);
  new DataView(out.buffer).setUint16(0, 4 + payload.length, true);
  new DataView(out.buffer).setUint16(2, type, true);
  out.set(payload, 4);
  return out;
}

const cat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

/** Little-endian u32 values, back to back (a struct of u32s). */
function u32s(...values: number[]): Uint8Array {
  const b = new Uint8Array(4 * values.length);
  values.forEach((x, i) => new DataView(b.buffer).setUint32(4 * i, x >>> 0, true));
  return b;
}

function u64(x: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, x, true);
  return b;
}

/** An address in a 32-byte field (struct ifla_vf_mac's and ifla_vf_broadcast's). */
function addr32(...bytes: number[]): Uint8Array {
  const b = new Uint8Array(32);
  b.set(bytes);
  return b;
}

interface Vf {
  vf: number;
  mac: number[];
  vlan?: [number, number]; // IFLA_VF_VLAN: vlan, qos
  vlanList?: [number, number, number][]; // vlan, qos, protocol
  txRate?: number;
  rate?: [number, number]; // min, max
  spoofchk?: number;
  linkState?: number;
  trust?: number;
  rss?: number;
  guids?: [bigint, bigint];
  stats?: boolean;
}

/** One IFLA_VF_INFO nest, as the kernel fills it (rtnl_fill_vfinfo). */
function vfInfo(v: Vf): Uint8Array {
  const parts = [
    attr(1, cat(u32s(v.vf), addr32(...v.mac))),
    attr(13, addr32(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
    attr(2, u32s(v.vf, v.vlan?.[0] ?? 0, v.vlan?.[1] ?? 0)),
    attr(3, u32s(v.vf, v.txRate ?? 0)),
    attr(6, u32s(v.vf, v.rate?.[0] ?? 0, v.rate?.[1] ?? 0)),
    attr(4, u32s(v.vf, v.spoofchk ?? 0xffffffff)),
    attr(5, u32s(v.vf, v.linkState ?? 0)),
    attr(7, u32s(v.vf, v.rss ?? 0xffffffff)),
    attr(9, u32s(v.vf, v.trust ?? 0xffffffff)),
  ];
  if (v.vlanList) {
    parts.push(attr(
      12,
      cat(...v.vlanList.map(([vlan, qos, proto]) => {
        const info = cat(u32s(v.vf, vlan, qos), new Uint8Array(4));
        new DataView(info.buffer).setUint16(12, proto); // __be16 vlan_proto
        return attr(1, info);
      })),
    ));
  }
  if (v.guids) {
    for (const [type, guid] of [[10, v.guids[0]], [11, v.guids[1]]] as const) {
      parts.push(attr(type, cat(u32s(v.vf, 0), u64(guid))));
    }
  }
  if (v.stats) {
    const counters: [number, bigint][] = [[0, 10n], [1, 20n], [2, 1234n], [3, 5678n], [4, 3n], [5, 4n], [7, 5n], [
      8,
      6n,
    ]];
    parts.push(attr(8, cat(...counters.map(([t, x]) => attr(t, u64(x))))));
  }
  return attr(1, cat(...parts));
}

/** RTM_NEWLINK of an Ethernet link `name` (ifindex `index`, up) with these VFs and IFLA_NUM_VF `numVf`. */
function linkWithVfs(index: number, name: string, numVf: number, vfs: Vf[]): Uint8Array {
  const body = new Uint8Array(16);
  const v = new DataView(body.buffer);
  v.setUint16(2, 1, true); // ARPHRD_ETHER
  v.setInt32(4, index, true);
  v.setUint32(8, 0x1003, true); // UP, BROADCAST, MULTICAST
  const attrs = cat(
    attr(3, new TextEncoder().encode(name + "\0")),
    attr(4, u32s(1500)),
    attr(1, Uint8Array.of(2, 0, 0, 0, 0, 0x10)),
    attr(2, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)),
    attr(21, u32s(numVf)),
    attr(22, cat(...vfs.map(vfInfo))),
  );
  const msg = new Uint8Array(16 + body.length + attrs.length);
  const h = new DataView(msg.buffer);
  h.setUint32(0, msg.length, true);
  h.setUint16(4, 16, true); // RTM_NEWLINK
  msg.set(body, 16);
  msg.set(attrs, 32);
  return msg;
}

await kernelTest("ip: SR-IOV VFs of a link printed as iproute2 prints them", {}, async (_conn, ns) => {
  const bytes = cat(
    linkWithVfs(50, "sriov0", 3, [
      {
        vf: 0,
        mac: [2, 0, 0, 0, 0, 1],
        vlan: [5, 2],
        txRate: 100,
        rate: [0, 100],
        spoofchk: 1,
        linkState: 1,
        trust: 1,
      },
      { vf: 1, mac: [0, 0, 0, 0, 0, 0], rate: [10, 300], spoofchk: 0, linkState: 2, trust: 0, rss: 1, stats: true },
      {
        vf: 2,
        mac: [2, 0, 0, 0, 0, 3],
        vlanList: [[7, 1, 0x88a8], [8, 0, 0x8100]],
        linkState: 0,
        rss: 0,
        guids: [0x0011223344556677n, 0x8899aabbccddeeffn],
      },
    ]),
    linkWithVfs(51, "sriov1", 4, [{ vf: 0, mac: [2, 0, 0, 0, 0, 9] }]), // a list cut short: Truncated VF list
  );
  const dir = await Deno.makeTempDir({ prefix: "ip_link_vf_" });
  try {
    const file = `${dir}/vfs.log`;
    await Deno.writeFile(file, bytes);
    for (
      const args of [
        ["-d", "monitor", "file", file],
        ["-d", "-s", "monitor", "file", file],
        ["-d", "-s", "-h", "monitor", "file", file],
        ["-d", "-o", "monitor", "file", file],
        ["-d", "-c", "monitor", "file", file],
        ["monitor", "file", file], // without -d no VF lines
      ]
    ) {
      const { stdout, stderr } = await sameText(ns, args);
      if (args[0] === "-d" && args.length === 4) {
        assert.match(stdout, /\n {4}vf 0 {5}link\/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff, vlan 5, qos 2, /);
        assert.match(stderr, /^Truncated VF list: sriov1$/m);
      }
    }
    // iproute2's monitor writes one JSON document per message: compared as text
    await sameText(ns, ["-d", "-j", "monitor", "file", file]);
    await sameText(ns, ["-d", "-s", "-j", "monitor", "file", file]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

await captureTest("ip link set vf: every message as iproute2's", { needs: ["veth"] }, async (ns) => {
  await vethLab(ns);
  for (
    const cmd of [
      "link set dev p0 vf 0 mac 02:00:00:00:00:01",
      "link set dev p0 vf 0 vlan 5 qos 2",
      "link set dev p0 vf 0 vlan 5 proto 802.1ad vlan 6",
      "link set dev p0 vf 1 rate 100",
      "link set dev p0 vf 1 max_tx_rate 300 min_tx_rate 100",
      "link set dev p0 vf 1 max_tx_rate 300",
      "link set dev p0 vf 1 min_tx_rate 30",
      "link set dev p0 vf 0 spoofchk on trust off state enable query_rss on",
      "link set dev p0 vf 0 node_guid 00:11:22:33:44:55:66:77",
      "link set p0 mtu 1400 vf 0 trust on up",
      "link set dev p0 address 02:00:00:00:00:09:01",
      "link set dev p0 vf 0 mac 02:00:00:00:00:01:02",
    ]
  ) await sameRequest(ns, cmd, { all: true, linkProbe: true });
});

await kernelTest("ip link set vf: errors as iproute2's", { needs: ["veth"] }, async (_c, ns) => {
  await vethLab(ns);
  for (
    const cmd of [
      "link set dev p0 vf 0 mac 02:00:00:00:00:01", // the kernel: a veth has no VFs
      "link set dev p0 vf 0 mac 02:00:00:00:00:01:02",
      "link set dev p0 address 02:00:00:00:00:09:01",
      "link set dev p0 vf x trust on",
      "link set vf 0 trust on",
      "link set dev p0 vf 0",
      "link set dev p0 vf 0 bogus",
      "link set dev p0 vf 0 vlan 5000",
      "link set dev p0 vf 0 vlan 5 proto 802.1x",
      "link set dev p0 vf 0 vlan 5 proto 0x0800",
      "link set dev p0 vf 0 vlan 5 proto IPv6",
      "link set dev p0 vf 0 vlan 5 proto 8021q",
      "link set dev p0 vf 0 vlan 5 qos x",
      "link set dev p0 vf 0 rate x",
      "link set dev p0 vf 0 max_tx_rate 10 min_tx_rate 20",
      "link set dev p0 vf 0 spoofchk maybe",
      "link set dev p0 vf 0 trust",
      "link set dev p0 vf 0 state bogus",
      "link set dev p0 vf 0 node_guid 00:11",
    ]
  ) await sameError(ns, cmd);
});
