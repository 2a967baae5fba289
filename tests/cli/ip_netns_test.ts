/**
 * `ip netns` against iproute2: listings with ids (text and JSON), `list-id`,
 * `identify`, `pids`, `add`/`delete`/`set` leaving the state iproute2 would,
 * and errors. These make real named namespaces under /run/netns: each test uses
 * unique names and deletes them. Other programs may add or remove namespaces
 * meanwhile, so listings count only when iproute2 printed the same before and
 * after ours.
 */
import assert from "node:assert/strict";
import { addNetns, deleteNetns, listNetns } from "../../mod.ts";
import { NO_NETNS_REASON, uniqueNetnsName } from "../_lib/netns.ts";
import { iproute2, nlink, OUR_CLI, type Result } from "./_run.ts";

const ignore = NO_NETNS_REASON !== undefined;
const why = NO_NETNS_REASON ? ` (skipped: ${NO_NETNS_REASON})` : "";

/** Makes `count` named namespaces, runs `fn`, and deletes whichever still exist. */
async function withNames(count: number, fn: (names: string[]) => Promise<void>): Promise<void> {
  const names = Array.from({ length: count }, () => uniqueNetnsName("E"));
  try {
    for (const n of names) await addNetns(n);
    await fn(names);
  } finally {
    const left = new Set(await listNetns());
    for (const n of names) if (left.has(n)) await deleteNetns(n);
  }
}

/** iproute2, ours, iproute2 again: the comparison counts once iproute2's two runs agree. */
async function sameStable(args: string[]): Promise<Result> {
  // Other test files (run alongside) add and delete namespaces all the time: try until a pair of runs agrees.
  for (let i = 0; i < 20; i++) {
    const before = await iproute2(args);
    const mine = await nlink(args);
    const after = await iproute2(args);
    if (before.stdout !== after.stdout) continue; // someone added or removed a namespace meanwhile
    assert.equal(mine.stdout, before.stdout, `ip ${args.join(" ")}: stdout differs`);
    assert.equal(mine.stderr, before.stderr, `ip ${args.join(" ")}: stderr differs`);
    assert.equal(mine.code, before.code, `ip ${args.join(" ")}: exit code differs`);
    return before;
  }
  assert.fail(`ip ${args.join(" ")}: the namespace list never held still`);
}

/** Both fail the same way (stdout, stderr, exit code). */
async function sameFailure(args: string[]): Promise<void> {
  const theirs = await iproute2(args);
  const mine = await nlink(args);
  assert.notEqual(theirs.code, 0, `ip ${args.join(" ")} was expected to fail`);
  assert.deepEqual(mine, theirs, `ip ${args.join(" ")}: differs`);
}

/** A process (sleep) living in namespace `ns` until killed. */
function sleeper(ns: string): Deno.ChildProcess {
  return new Deno.Command("ip", { args: ["netns", "exec", ns, "sleep", "30"], stdout: "null", stderr: "null" })
    .spawn();
}

Deno.test({ name: `ip netns: list and list-id match iproute2${why}`, ignore }, async () => {
  await withNames(3, async ([a, b, c]) => {
    await iproute2(["netns", "set", a, "17"]);
    await iproute2(["-n", c, "netns", "set", b, "4"]);
    await iproute2(["-n", c, "netns", "set", a, "auto"]);
    for (
      const args of [
        ["netns"],
        ["netns", "list"],
        ["netns", "show"],
        ["-j", "netns", "list"],
        ["-j", "-p", "netns"],
        ["-o", "netns"],
        ["-n", c, "netns"],
        ["-n", c, "-j", "netns", "list"],
        ["-n", c, "netns", "list-id"],
        ["-n", c, "-j", "netns", "list-id"],
        ["-n", c, "-j", "-p", "netns", "list-id"],
        ["-n", b, "netns", "list-id"],
        ["-n", b, "-j", "netns", "list-id"],
      ]
    ) await sameStable(args);
    const listed = await nlink(["netns"]);
    assert.match(listed.stdout, new RegExp(`^${a} \\(id: 17\\)$`, "m"));
  });
});

