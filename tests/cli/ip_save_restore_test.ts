/**
 * `ip route save | restore | showdump` and `ip address save | restore |
 * showdump` against iproute2: the saved bytes equal iproute2's (but for the
 * dump's sequence numbers and port ids), each tool restores the other's file
 * to the same state, and each lists the other's file the same way.
 */
import assert from "node:assert/strict";
import { addNetns, deleteNetns } from "../../mod.ts";
import { kernelTest, uniqueNetnsName } from "../_lib/netns.ts";
import { ip, type Result, runIp, zeroSeqAndPort } from "./_run.ts";

const NEEDS = { needs: ["veth"] };
const decoder = new TextDecoder();

const run = runIp;

/** iproute2's `route restore` seeks in its input: it gets a file, not a pipe. */
async function iproute2Restore(ns: string, file: Uint8Array): Promise<Result> {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeFile(path, file);
    const out = await new Deno.Command("sh", {
      args: ["-c", `ip -n "$0" route restore < "$1"`, ns, path],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
  } finally {
    await Deno.remove(path);
  }
}

async function links(ns: string): Promise<void> {
  await ip(ns, "link set lo up");
  await ip(ns, "link add p0 address 02:00:00:00:00:01 type veth peer name p1 address 02:00:00:00:00:02");
  for (const dev of ["p0", "p1"]) await ip(ns, `link set ${dev} addrgenmode none`);
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
}

async function addresses(ns: string): Promise<void> {
  for (
    const a of [
      "10.0.0.1/24 dev p0",
      "10.0.0.2/24 dev p0",
      "10.1.0.1/24 dev p1 label p1:a",
      "2001:db8::1/64 dev p0 nodad",
    ]
  ) await ip(ns, `address add ${a}`);
}

async function routes(ns: string): Promise<void> {
  for (
    const r of [
      "default via 10.0.0.254",
      "10.10.0.0/16 via 10.0.0.2 metric 5",
      "10.11.0.0/24 dev p0 src 10.0.0.1",
      "10.12.0.0/24 via 10.1.0.2 table 100",
      "blackhole 10.16.0.0/24",
      "2001:db8:10::/64 via 2001:db8::2 metric 10",
    ]
  ) await ip(ns, `route add ${r}`);
}

const ROUTE_STATE = ["route show", "route show table 100", "-6 route show"];

await kernelTest("ip route save/restore/showdump: interchangeable with iproute2", NEEDS, async (_c, ns) => {
  const other = uniqueNetnsName("save-other");
  await addNetns(other);
  try {
    await links(ns);
    await addresses(ns);
    await routes(ns);
    for (const sel of [[], ["table", "all"], ["-6"], ["root", "10.10.0.0/16"]]) {
      const pre = sel[0] === "-6" ? ["-6"] : [];
      const args = [...pre, "-n", ns, "route", "save", ...sel.filter((w) => w !== "-6")];
      const theirs = await run("iproute2", args);
      const mine = await run("nlink", args);
      assert.equal(mine.code, 0, mine.stderr);
      assert.deepEqual(zeroSeqAndPort(mine.bytes), zeroSeqAndPort(theirs.bytes), `route save ${sel.join(" ")}: bytes`);
      // Each tool lists the other's file.
      for (const opts of [[], ["-d"]]) {
        const a = await run("iproute2", [...opts, "-n", ns, "route", "showdump"], mine.bytes);
        const b = await run("nlink", [...opts, "-n", ns, "route", "showdump"], theirs.bytes);
        assert.equal(b.stdout, a.stdout, `route showdump ${opts.join(" ")}`);
      }
    }
    // Restores across tools, into a namespace with the same links and addresses.
    // Main and table 100 (restoring the local tables would duplicate the kernel's own IPv6 local routes).
    const all = (await run("nlink", ["-n", ns, "route", "save"])).bytes;
    const t100 = (await run("nlink", ["-n", ns, "route", "save", "table", "100"])).bytes;
    const all6 = (await run("iproute2", ["-6", "-n", ns, "route", "save"])).bytes;
    await links(other);
    await addresses(other);
    for (const file of [all, t100]) {
      const r1 = await iproute2Restore(other, file);
      assert.equal(r1.code, 0, r1.stderr);
    }
    const r2 = await run("nlink", ["-n", other, "route", "restore"], all6);
    assert.equal(r2.code, 0, r2.stderr);
    for (const show of ROUTE_STATE) assert.equal(await ip(other, show), await ip(ns, show), show);
    // And the other way round.
    for (const r of ["route flush table main", "route flush table 100", "-6 route flush table main"]) {
      await ip(other, r);
    }
    await ip(other, "address flush dev p0");
    await ip(other, "address flush dev p1");
    await addresses(other);
    const theirsAll = (await run("iproute2", ["-n", ns, "route", "save"])).bytes;
    const r3 = await run("nlink", ["-n", other, "route", "restore"], theirsAll);
    assert.equal(r3.code, 0, r3.stderr);
    const r4 = await run("nlink", ["-n", other, "route", "restore"], theirsAll); // again: all exist, no error
    assert.equal(r4.code, 0, r4.stderr);
    assert.equal(await ip(other, ROUTE_STATE[0]), await ip(ns, ROUTE_STATE[0]));
    // A file that is not a route dump.
    const bad = new TextEncoder().encode("xxxx");
    const a = await iproute2Restore(ns, bad);
    const b = await run("nlink", ["-n", ns, "route", "restore"], bad);
    assert.deepEqual([b.code, b.stderr], [a.code, a.stderr]);
  } finally {
    await deleteNetns(other);
  }
});

const addrState = async (ns: string) => (await ip(ns, "address show")).replace(/\n +valid_lft[^\n]*/g, "");

await kernelTest("ip address save/restore/showdump: interchangeable with iproute2", NEEDS, async (_c, ns) => {
  const other = uniqueNetnsName("asave-other");
  await addNetns(other);
  try {
    await links(ns);
    await addresses(ns);
    for (const args of [["address", "save"], ["-4", "address", "save"], ["address", "save", "dev", "p1"]]) {
      const full = ["-n", ns, ...args];
      const theirs = await run("iproute2", full);
      const mine = await run("nlink", full);
      assert.equal(mine.code, 0, mine.stderr);
      assert.deepEqual(zeroSeqAndPort(mine.bytes), zeroSeqAndPort(theirs.bytes), `${args.join(" ")}: bytes`);
      for (const opts of [[], ["-j"], ["-j", "-p"]]) {
        const a = await run("iproute2", [...opts, "-n", ns, "address", "showdump"], mine.bytes);
        const b = await run("nlink", [...opts, "-n", ns, "address", "showdump"], theirs.bytes);
        // Lifetimes count down between the two runs only for non-permanent addresses: all here are permanent.
        assert.equal(b.stdout, a.stdout, `address showdump ${opts.join(" ")}`);
      }
    }
    const mine = (await run("nlink", ["-n", ns, "address", "save"])).bytes;
    await links(other);
    const r1 = await run("iproute2", ["-n", other, "address", "restore"], mine);
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(await addrState(other), await addrState(ns));
    await ip(other, "address flush dev p0");
    await ip(other, "address flush dev p1");
    const theirs = (await run("iproute2", ["-n", ns, "address", "save"])).bytes;
    const r2 = await run("nlink", ["-n", other, "address", "restore"], theirs);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(await addrState(other), await addrState(ns));
    const bad = new TextEncoder().encode("xxxx");
    const a = await run("iproute2", ["-n", ns, "address", "restore"], bad);
    const b = await run("nlink", ["-n", ns, "address", "restore"], bad);
    assert.deepEqual([b.code, b.stderr], [a.code, a.stderr]);
  } finally {
    await deleteNetns(other);
  }
});
