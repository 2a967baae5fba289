/**
 * Kernel features that come as modules a minimal kernel lacks (dummy, 8021q,
 * wireguard, sch_netem, cls_flower, act_gact): one test per module. On such a
 * host they skip with the reason; in the full-kernel VM lane
 * (`deno task test:vm`) they run for real. Each reads the kernel's state
 * back with nlink: links with the library, traffic control with raw dumps
 * (below) until nlink has a TC API.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { type Connection, linkData, type MessageView, MessageWriter } from "../../mod.ts";
import { kernelTest } from "../_lib/netns.ts";

/**
 * Runs iproute2's `ip` or `tc` in the namespace, for what nlink cannot create yet (by name, like the
 * other kernel tests: the VM lane's guest has no busybox `ip`/`tc` applets to shadow them).
 */
async function iproute2(tool: "ip" | "tc", ns: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command(tool, { args: ["-n", ns, ...args], stdout: "piped", stderr: "piped" }).output();
  const err = new TextDecoder().decode(out.stderr);
  equal(out.code, 0, `${tool} -n ${ns} ${args.join(" ")}: ${err}`);
}

async function upDummy(conn: Connection, name = "d0"): Promise<number> {
  await conn.addLink({ kind: "dummy", name });
  await conn.setLinkUp(name);
  return (await conn.getLink(name)).index;
}

await kernelTest("dummy: a link, its address and its route read back", { needs: ["dummy"] }, async (conn) => {
  await conn.addLink({ kind: "dummy", name: "dum0", mtu: 9000, address: "02:00:00:00:00:01" });
  await conn.setLinkUp("dum0");
  const link = await conn.getLink("dum0");
  deepStrictEqual([link.linkinfo?.kind, link.mtu, link.address, link.type], [
    "dummy",
    9000,
    "02:00:00:00:00:01",
    "ether",
  ]);
  ok(link.flags.includes("UP"));
  await conn.addAddress({ dev: "dum0", address: "192.0.2.1/24" });
  const route = (await conn.getRoutes({ family: "inet", table: "main" })).find((r) => r.dst === "192.0.2.0/24");
  equal(route?.oif, link.index);
  await conn.delLink("dum0");
  deepStrictEqual(await conn.getLinks({ kind: "dummy" }), []);
});

await kernelTest("vlan: made by iproute2, read back as kind vlan on its parent", {
  needs: ["8021q", "dummy"],
}, async (conn, ns) => {
  const parent = await upDummy(conn);
  await iproute2("ip", ns, "link", "add", "link", "d0", "name", "d0.5", "type", "vlan", "id", "5");
  const vlan = await conn.getLink("d0.5");
  deepStrictEqual([vlan.linkinfo?.kind, vlan.link], ["vlan", parent]);
  // What iproute2 made decodes as typed vlan data.
  const data = linkData(vlan, "vlan");
  deepStrictEqual([data?.id, data?.protocol], [5, "802.1Q"]);
  deepStrictEqual((await conn.getLinks({ kind: "vlan" })).map((l) => l.name), ["d0.5"]);
});

await kernelTest("wireguard: a link created with addLink reads back", { needs: ["wireguard"] }, async (conn) => {
  await conn.addLink({ kind: "wireguard", name: "wg0" });
  await conn.setLinkUp("wg0");
  const wg = await conn.getLink("wg0");
  deepStrictEqual([wg.linkinfo?.kind, wg.type, wg.mtu], ["wireguard", "none", 1420]);
  for (const flag of ["UP", "POINTOPOINT", "NOARP"]) ok(wg.flags.includes(flag), `${flag} in ${wg.flags}`);
  await conn.delLink("wg0");
  deepStrictEqual(await conn.getLinks({ kind: "wireguard" }), []);
});

