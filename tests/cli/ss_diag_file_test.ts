/**
 * `ss -D FILE` against iproute2's: both tools dump the TCP sockets the
 * sockdiag helper holds in a private namespace into a file each, and the
 * files must hold the same messages — types, flags, lengths, each socket's
 * id (addresses, ports, interface, cookie), state, uid, inode and the
 * attribute types — in the same order, IPv4's dump then IPv6's, each ended by
 * NLMSG_DONE. Queue sizes, timers and attribute contents (TCP counters) can
 * move between the two runs and are not compared.
 */
import assert from "node:assert/strict";
import { kernelTest, NO_NETNS_REASON } from "../_lib/netns.ts";
import { helperUnavailable, startSocketHelper } from "../_lib/sockdiag_sockets.ts";
import { iproute2, nlink, type Result } from "./_run.ts";

const NO_HELPER = await helperUnavailable();
const NLMSG_DONE = 3, SOCK_DIAG_BY_FAMILY = 20;

/** What stays put between two dumps of the same sockets, one line per message. */
function structure(file: Uint8Array): string[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: string[] = [];
  let off = 0;
  while (off + 16 <= file.length) {
    const len = v.getUint32(off, true), type = v.getUint16(off + 4, true), flags = v.getUint16(off + 6, true);
    assert.ok(len >= 16 && off + len <= file.length, `malformed message at byte ${off}`);
    let line = `len=${len} type=${type} flags=${flags}`;
    if (type === NLMSG_DONE) line += ` error=${v.getInt32(off + 16, true)}`;
    if (type === SOCK_DIAG_BY_FAMILY) {
      const m = off + 16;
      const hex = (a: number, b: number) =>
        [...file.subarray(a, b)].map((x) => x.toString(16).padStart(2, "0")).join("");
      // inet_diag_msg: family, state, timer, retrans, then the 48-byte id, expires, rqueue, wqueue, uid, inode.
      line += ` family=${file[m]} state=${file[m + 1]} id=${hex(m + 4, m + 52)}`;
      line += ` uid=${v.getUint32(m + 64, true)} inode=${v.getUint32(m + 68, true)} attrs=`;
      const types: number[] = [];
      for (let a = m + 72; a + 4 <= off + len;) {
        const alen = v.getUint16(a, true);
        if (alen < 4) break;
        types.push(v.getUint16(a + 2, true));
        a += (alen + 3) & ~3;
      }
      line += types.join(",");
    }
    out.push(line);
    off += (len + 3) & ~3;
  }
  assert.equal(off, file.length, "trailing bytes after the last message");
  return out;
}

/** Runs `ss -N ns -D FILE ARGS` with both tools; returns both files' bytes. */
async function bothFiles(ns: string, args: string[]): Promise<[Uint8Array, Uint8Array]> {
  const dir = await Deno.makeTempDir({ prefix: "ss-diag-" });
  try {
    const [theirs, mine]: Result[] = await Promise.all([
      iproute2(["-N", ns, "-D", `${dir}/theirs`, ...args], "ss"),
      nlink(["-N", ns, "-D", `${dir}/ours`, ...args], "ss"),
    ]);
    const what = `ss -N ${ns} -D FILE ${args.join(" ")}`;
    assert.equal(theirs.code, 0, `${what}: iproute2 failed: ${theirs.stderr}`);
    assert.deepEqual([mine.code, mine.stdout, mine.stderr], [theirs.code, theirs.stdout, theirs.stderr], what);
    return [await Deno.readFile(`${dir}/theirs`), await Deno.readFile(`${dir}/ours`)];
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (NO_HELPER !== undefined && NO_NETNS_REASON === undefined) {
  Deno.test({ name: `ss -D [skipped: ${NO_HELPER}]`, ignore: true, fn() {} });
} else {
  await kernelTest("ss -D: the file holds iproute2's messages for the same sockets", {}, async (_conn, ns) => {
    const helper = await startSocketHelper(ns);
    try {
      for (
        const args of [[], ["-a"], ["-l"], ["-6"], ["-4", "-a"], ["-ai"], ["-am", "--tos"], ["state", "listening"]]
      ) {
        const [theirs, mine] = await bothFiles(ns, args);
        const expected = structure(theirs);
        assert.ok(expected.some((l) => l.includes(`type=${NLMSG_DONE}`)), "iproute2's file has no NLMSG_DONE");
        assert.deepEqual(structure(mine), expected, `ss -D FILE ${args.join(" ")}`);
      }
      // The listener on 127.0.0.1:2000 is in the all-states file (as one message of type SOCK_DIAG_BY_FAMILY).
      const [, all] = await bothFiles(ns, ["-a"]);
      const inode = helper.sockets.inodes.listen4;
      assert.ok(structure(all).some((l) => l.includes(` inode=${inode} `)), "listen4 missing from ours");

      // `-` is standard output; no TCP table is an error note, as in iproute2.
      const [theirs, mine] = await Promise.all([
        iproute2(["-N", ns, "-D", "-", "-a"], "ss"),
        nlink(["-N", ns, "-D", "-", "-a"], "ss"),
      ]);
      // (The bytes hold timers that move between runs, so only the outcome is compared here.)
      assert.deepEqual([mine.code, mine.stderr, mine.stdout.length > 0], [theirs.code, theirs.stderr, true]);
      const [t2, m2] = await Promise.all([
        iproute2(["-N", ns, "-D", "/nonexistent", "-u"], "ss"),
        nlink(["-N", ns, "-D", "/nonexistent", "-u"], "ss"),
      ]);
      assert.deepEqual([m2.code, m2.stdout, m2.stderr], [t2.code, t2.stdout, t2.stderr]);
    } finally {
      await helper.close();
    }
  });
}