Deno.test({ name: `ip netns: identify and pids match iproute2${why}`, ignore }, async () => {
  await withNames(2, async ([a, b]) => {
    const child = sleeper(a);
    try {
      // Wait until the sleeper is in the namespace.
      for (let i = 0; i < 50 && (await iproute2(["netns", "pids", a])).stdout === ""; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const pids = await sameStable(["netns", "pids", a]);
      assert.notEqual(pids.stdout, "");
      await sameStable(["netns", "pids", b]);
      for (const pid of pids.stdout.trim().split("\n")) {
        const r = await sameStable(["netns", "identify", pid]);
        assert.equal(r.stdout, `${a}\n`);
      }
      await sameStable(["netns", "identify"]);
      await sameStable(["-n", b, "netns", "identify"]);
      await sameStable(["netns", "identify", "1"]);
    } finally {
      child.kill();
      await child.status;
    }
  });
});

Deno.test({ name: `ip netns: add, set and delete leave iproute2's state${why}`, ignore }, async () => {
  await withNames(1, async ([peer]) => {
    const name = uniqueNetnsName("E");
    try {
      const added = await nlink(["netns", "add", name]);
      assert.deepEqual(added, { code: 0, stdout: "", stderr: "" });
      assert.ok((await listNetns()).includes(name));
      // A working namespace: iproute2 can use it.
      assert.equal((await iproute2(["-n", name, "link", "show", "lo"])).code, 0);
      assert.deepEqual(await nlink(["netns", "set", name, "23"]), { code: 0, stdout: "", stderr: "" });
      assert.match((await iproute2(["netns", "list"])).stdout, new RegExp(`^${name} \\(id: 23\\)$`, "m"));
      assert.deepEqual(await nlink(["-n", peer, "netns", "set", name, "auto"]), { code: 0, stdout: "", stderr: "" });
      assert.match(
        (await iproute2(["-n", peer, "netns", "list-id"])).stdout,
        new RegExp(`\\(iproute2 netns name: ${name}\\)`),
      );
      await sameFailure(["netns", "add", name]); // File exists
      await sameFailure(["netns", "set", name, "24"]); // the kernel refuses a second id
      assert.deepEqual(await nlink(["netns", "delete", name]), { code: 0, stdout: "", stderr: "" });
      assert.ok(!(await listNetns()).includes(name));
      await sameFailure(["netns", "del", name]); // gone
    } finally {
      if ((await listNetns()).includes(name)) await deleteNetns(name);
    }
  });
});

Deno.test({ name: `ip netns: errors match iproute2${why}`, ignore }, async () => {
  await withNames(1, async ([a]) => {
    const missing = uniqueNetnsName("E-none");
    for (
      const args of [
        ["netns", "add"],
        ["netns", "add", "a/b"],
        ["netns", "add", ""],
        ["netns", "add", ".."],
        ["netns", "del"],
        ["netns", "delete", missing],
        ["netns", "set", a],
        ["netns", "set"],
        ["netns", "set", a, "-1"],
        ["netns", "set", a, "abc"],
        ["netns", "set", missing, "3"],
        ["netns", "identify", "abc"],
        ["netns", "identify", "1", "2"],
        ["netns", "identify", "999999999"],
        ["netns", "pids"],
        ["netns", "pids", a, "b"],
        ["netns", "pids", missing],
        ["netns", "list-id", "bogus"],
        ["netns", "list-id", "nsid"],
        ["netns", "list-id", "nsid", "-1"],
        ["netns", "list-id", "nsid", "-1", "x"],
        ["netns", "list-id", "nsid", "x"],
        ["netns", "list-id", "nsid", "1", "nsid", "2"],
        ["netns", "list-id", "target-nsid", "1", "target-nsid", "2"],
        ["netns", "help"],
        ["netns", "frobnicate"],
        ["netns", "exec"],
        ["netns", "exec", a],
        ["netns", "attach", a],
        ["netns", "attach", a, "0"],
        ["-n", missing, "netns", "list"],
      ]
    ) await sameFailure(args);
    // Nothing was created by those.
    assert.ok(!(await listNetns()).some((n) => n === missing || n === "a"));
  });
});

Deno.test({ name: `ip netns: exec runs in the namespace and returns the command's status${why}`, ignore }, async () => {
  await withNames(1, async ([a]) => {
    await iproute2(["-n", a, "link", "add", "e0", "type", "veth", "peer", "name", "e1"]);
    for (
      const args of [
        ["netns", "exec", a, "ip", "-br", "link"],
        ["netns", "exec", a, "sh", "-c", "exit 7"],
        ["netns", "exec", a, "cat", "/proc/net/dev"],
      ]
    ) {
      const [theirs, mine] = [await iproute2(args), await nlink(args)];
      assert.deepEqual(mine, theirs, `ip ${args.join(" ")}: differs`);
    }
    for (
      const args of [
        ["netns", "exec", uniqueNetnsName("E-none"), "true"],
        ["netns", "exec", a, "/nonexistent/command"],
      ]
    ) await sameFailure(args);
  });
});

Deno.test({ name: `ip netns: attach names a process's namespace as iproute2 does${why}`, ignore }, async () => {
  await withNames(1, async ([a]) => {
    const child = sleeper(a);
    const name = uniqueNetnsName("E-att");
    try {
      // Wait for the sleeper to have entered the namespace.
      const target = Deno.statSync(`/run/netns/${a}`).ino;
      for (let i = 0; i < 100 && Deno.statSync(`/proc/${child.pid}/ns/net`).ino !== target; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const r = await nlink(["netns", "attach", name, String(child.pid)]);
      assert.equal(r.code, 0, r.stderr);
      // The attached name is the same namespace as the process's.
      assert.equal(Deno.statSync(`/run/netns/${name}`).ino, Deno.statSync(`/proc/${child.pid}/ns/net`).ino);
      assert.equal(Deno.statSync(`/run/netns/${name}`).ino, Deno.statSync(`/run/netns/${a}`).ino);
      await sameFailure(["netns", "attach", name, String(child.pid)]); // the name is taken
    } finally {
      child.kill();
      await child.status;
      if ((await listNetns()).includes(name)) await deleteNetns(name);
    }
  });
});

/** Whether `unshare -rn` makes a user namespace here (it may be missing or refused). */
const USERNS = await new Deno.Command("unshare", { args: ["-rn", "true"], stdout: "null", stderr: "null" }).output()
  .then((o) => o.success, () => false);

Deno.test({
  name: `ip netns add|attach where /run/netns cannot be mounted: netns_add's message for the failed step${
    USERNS ? "" : " [skipped: unshare -rn is not available]"
  }`,
  ignore: !USERNS,
}, async () => {
  // In a user namespace of its own the tool cannot make /run/netns a shared mount: both stop there.
  const inUserns = async (argv: readonly string[]) => {
    const out = await new Deno.Command("unshare", { args: ["-rn", ...argv], stdout: "piped", stderr: "piped" })
      .output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
  };
  for (const args of [["netns", "add", uniqueNetnsName("U")], ["netns", "attach", uniqueNetnsName("U"), "1"]]) {
    const theirs = await inUserns(["ip", ...args]);
    const mine = await inUserns([...OUR_CLI, "ip", ...args]);
    assert.notEqual(theirs.code, 0);
    assert.deepEqual(mine, theirs, args.join(" "));
  }
});
