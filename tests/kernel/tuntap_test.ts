/**
 * TUN/TAP in a private namespace: packets through a tun device to the kernel's
 * stack and back (ICMP echo), Ethernet frames through a tap (ARP), persistence
 * and deletion, multi-queue attach/disable, owner/group, the listing with its
 * attached processes, and no file descriptor left open.
 */
import { deepStrictEqual, equal, ok, rejects, throws } from "node:assert/strict";
import { Connection, NetlinkError } from "../../mod.ts";
import { createTun, deleteTunTap, listTunTap, type TunDevice } from "../../src/tuntap/mod.ts";
import { kernelTest, NO_NETNS_REASON, withNetns } from "../_lib/netns.ts";
import { TUN_IOCTL, tunGetInt } from "../../ffi/tun.ts";

/** Why this host cannot make tun devices (probed in a scratch namespace), or undefined. */
const TUN_REASON: string | undefined = NO_NETNS_REASON ?? await withNetns((_conn, ns) => {
  try {
    createTun({ mode: "tun", netns: ns }).close();
    return Promise.resolve(undefined);
  } catch (e) {
    return Promise.resolve(`no TUN/TAP here (${(e as Error).message})`);
  }
});

function tunTest(name: string, fn: (conn: Connection, ns: string) => Promise<void>): Promise<void> {
  if (TUN_REASON) {
    Deno.test({ name: `${name} [skipped: ${TUN_REASON}]`, ignore: true, fn() {} });
    return Promise.resolve();
  }
  return kernelTest(name, {}, fn);
}

function openFds(): number {
  return [...Deno.readDirSync("/proc/self/fd")].length;
}

