/**
 * The bpf filter and the bpf action by pinned path, against the kernel: a
 * program returning TC_ACT_SHOT is loaded (ffi/bpf.ts) and pinned on a bpf
 * file system, a filter (direct-action) or an action names it by path, the
 * kernel's reply reads back (name `BASENAME:[*fsobj]`, program id and tag,
 * act_direct), traffic sent across the veth pair is dropped (the clsact
 * qdisc's drop counter moves), and the fds opened for the requests are closed
 * (the process's open fds are counted before and after).
 *
 * The bpf file system is mounted in a helper process's private mount
 * namespace (`unshare --mount`), never on the host: the test reaches it
 * through `/proc/PID/root/…`, and it disappears with the helper. When that
 * or bpf(2) is refused here, the tests are skipped with the reason.
 */
import { deepStrictEqual, equal, ok, rejects } from "node:assert/strict";
import type { Connection } from "../../mod.ts";
import { Bpffs } from "../_lib/bpffs.ts";
import { NetlinkError } from "../../src/core/errors.ts";
import { filterData } from "../../src/tc/filter.ts";
import { kernelTest } from "../_lib/netns.ts";
import { sendUdp, veth } from "../_lib/setup.ts";

/** `r0 = 2 (TC_ACT_SHOT); exit`. */
const SHOT = [{ code: 0xb7, imm: 2 }, { code: 0x95 }];

/** A program of `type` running `insns` (by default, dropping every packet). */
const prog = (type: "sched_cls" | "sched_act", insns = SHOT) => ({ type, instructions: insns });

/** Why these tests cannot run here (bpf(2) refused, or no bpf file system), or undefined. */
const NO_BPF = await (async () => {
  try {
    await using fs = await Bpffs.open();
    fs.pin("probe", prog("sched_cls"));
    return undefined;
  } catch (e) {
    return `bpf(2) or a bpf file system is not available: ${e instanceof Error ? e.message : e}`;
  }
})();

/** The full-kernel VM lane, where every test must run (as tests/_lib/netns.ts reads it). */
const IN_VM = Deno.permissions.querySync({ name: "env", variable: "NLINK_VM" }).state === "granted" &&
  Deno.env.get("NLINK_VM") === "1";

/** Registers a test, skipped with the reason when bpf(2) or bpffs is unavailable (a failure in the VM lane). */
async function bpfTest(name: string, needs: string[], fn: (conn: Connection, ns: string) => Promise<void>) {
  if (NO_BPF !== undefined && IN_VM) {
    Deno.test({ name, fn: () => Promise.reject(new Error(`the VM lane must run this test, but: ${NO_BPF}`)) });
    return;
  }
  if (NO_BPF !== undefined) {
    Deno.test({ name: `${name} [skipped: ${NO_BPF}]`, ignore: true, fn() {} });
    return;
  }
  await kernelTest(name, { needs }, fn);
}

/** The process's open fds. */
const openFds = () => [...Deno.readDirSync("/proc/self/fd")].length;

/** v0 (10.0.0.1/24)–v1, 10.0.0.2 resolved on v0 so datagrams to it leave v0 and arrive at v1, clsact on v1. */
async function lab(conn: Connection): Promise<void> {
  await veth(conn, { addresses: { v0: ["10.0.0.1/24"] } });
  await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr: "02:00:00:00:00:02" });
  await conn.addQdisc({ dev: "v1", kind: "clsact" });
}

/** The drops counted by v1's clsact (what its ingress filters dropped). */
async function drops(conn: Connection): Promise<number> {
  const q = (await conn.getQdiscs({ dev: "v1" })).find((q) => q.kind === "clsact");
  return q?.stats?.drops ?? 0;
}

