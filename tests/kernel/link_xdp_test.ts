/**
 * XDP through setLink: an XDP_PASS program attached by descriptor and by pinned path (generic mode) reads back
 * in the link's IFLA_XDP, a second attach is refused without `force`, `off` detaches, and bad input fails with a
 * ValidationError before anything is sent. The pinned path lives on a bpf file system mounted in a helper's
 * private mount namespace; where that or bpf(2) is refused the tests are skipped with the reason.
 */
import assert from "node:assert/strict";
import { bpfClose, bpfObjPin } from "../../ffi/bpf.ts";
import { NetlinkError, ValidationError } from "../../src/core/errors.ts";
import { linkSetRequest, xdpAttr } from "../../src/route/link.ts";
import { kernelTest } from "../_lib/netns.ts";
import { loadXdpPass, xdpLoadUnavailable } from "../_lib/bpffs.ts";

const NO_BPF = xdpLoadUnavailable();

function xdpTest(name: string, fn: Parameters<typeof kernelTest>[2]): Promise<void> {
  if (NO_BPF) {
    Deno.test({ name: `${name} [skipped: ${NO_BPF}]`, ignore: true, fn() {} });
    return Promise.resolve();
  }
  return kernelTest(name, { needs: ["veth"] }, fn);
}

Deno.test("xdpAttr: flags as iproute2 sets them, bad input refused", () => {
  assert.deepEqual(xdpAttr({ off: true }, "xdp"), { fd: -1, flags: 1 });
  assert.deepEqual(xdpAttr({ off: true, force: true }, "xdp"), { fd: -1 });
  assert.deepEqual(xdpAttr({ fd: 9, mode: "drv" }, "xdp"), { fd: 9, flags: 5 });
  assert.deepEqual(xdpAttr({ fd: 9, mode: "offload", force: true }, "xdp"), { fd: 9, flags: 8 });
  assert.throws(() => xdpAttr({ off: true, fd: 3 }, "xdp"), ValidationError);
  assert.throws(() => xdpAttr({}, "xdp"), ValidationError);
  assert.throws(() => xdpAttr({ fd: -2 }, "xdp"), ValidationError);
  assert.throws(() => xdpAttr({ fd: 3, mode: "fast" as "drv" }, "xdp"), ValidationError);
  // `ip link set DEV mtu 1400 xdpgeneric off`: IFLA_MTU, then IFLA_XDP { FD -1, FLAGS 3 }.
  const hex = Array.from(linkSetRequest(7, { mtu: 1400, xdp: { off: true, mode: "generic" } }).subarray(16))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  assert.equal(hex, "0000000007000000000000000000000008000400780500001400" + "2b0008000100ffffffff0800030003000000");
});

await xdpTest("setLink xdp: attach by fd and by pinned path, refuse, force, detach", async (conn) => {
  await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
  const fd = loadXdpPass("pass_fd");
  try {
    await conn.setLink("v0", { xdp: { fd, mode: "generic" } });
  } finally {
    bpfClose(fd);
  }
  const attached = (await conn.getLink("v0")).xdp;
  assert.equal(attached?.attached, "skb");
  assert.ok((attached?.progId ?? 0) > 0);
  const second = loadXdpPass("pass_second");
  try {
    await assert.rejects(conn.setLink("v0", { xdp: { fd: second, mode: "generic" } }), NetlinkError);
    await conn.setLink("v0", { xdp: { fd: second, mode: "generic", force: true } });
  } finally {
    bpfClose(second);
  }
  assert.notEqual((await conn.getLink("v0")).xdp?.progId, attached?.progId);
  await conn.setLink("v0", { xdp: { off: true, mode: "generic" } });
  assert.equal((await conn.getLink("v0")).xdp?.attached, "none");
  await assert.rejects(conn.setLink("v0", { xdp: { pinned: "" } }), ValidationError);
  await assert.rejects(conn.setLink("v0", { xdp: { pinned: "/nonexistent/prog" } }), (e: NetlinkError) => {
    assert.equal(e.errno, 2);
    return true;
  });
});

await xdpTest("setLink xdp pinned: the path is opened for the request and closed", async (conn) => {
  const helper = new Deno.Command("unshare", {
    args: ["--mount", "--propagation", "private", "sh", "-c", "mount -t bpf bpf /mnt && echo ready && exec cat"],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  try {
    const reader = helper.stdout.getReader();
    const first = await reader.read();
    reader.releaseLock();
    assert.equal(new TextDecoder().decode(first.value).trim(), "ready");
    const path = `/proc/${helper.pid}/root/mnt/pass`;
    const fd = loadXdpPass("pass_pinned");
    try {
      bpfObjPin(fd, path);
    } finally {
      bpfClose(fd);
    }
    await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
    const before = [...Deno.readDirSync("/proc/self/fd")].length;
    await conn.setLink("v0", { xdp: { pinned: path, mode: "generic" } });
    assert.equal([...Deno.readDirSync("/proc/self/fd")].length, before);
    assert.ok(((await conn.getLink("v0")).xdp?.progId ?? 0) > 0);
    await conn.setLink("v0", { xdp: { off: true } });
  } finally {
    await helper.stdin.close().catch(() => {});
    await helper.output();
  }
});