function checksum(b: Uint8Array, start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += (b[i] << 8) | (i + 1 < end ? b[i + 1] : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An IPv4 ICMP echo request from `src` to `dst`. */
function echoRequest(src: number[], dst: number[], id: number, seq: number): Uint8Array {
  const payload = new TextEncoder().encode("nlink tun test");
  const p = new Uint8Array(20 + 8 + payload.length);
  const v = new DataView(p.buffer);
  p[0] = 0x45;
  v.setUint16(2, p.length);
  v.setUint16(6, 0x4000);
  p[8] = 64;
  p[9] = 1;
  p.set(src, 12);
  p.set(dst, 16);
  v.setUint16(10, checksum(p, 0, 20));
  p[20] = 8;
  v.setUint16(24, id);
  v.setUint16(26, seq);
  p.set(payload, 28);
  v.setUint16(22, checksum(p, 20, p.length));
  return p;
}

/** Reads packets until `match` accepts one (other traffic, such as IPv6, is skipped). */
async function readUntil(dev: TunDevice, match: (p: Uint8Array) => boolean, ms = 3000): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(ms);
  for (;;) {
    const p = await dev.read(signal);
    if (match(p)) return p;
  }
}

await tunTest("tun: an ICMP echo written to the fd is answered by the kernel", async (conn, ns) => {
  const before = openFds();
  {
    using tun = createTun({ mode: "tun", name: "t%d", netns: ns });
    equal(tun.name, "t0");
    await conn.addAddress({ dev: tun.name, address: "10.9.0.1/24" });
    await conn.setLink(tun.name, { up: true });
    const wrote = await tun.write(echoRequest([10, 9, 0, 2], [10, 9, 0, 1], 0x1234, 7));
    equal(wrote, 42);
    const reply = await readUntil(tun, (p) => p[0] >> 4 === 4 && p[9] === 1 && p[20] === 0);
    deepStrictEqual([...reply.subarray(12, 20)], [10, 9, 0, 1, 10, 9, 0, 2]);
    equal(new DataView(reply.buffer).getUint16(24), 0x1234);
    equal(new DataView(reply.buffer).getUint16(26), 7);
    equal(new TextDecoder().decode(reply.subarray(28)), "nlink tun test");
  }
  equal(openFds(), before, "every fd closed");
  await rejects(conn.getLink("t0"), NetlinkError); // not persistent: gone with its fd
});

await tunTest("tun: packet info header (pi) carries the protocol", async (conn, ns) => {
  using tun = createTun({ mode: "tun", name: "pi0", packetInfo: true, netns: ns });
  await conn.addAddress({ dev: "pi0", address: "10.9.1.1/24" });
  await conn.setLink("pi0", { up: true });
  const packet = echoRequest([10, 9, 1, 2], [10, 9, 1, 1], 1, 1);
  const framed = new Uint8Array(4 + packet.length);
  framed.set([0, 0, 0x08, 0x00]);
  framed.set(packet, 4);
  await tun.write(framed);
  const reply = await readUntil(tun, (p) => p[2] === 0x08 && p[3] === 0x00 && p[4 + 9] === 1);
  equal(reply[4 + 20], 0); // echo reply
});

await tunTest("tap: an ARP request written as a frame gets the kernel's ARP reply", async (conn, ns) => {
  using tap = createTun({ mode: "tap", name: "tap0", netns: ns });
  await conn.setLink("tap0", { up: true });
  await conn.addAddress({ dev: "tap0", address: "10.9.2.1/24" });
  const link = await conn.getLink("tap0");
  const mac = [2, 0, 0, 0, 0, 2];
  const frame = new Uint8Array([
    ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
    ...mac,
    0x08,
    0x06, // ARP
    0,
    1,
    0x08,
    0,
    6,
    4,
    0,
    1, // request
    ...mac,
    10,
    9,
    2,
    2,
    ...[0, 0, 0, 0, 0, 0],
    10,
    9,
    2,
    1,
  ]);
  await tap.write(frame);
  const reply = await readUntil(tap, (f) => f[12] === 0x08 && f[13] === 0x06 && f[21] === 2);
  deepStrictEqual([...reply.subarray(0, 6)], mac);
  const sender = [...reply.subarray(22, 28)].map((b) => b.toString(16).padStart(2, "0")).join(":");
  equal(sender, link.address);
  deepStrictEqual([...reply.subarray(28, 32)], [10, 9, 2, 1]);
});

await tunTest("tun: persistent devices stay after close and go when deleted", async (conn, ns) => {
  const before = openFds();
  createTun({ mode: "tap", name: "keep0", persist: true, owner: 1000, group: 100, netns: ns }).close();
  createTun({ mode: "tun", name: "keep1", persist: true, vnetHdr: true, netns: ns }).close();
  equal(openFds(), before);
  const listed = await listTunTap(conn);
  const keep0 = listed.find((d) => d.name === "keep0");
  ok(keep0, "keep0 listed");
  equal(keep0.type, "tap");
  equal(keep0.persist, true);
  equal(keep0.pi, false);
  equal(keep0.owner, 1000);
  equal(keep0.group, 100);
  equal(keep0.linkType, "ether");
  const keep1 = listed.find((d) => d.name === "keep1")!;
  equal(keep1.vnetHdr, true);
  equal(keep1.flags, 0x0001 | 0x1000 | 0x4000 | 0x0800);
  // Attach to the persistent device again, then delete it through the handle.
  const again = createTun({ mode: "tun", name: "keep1", vnetHdr: true, netns: ns });
  equal(again.persistent, true);
  again.delete();
  await rejects(conn.getLink("keep1"), NetlinkError);
  // An exclusive create of an existing device fails, and leaves no fd behind.
  throws(() => createTun({ mode: "tap", name: "keep0", exclusive: true, netns: ns }), (e) => {
    return e instanceof NetlinkError && e.errno === 16 && e.operation === "ioctl(TUNSETIFF)";
  });
  // Mode mismatch with the existing device: EINVAL.
  throws(
    () => createTun({ mode: "tun", name: "keep0", netns: ns }),
    (e) => e instanceof NetlinkError && e.errno === 22,
  );
  await deleteTunTap(conn, "keep0");
  await rejects(conn.getLink("keep0"), NetlinkError);
  await rejects(deleteTunTap(conn, "lo"), /not a tun\/tap device/);
  equal(openFds(), before);
});

await tunTest("tun: multi-queue devices open, disable and close queues", async (conn, ns) => {
  const before = openFds();
  const dev = createTun({ mode: "tap", name: "mq0", multiQueue: true, netns: ns });
  const q2 = dev.openQueue();
  const q3 = dev.openQueue();
  equal(dev.queues.length, 3);
  let info = (await listTunTap(conn, { processes: true })).find((d) => d.name === "mq0")!;
  equal(info.multiQueue, true);
  equal(info.numQueues, 3);
  equal(info.numDisabledQueues, 0);
  const mine = info.processes!.filter((p) => p.pid === Deno.pid);
  equal(mine.length, 3);
  deepStrictEqual(mine.map((p) => p.fd).sort(), dev.queues.map((q) => q.fd).sort());
  q2.setEnabled(false);
  info = (await listTunTap(conn)).find((d) => d.name === "mq0")!;
  equal(info.numQueues, 2);
  equal(info.numDisabledQueues, 1);
  q2.setEnabled(true);
  q3.close();
  equal(dev.queues.length, 2);
  info = (await listTunTap(conn)).find((d) => d.name === "mq0")!;
  equal(info.numQueues, 2);
  dev.close();
  equal(openFds(), before);
  await rejects(conn.getLink("mq0"), NetlinkError);
  // A single-queue device has one queue only.
  using single = createTun({ mode: "tun", netns: ns });
  throws(() => single.openQueue(), /multi-queue/);
});

await tunTest("tun: a pending read rejects on abort and ends the iterator on close", async (_conn, ns) => {
  const dev = createTun({ mode: "tun", name: "idle0", netns: ns });
  const ac = new AbortController();
  const pending = dev.read(ac.signal);
  ac.abort(new Error("stop"));
  await rejects(pending, /stop/);
  const seen: number[] = [];
  const loop = (async () => {
    for await (const p of dev.queues[0]) seen.push(p.length);
  })();
  await new Promise((r) => setTimeout(r, 20));
  dev.close();
  await loop; // closing ends the loop without an error
  equal(seen.length, 0);
  await rejects(dev.read(), /closed/);
});

await tunTest("tun: devices are made in the chosen namespace only", async (conn, ns) => {
  using dev = createTun({ mode: "tun", name: "nsonly%d", netns: ns });
  ok((await conn.getLink(dev.name)).index > 0);
  using host = await Connection.open();
  await rejects(host.getLink(dev.name), NetlinkError);
});

await tunTest("tun: virtio-net header size and offloads are set", (_conn, ns) => {
  using tap = createTun({ mode: "tap", vnetHdr: true, vnetHdrSize: 12, offload: ["csum", "tso4"], netns: ns });
  equal(tunGetInt(tap.queues[0].fd, TUN_IOCTL.TUNGETVNETHDRSZ, "TUNGETVNETHDRSZ"), 12);
  equal(tap.queues[0].info().flags & 0x4000, 0x4000);
  return Promise.resolve();
});

await tunTest("tun: a pending read fails when the device is deleted underneath", async (conn, ns) => {
  using dev = createTun({ mode: "tun", name: "gone0", netns: ns });
  const pending = dev.read();
  await new Promise((r) => setTimeout(r, 20));
  await deleteTunTap(conn, "gone0");
  await rejects(pending, (e) => e instanceof NetlinkError && e.errno === 77); // EBADFD
});