await bpfTest(
  "tc bpf: a pinned program (da) is attached by path, read back, drops traffic, and its fd is closed",
  ["veth", "cls_bpf"],
  async (conn, ns) => {
    await using fs = await Bpffs.open();
    const path = fs.pin("drop", prog("sched_cls"));
    await lab(conn);
    const fds = openFds();
    await conn.addFilter({
      dev: "v1",
      parent: "ingress",
      prio: 1,
      handle: 1,
      kind: "bpf",
      pinned: path,
      directAction: true,
    });
    equal(openFds(), fds, "the pinned object's fd was closed after the request");

    const [f] = (await conn.getFilters({ dev: "v1", parent: "ingress" })).filter((f) => f.handle === 1);
    equal(f.kind, "bpf");
    const b = filterData(f, "bpf")!;
    equal(b.name, "drop:[*fsobj]");
    deepStrictEqual(b.flags, ["act_direct"]);
    ok(typeof b.id === "number" && b.id > 0, `program id ${b.id}`);
    equal(b.tag?.length, 8, "an 8-byte program tag");

    const before = await drops(conn);
    await sendUdp(ns, "10.0.0.2", 10, 100);
    const after = await drops(conn);
    ok(after - before >= 10, `the program dropped ${after - before} of 10 datagrams`);

    // A name given replaces tc's default; replace keeps the same program.
    await conn.replaceFilter({
      dev: "v1",
      parent: "ingress",
      prio: 1,
      handle: 1,
      kind: "bpf",
      pinned: path,
      name: "mine",
      directAction: true,
    });
    const [g] = (await conn.getFilters({ dev: "v1", parent: "ingress" })).filter((f) => f.handle === 1);
    deepStrictEqual([filterData(g, "bpf")!.name, filterData(g, "bpf")!.id], ["mine", b.id]);
    equal(openFds(), fds);

    await conn.deleteFilter({ dev: "v1", parent: "ingress", prio: 1 });
    deepStrictEqual(await conn.getFilters({ dev: "v1", parent: "ingress" }), []);
  },
);

await bpfTest(
  "tc bpf: a missing or wrong pinned object is refused, naming the path, and leaks no fd",
  ["veth", "cls_bpf"],
  async (conn) => {
    await using fs = await Bpffs.open();
    const act = fs.pin("act", prog("sched_act"));
    await lab(conn);
    const fds = openFds();
    const missing = `${fs.dir}/missing`;
    await rejects(
      conn.addFilter({ dev: "v1", parent: "ingress", prio: 1, kind: "bpf", pinned: missing, directAction: true }),
      (e) => e instanceof NetlinkError && e.isNotFound() && e.message.includes(missing),
    );
    // A SCHED_ACT program is not a classifier: the kernel refuses it after the fd was sent.
    await rejects(
      conn.addFilter({ dev: "v1", parent: "ingress", prio: 1, kind: "bpf", pinned: act, directAction: true }),
      (e) => e instanceof NetlinkError && e.isInvalid(),
    );
    equal(openFds(), fds, "no fd left open after failures");
    deepStrictEqual(await conn.getFilters({ dev: "v1", parent: "ingress" }), []);
  },
);

await bpfTest(
  "tc bpf action: a pinned program is added by path, read back, and drops traffic inside a filter",
  ["veth", "cls_bpf", "act_bpf"],
  async (conn, ns) => {
    await using fs = await Bpffs.open();
    const path = fs.pin("shot", prog("sched_act"));
    await lab(conn);
    const fds = openFds();
    await conn.addActions([{ kind: "bpf", pinned: path, index: 7 }]);
    equal(openFds(), fds, "the pinned object's fd was closed after the request");
    const a = await conn.getAction("bpf", 7);
    const o = a.options as { name?: string; id?: number; tag?: Uint8Array; parms?: { index: number; action: string } };
    deepStrictEqual([o.name, o.parms?.index, o.parms?.action], ["shot:[*fsobj]", 7, "pipe"]);
    ok(typeof o.id === "number" && o.id > 0, `program id ${o.id}`);
    equal(o.tag?.length, 8);

    // A classic program matching everything, and the pinned action deciding the verdict.
    await conn.addFilter({
      dev: "v1",
      parent: "ingress",
      prio: 1,
      handle: 1,
      kind: "bpf",
      bytecode: "1,6 0 0 4294967295",
      actions: [{ kind: "bpf", pinned: path }],
    });
    equal(openFds(), fds);
    const [f] = (await conn.getFilters({ dev: "v1", parent: "ingress" })).filter((f) => f.handle === 1);
    const act = filterData(f, "bpf")!.act![0];
    equal(act.kind, "bpf");
    equal((act.options as { name?: string }).name, "shot:[*fsobj]");

    const before = await drops(conn);
    await sendUdp(ns, "10.0.0.2", 10, 100);
    const after = await drops(conn);
    ok(after - before >= 10, `the action dropped ${after - before} of 10 datagrams`);

    await conn.deleteFilter({ dev: "v1", parent: "ingress", prio: 1 });
    await conn.deleteAction("bpf", 7);
    await rejects(conn.getAction("bpf", 7), (e) => e instanceof NetlinkError && e.isNotFound());
  },
);