await kernelTest("netem: a root qdisc made by tc reads back with its limit and delay", {
  needs: ["sch_netem", "dummy"],
}, async (conn, ns) => {
  const dev = await upDummy(conn);
  await iproute2(
    "tc",
    ns,
    "qdisc",
    "add",
    "dev",
    "d0",
    "root",
    "handle",
    "1:",
    "netem",
    "limit",
    "1234",
    "delay",
    "10ms",
  );
  const qdiscs = (await tcDump(conn, RTM_GETQDISC, dev)).filter((q) => q.ifindex === dev);
  deepStrictEqual(qdiscs.map((q) => [q.kind, q.handle, q.parent]), [["netem", 0x10000, TC_H_ROOT]]);
  // TCA_OPTIONS of netem: struct tc_netem_qopt (24 bytes), then attributes.
  const opts = qdiscs[0].options!;
  const view = new DataView(opts.buffer, opts.byteOffset, opts.byteLength);
  equal(view.getUint32(4, true), 1234); // limit
  const TCA_NETEM_LATENCY64 = 10;
  const latency = parseAttrs(opts, 24, opts.length).get(TCA_NETEM_LATENCY64)!;
  equal(new DataView(latency.buffer, latency.byteOffset).getBigInt64(0, true), 10_000_000n); // ns
});

await kernelTest("flower: an ingress filter made by tc reads back with its keys", {
  needs: ["cls_flower", "sch_ingress", "dummy"],
}, async (conn, ns) => {
  const dev = await upDummy(conn);
  await iproute2("tc", ns, "qdisc", "add", "dev", "d0", "ingress");
  await iproute2(
    "tc",
    ns,
    "filter",
    "add",
    "dev",
    "d0",
    "ingress",
    "protocol",
    "ip",
    "pref",
    "10",
    "flower",
    "dst_ip",
    "192.0.2.1",
    "ip_proto",
    "udp",
  );
  const filter = await onlyFilter(conn, dev);
  equal(filter.kind, "flower");
  equal(filter.info >>> 16, 10); // pref
  equal(filter.info & 0xffff, 0x0008); // ETH_P_IP, network order, read as host u16
  const TCA_FLOWER_KEY_ETH_TYPE = 8, TCA_FLOWER_KEY_IP_PROTO = 9, TCA_FLOWER_KEY_IPV4_DST = 12;
  const keys = parseAttrs(filter.options!, 0, filter.options!.length);
  equal(be16(keys.get(TCA_FLOWER_KEY_ETH_TYPE)), 0x0800);
  equal(keys.get(TCA_FLOWER_KEY_IP_PROTO)?.[0], 17); // UDP
  deepStrictEqual([...keys.get(TCA_FLOWER_KEY_IPV4_DST)!], [192, 0, 2, 1]);
});

await kernelTest("gact: a flower filter's drop action reads back as gact", {
  needs: ["act_gact", "cls_flower", "sch_ingress", "dummy"],
}, async (conn, ns) => {
  const dev = await upDummy(conn);
  await iproute2("tc", ns, "qdisc", "add", "dev", "d0", "ingress");
  await iproute2(
    "tc",
    ns,
    "filter",
    "add",
    "dev",
    "d0",
    "ingress",
    "protocol",
    "ip",
    "pref",
    "10",
    "flower",
    "dst_ip",
    "192.0.2.1",
    "action",
    "drop",
  );
  const filter = await onlyFilter(conn, dev);
  const TCA_FLOWER_ACT = 3, TCA_ACT_KIND = 1, TCA_ACT_OPTIONS = 2, TCA_GACT_PARMS = 2, TC_ACT_SHOT = 2;
  const acts = parseAttrs(filter.options!, 0, filter.options!.length).get(TCA_FLOWER_ACT)!;
  // The action list nests one attribute per action, numbered by its order (1 = first).
  const first = parseAttrs(acts, 0, acts.length).get(1)!;
  const act = parseAttrs(first, 0, first.length);
  equal(cString(act.get(TCA_ACT_KIND)), "gact");
  const parms = parseAttrs(act.get(TCA_ACT_OPTIONS)!, 0, act.get(TCA_ACT_OPTIONS)!.length).get(TCA_GACT_PARMS)!;
  equal(new DataView(parms.buffer, parms.byteOffset).getInt32(8, true), TC_ACT_SHOT); // struct tc_gact.action
});

