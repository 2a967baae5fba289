/**
 * `ip monitor file FILE` and `tc monitor file FILE` against iproute2: a file
 * recorded by iproute2's `rtmon file FILE` while links, addresses, routes,
 * neighbours, rules, qdiscs and classes change (so it holds rtmon's initial
 * dump, its time stamps and every group's notifications), printed by both
 * tools (with `label`, `-o`, `-d`); a truncated and a malformed file; a
 * missing one. And statistics notifications (`ip monitor stats`), which
 * this kernel has no device to send, and address-label messages, which no
 * group carries, from files written here as the kernel writes them.
 */
import assert from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { assertSameResult, ip, iproute2, nlink, sameText, type Tool } from "./_run.ts";
import { HAS_RTMON, recordRtmon } from "./_setup.ts";

const NEEDS = { needs: ["veth", "sch_htb"] };

/** Records what the changes below cause into a fresh rtmon file in `ns`. */
function record(ns: string, file: string): Promise<void> {
  return recordRtmon(ns, file, async () => {
    for (
      const [cmd, tool] of [
        ["link add p0 type veth peer name p1", "ip"],
        ["link set p0 up", "ip"],
        ["link set p1 up", "ip"],
        ["address add 10.1.0.1/24 dev p0", "ip"],
        ["address add 2001:db8::1/64 dev p0 nodad", "ip"],
        ["route add 10.2.0.0/24 via 10.1.0.2", "ip"],
        ["neigh add 10.1.0.5 lladdr 02:00:00:00:00:05 dev p0", "ip"],
        ["rule add from 10.9.0.0/24 table 5", "ip"],
        ["qdisc add dev p0 root handle 1: htb default 10", "tc"],
        ["class add dev p0 parent 1: classid 1:10 htb rate 1mbit", "tc"],
        ["class del dev p0 classid 1:10", "tc"],
        ["qdisc del dev p0 root", "tc"],
        ["route del 10.2.0.0/24", "ip"],
        ["address del 10.1.0.1/24 dev p0", "ip"],
      ] as [string, Tool][]
    ) await ip(ns, cmd, tool);
  });
}

/** Both tools on the same file: stdout, stderr and exit code alike. */
async function same(ns: string, args: string[], tool: Tool): Promise<string> {
  const all = ["-n", ns, ...args];
  const [theirs, mine] = await Promise.all([iproute2(all, tool), nlink(all, tool)]);
  const what = `${tool} ${all.join(" ")}`;
  assertSameResult(mine, theirs, what);
  return theirs.stdout;
}

