/**
 * getBpfProgInfo (BPF_PROG_GET_FD_BY_ID + BPF_OBJ_GET_INFO_BY_FD): a loaded XDP_PASS program reads back with
 * its id, type, name, tag and load time, and the same through an XDP attachment's IFLA_XDP program id; an id
 * no program has resolves to undefined, a bad id is a ValidationError. Where bpf(2) is refused the tests are
 * skipped with the reason.
 */
import assert from "node:assert/strict";
import { bpfClose, bpfProgInfo } from "../../ffi/bpf.ts";
import { ValidationError } from "../../src/core/errors.ts";
import { getBpfProgInfo } from "../../src/route/bpf_info.ts";
import { kernelTest } from "../_lib/netns.ts";
import { loadXdpPass, XDP_PASS, xdpLoadUnavailable } from "../_lib/bpffs.ts";

const NO_BPF = xdpLoadUnavailable();

Deno.test("getBpfProgInfo: a bad id is refused before bpf(2)", async () => {
  for (const id of [0, -1, 1.5, 2 ** 32, "7" as unknown as number]) {
    await assert.rejects(getBpfProgInfo(id), ValidationError);
  }
});

Deno.test({
  name: `getBpfProgInfo: a loaded program by id${NO_BPF ? ` [skipped: ${NO_BPF}]` : ""}`,
  ignore: NO_BPF !== undefined,
  async fn() {
    const fd = loadXdpPass("xdp_info");
    let id: number;
    try {
      const direct = bpfProgInfo(fd);
      id = direct.id;
      assert.ok(id > 0);
      const info = await getBpfProgInfo(id);
      assert.ok(info);
      assert.equal(info.id, id);
      assert.equal(info.type, XDP_PASS.type);
      assert.equal(info.name, "xdp_info");
      assert.match(info.tag, /^[0-9a-f]{16}$/);
      assert.equal(info.tag, direct.tag);
      assert.equal(typeof info.jited, "boolean");
      assert.equal(typeof info.loadTime, "bigint");
      assert.ok(info.loadTime > 0n);
      assert.equal(info.createdByUid, Deno.uid());
    } finally {
      bpfClose(fd);
    }
    // The program is freed with its last fd (asynchronously, after an RCU grace period).
    for (let i = 0; i < 50 && await getBpfProgInfo(id) !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await getBpfProgInfo(id), undefined);
  },
});

if (!NO_BPF) {
  await kernelTest("getBpfProgInfo: the program an XDP attachment names", { needs: ["veth"] }, async (conn) => {
    await conn.addLink({ kind: "veth", name: "v0", peer: { name: "v1" } });
    const fd = loadXdpPass("xdp_attached");
    try {
      await conn.setLink("v0", { xdp: { fd, mode: "generic" } });
    } finally {
      bpfClose(fd);
    }
    const link = await conn.getLink("v0");
    assert.equal(link.xdp?.attached, "skb");
    const info = await getBpfProgInfo(link.xdp!.progId!);
    assert.equal(info?.name, "xdp_attached");
    await conn.setLink("v0", { xdp: { off: true, mode: "generic" } });
  });
}