// ---------------------------------------------------------------------------
// TEMPORARY raw traffic-control helpers, until nlink has a TC API (src/tc/):
// replace them with its qdisc and filter dumps then.
// ---------------------------------------------------------------------------

const RTM_GETQDISC = 38;
const RTM_GETTFILTER = 46;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const TCA_KIND = 1;
const TCA_OPTIONS = 2;
const TC_H_ROOT = 0xffffffff;
const TC_H_INGRESS_QDISC = 0xffff0000; // the ingress qdisc's handle, ffff:
const TCMSG_SIZE = 20;

/** A qdisc or filter as a dump returns it: struct tcmsg, TCA_KIND, raw TCA_OPTIONS. */
interface TcObject {
  ifindex: number;
  handle: number;
  parent: number;
  /** For filters: pref << 16 | protocol (network order). */
  info: number;
  kind?: string;
  options?: Uint8Array;
}

/** A dump request: nlmsghdr, then struct tcmsg { family u8, pad[3], ifindex s32, handle, parent, info u32 }. */
function tcDumpRequest(type: number, ifindex: number, parent: number): Uint8Array {
  const w = new MessageWriter();
  const m = w.beginMessage(type, NLM_F_REQUEST | NLM_F_DUMP);
  const at = w.zeros(TCMSG_SIZE);
  w.view.setInt32(at + 4, ifindex, true);
  w.view.setUint32(at + 12, parent, true);
  w.endMessage(m);
  return w.bytes().slice();
}

function decodeTc(msg: MessageView): TcObject {
  const at = msg.offset + 16; // after nlmsghdr
  const v = msg.view;
  const attrs = parseAttrs(msg.bytes, at + TCMSG_SIZE, msg.offset + msg.length);
  return {
    ifindex: v.getInt32(at + 4, true),
    handle: v.getUint32(at + 8, true),
    parent: v.getUint32(at + 12, true),
    info: v.getUint32(at + 16, true),
    kind: cString(attrs.get(TCA_KIND)),
    options: attrs.get(TCA_OPTIONS),
  };
}

function tcDump(conn: Connection, type: number, ifindex: number, parent = 0): Promise<TcObject[]> {
  return conn.dump(tcDumpRequest(type, ifindex, parent), decodeTc, `raw tc dump ${type}`);
}

/** The one filter on the device's ingress qdisc (the dump also lists its chain head, without options). */
async function onlyFilter(conn: Connection, dev: number): Promise<TcObject> {
  const filters = (await tcDump(conn, RTM_GETTFILTER, dev, TC_H_INGRESS_QDISC)).filter((f) => f.options);
  equal(filters.length, 1, `one filter: ${JSON.stringify(filters.map((f) => f.kind))}`);
  return filters[0];
}

/** Netlink attributes in [start, end): type (flags masked off) → payload copy. */
function parseAttrs(bytes: Uint8Array, start: number, end: number): Map<number, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<number, Uint8Array>();
  for (let at = start; at + 4 <= end;) {
    const len = view.getUint16(at, true);
    if (len < 4) break;
    out.set(view.getUint16(at + 2, true) & 0x3fff, bytes.slice(at + 4, at + len));
    at += (len + 3) & ~3;
  }
  return out;
}

function cString(b: Uint8Array | undefined): string | undefined {
  return b && new TextDecoder().decode(b.subarray(0, b.indexOf(0) < 0 ? b.length : b.indexOf(0)));
}

function be16(b: Uint8Array | undefined): number | undefined {
  return b && ((b[0] << 8) | b[1]);
}