const NAME = "monitor file: rtmon's file printed as iproute2 prints it";
if (!HAS_RTMON) Deno.test({ name: `${NAME} [skipped: rtmon not installed]`, ignore: true, fn() {} });
else {await kernelTest(
    NAME,
    NEEDS,
    async (_conn, ns) => {
      const dir = await Deno.makeTempDir({ prefix: "monitor_file_H_" });
      try {
        const file = `${dir}/rtmon.log`;
        await record(ns, file);
        for (const args of [[], ["label"], ["all"], ["link"], ["dev", "p0"]]) {
          await sameText(ns, ["monitor", ...args, "file", file], "ip");
        }
        await sameText(ns, ["-o", "monitor", "file", file], "ip");
        await sameText(ns, ["-d", "monitor", "label", "file", file], "ip");
        await sameText(ns, ["-4", "monitor", "file", file], "ip");
        assert.match(await same(ns, ["monitor", "file", file], "tc"), /class htb 1:10 dev p0 root /);
        await same(ns, ["-s", "-d", "monitor", "file", file], "tc");
        // the file cut short inside a message, and one whose next length is nonsense
        const bytes = await Deno.readFile(file);
        await Deno.writeFile(`${dir}/short.log`, bytes.subarray(0, bytes.length - 6));
        const bad = new Uint8Array([...bytes, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        await Deno.writeFile(`${dir}/bad.log`, bad);
        for (const name of ["short.log", "bad.log", "missing.log"]) {
          await same(ns, ["monitor", "file", `${dir}/${name}`], "ip");
          await same(ns, ["monitor", "file", `${dir}/${name}`], "tc");
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  );}

/** A netlink attribute, `nested` marked NLA_F_NESTED as the kernel marks it. */
function attr(type: number, payload: Uint8Array, nested = false): Uint8Array {
  const out = new Uint8Array((4 + payload.length + 3) & ~3);
  const v = new DataView(out.buffer);
  v.setUint16(0, 4 + payload.length, true);
  v.setUint16(2, type | (nested ? 0x8000 : 0), true);
  out.set(payload, 4);
  return out;
}

/**
 * RTM_NEWSTATS as the kernel notifies group `stats` (rtnl_offload_xstats_notify): if_stats_msg, then
 * IFLA_STATS_LINK_OFFLOAD_XSTATS (an unmarked nest) › HW_S_INFO › L3_STATS › REQUEST and USED.
 */
function statsNotification(ifindex: number, l3?: { request: number; used: number }): Uint8Array {
  const body = new Uint8Array(12);
  const v = new DataView(body.buffer);
  v.setUint32(4, ifindex, true);
  v.setUint32(8, 1 << 3, true); // filter_mask: IFLA_STATS_LINK_OFFLOAD_XSTATS
  const attrs = l3
    ? attr(
      4,
      attr(
        2,
        attr(3, new Uint8Array([...attr(1, Uint8Array.of(l3.request)), ...attr(2, Uint8Array.of(l3.used))]), true),
        true,
      ),
    )
    : new Uint8Array(0);
  return message(92, body, attrs); // RTM_NEWSTATS
}

/** A netlink message of `type` (sequence number and port id 0): header, fixed part, attributes. */
function message(type: number, body: Uint8Array, attrs: Uint8Array): Uint8Array {
  const msg = new Uint8Array(16 + body.length + attrs.length);
  const h = new DataView(msg.buffer);
  h.setUint32(0, msg.length, true);
  h.setUint16(4, type, true);
  msg.set(body, 16);
  msg.set(attrs, 16 + body.length);
  return msg;
}

/** Runs `fn` with the path of a fresh file holding `bytes`, then removes it. */
async function withFile(bytes: Uint8Array, fn: (file: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "monitor_file_" });
  try {
    const file = `${dir}/saved.log`;
    await Deno.writeFile(file, bytes);
    await fn(file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

await kernelTest(
  "monitor file: RTM_NEWSTATS (ip monitor stats) printed as iproute2 prints it",
  {},
  async (_conn, ns) => {
    const bytes = new Uint8Array([
      ...statsNotification(1, { request: 1, used: 0 }),
      ...statsNotification(1, { request: 1, used: 1 }),
      ...statsNotification(77, { request: 0, used: 0 }), // no such link: named if77
      ...statsNotification(1), // nothing about the hardware counters: the link alone
    ]);
    await withFile(bytes, async (file) => {
      for (const args of [[], ["label"], ["stats"], ["link"]]) {
        const { stdout } = await sameText(ns, ["monitor", ...args, "file", file], "ip");
        if (args.length === 0) assert.match(stdout, /^1: lo:\n {4}l3_stats on used off\n/);
      }
      await sameText(ns, ["-o", "monitor", "label", "file", file], "ip");
    });
  },
);

/** RTM_NEWADDRLABEL or RTM_DELADDRLABEL as the kernel writes them: ifaddrlblmsg, IFAL_ADDRESS, IFAL_LABEL. */
function addressLabelMessage(type: 72 | 73, address: number[], prefixlen: number, index: number, label: number) {
  const body = new Uint8Array(12);
  const v = new DataView(body.buffer);
  body[0] = 10; // AF_INET6
  body[2] = prefixlen;
  v.setUint32(4, index, true);
  v.setUint32(8, 7, true); // the table's sequence number
  const labelBytes = new Uint8Array(4);
  new DataView(labelBytes.buffer).setUint32(0, label, true);
  return message(type, body, new Uint8Array([...attr(1, Uint8Array.from(address)), ...attr(2, labelBytes)]));
}

await kernelTest(
  "monitor file: address-label messages printed as iproute2 prints them",
  {},
  async (_conn, ns) => {
    const v6 = (...tail: number[]) => [0x20, 0x01, 0x0d, 0xb8, ...new Array(12 - tail.length).fill(0), ...tail];
    const bytes = new Uint8Array([
      ...addressLabelMessage(72, v6(), 32, 0, 100),
      ...addressLabelMessage(72, v6(0, 1), 64, 1, 4294967294),
      ...addressLabelMessage(73, v6(), 32, 0, 100),
      ...addressLabelMessage(72, v6(), 48, 77, 5), // no such link: named if77
    ]);
    await withFile(bytes, async (file) => {
      for (const args of [[], ["label"], ["link"]]) {
        const { stdout } = await sameText(ns, ["monitor", ...args, "file", file], "ip");
        if (args.length === 0) assert.match(stdout, /^prefix 2001:db8::\/32 label 100 \n/);
      }
      await sameText(ns, ["-o", "monitor", "label", "file", file], "ip");
      await sameText(ns, ["-j", "monitor", "file", file], "ip");
    });
  },
);
