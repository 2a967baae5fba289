/** NetlinkSocket: any protocol, bound port ids, groups, receive buffers, prompt close. */
import { equal, ok, throws } from "node:assert/strict";
import { type NetlinkError, NetlinkSocket } from "../../mod.ts";
import { NETLINK } from "../../ffi/constants.ts";
import { openNetns } from "../../src/netns/mod.ts";
import { kernelTest } from "../_lib/netns.ts";

await kernelTest("sockets for several protocols, each bound to a port id of its own", {}, () => {
  const protocols = [NETLINK.ROUTE, NETLINK.GENERIC, NETLINK.SOCK_DIAG, NETLINK.XFRM, NETLINK.NETFILTER, NETLINK.AUDIT];
  for (const p of protocols) {
    // Port ids are per protocol: the first socket gets the pid, the next ones other ids.
    const sockets = [NetlinkSocket.open(p), NetlinkSocket.open(p), NetlinkSocket.open(p)];
    try {
      for (const s of sockets) ok(s.portId !== 0 && s.fd >= 0 && s.protocol === p);
      equal(new Set(sockets.map((s) => s.portId)).size, 3);
    } finally {
      for (const s of sockets) s.close();
    }
  }
  return Promise.resolve();
});

await kernelTest("receive buffer: forced above the system maximum as root", {}, () => {
  using s = NetlinkSocket.open(NETLINK.ROUTE);
  const granted = s.setReceiveBuffer(8 << 20);
  ok(granted >= 8 << 20, `granted ${granted}`); // the kernel reports twice what was set
  return Promise.resolve();
});

await kernelTest("groups: join and leave any group number; bind with a mask", {}, () => {
  using s = NetlinkSocket.open(NETLINK.ROUTE, { groups: 1 });
  s.join(33); // RTNLGRP_BRVLAN: above 32, only setsockopt can join it
  s.leave(33);
  return Promise.resolve();
});

await kernelTest("a closed socket refuses use with EBADF", {}, () => {
  const s = NetlinkSocket.open(NETLINK.ROUTE);
  s.close();
  s.close(); // idempotent
  throws(() => s.send(new Uint8Array(16)), (e: NetlinkError) => e.code === "EBADF");
  return Promise.resolve();
});

await kernelTest(
  "a socket that cannot be created inside a namespace leaves the thread at home",
  {},
  async (_conn, ns) => {
    const home = (await Deno.stat("/proc/thread-self/ns/net")).ino;
    const handle = openNetns(ns);
    try {
      throws(() => NetlinkSocket.open(99, { netnsFd: handle.fd }), (e: NetlinkError) => e.code === "EPROTONOSUPPORT");
    } finally {
      handle.close();
    }
    equal((await Deno.stat("/proc/thread-self/ns/net")).ino, home);
  },
);
