/**
 * `ip tuntap` against iproute2: listings of devices made by iproute2 and by
 * nlink (text, -j, -d with the processes holding queues), the state `add`
 * leaves (compared through `ip -d -j link show`, since the requests are
 * ioctls nlcapture cannot see), `del`, and errors.
 *
 * With `-d`, iproute2 also prints `readlink: Permission denied` for every
 * other process's fd it may not read; that depends on what else runs, so
 * `-d` compares stdout only.
 */
import assert from "node:assert/strict";
import { createTun } from "../../src/tuntap/mod.ts";
import { NO_NETNS_REASON, withNetns } from "../_lib/netns.ts";
import { ip, iproute2, nlink, OUR_CLI, ours, sameError, sameJson, sameText } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

const MOD = new URL("../../src/tuntap/mod.ts", import.meta.url).href;

const TUN_REASON: string | undefined = NO_NETNS_REASON ?? await withNetns((_conn, ns) => {
  try {
    createTun({ mode: "tun", netns: ns }).close();
    return Promise.resolve(undefined);
  } catch (e) {
    return Promise.resolve(`no TUN/TAP here (${(e as Error).message})`);
  }
});

function tunTest(name: string, fn: (ns: string) => Promise<void>): Promise<void> {
  return kernelTestUnless(TUN_REASON, name, {}, fn);
}

/** Both tools' stdout and exit code for the same arguments (stderr not compared: see the module doc). */
async function sameStdout(ns: string, args: string[]): Promise<string> {
  const [theirs, mine] = await Promise.all([iproute2(["-n", ns, ...args]), nlink(["-n", ns, ...args])]);
  assert.equal(theirs.code, 0, `ip ${args.join(" ")}: ${theirs.stderr}`);
  assert.equal(mine.stdout, theirs.stdout, `ip ${args.join(" ")}: stdout differs`);
  assert.equal(mine.code, theirs.code);
  return theirs.stdout;
}

/** Runs a command inside the namespace (`ip netns exec`), so /sys shows its devices. */
async function inside(ns: string, argv: string[]): Promise<{ code: number; stdout: string }> {
  const out = await new Deno.Command("ip", { args: ["netns", "exec", ns, ...argv], stdout: "piped", stderr: "null" })
    .output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

/** `ip -d -j link show DEV` without what differs between two devices made alike. */
async function linkState(ns: string, dev: string): Promise<unknown> {
  const [link] = JSON.parse(await ip(ns, `-d -j link show ${dev}`));
  for (const key of ["ifindex", "ifname", "address"]) delete link[key];
  return link;
}

async function oursOk(ns: string, command: string): Promise<void> {
  const r = await ours(ns, command);
  assert.deepEqual(r, { code: 0, stdout: "", stderr: "" }, `ours: ip ${command}`);
}

await tunTest("ip tuntap add: the devices nlink makes are iproute2's", async (ns) => {
  const configs = [
    "mode tun",
    "mode tap",
    "mode tap multi_queue pi vnet_hdr user 1000 group 100",
    "mode tun one_queue user 0",
    "mode tap vnet_hdr group 65534",
  ];
  for (const [i, config] of configs.entries()) {
    await ip(ns, `tuntap add ${config} name ta${i}`);
    await oursOk(ns, `tuntap add ${config} name tb${i}`);
    assert.deepEqual(await linkState(ns, `tb${i}`), await linkState(ns, `ta${i}`), config);
  }
  // Names the kernel picks, and the `dev` spelling.
  await ip(ns, "tuntap add mode tun");
  await oursOk(ns, "tap add mode tun");
  await oursOk(ns, "tuntap a dev tc0 mode tap");
  assert.match(await ip(ns, "link show tun1"), /tun1/);
  assert.match(await ip(ns, "link show tc0"), /tc0/);

  // one_queue lives only in sysfs: compared where /sys shows the namespace.
  const argv = ["tuntap", "show"];
  const theirs = await inside(ns, ["ip", ...argv]);
  const mine = await inside(ns, [...OUR_CLI, "ip", ...argv]);
  assert.match(theirs.stdout, /ta3: tun one_queue persist user 0/);
  assert.equal(mine.stdout, theirs.stdout);
  // Over -n, /sys is the caller's: nlink cannot see one_queue there (netlink does not carry it).
  await ip(ns, "tuntap del mode tun name ta3");
  await ip(ns, "tuntap del mode tun name tb3");
  await sameText(ns, ["tuntap"]);
  await sameText(ns, ["tuntap", "show"]);
  await sameText(ns, ["tap", "list"]);
  await sameText(ns, ["-o", "tuntap", "lst"]);
  await sameJson(ns, ["-j", "tuntap"]);
  await sameText(ns, ["-j", "-p", "tuntap", "show"]);
  await sameStdout(ns, ["-d", "tuntap"]);
  await sameStdout(ns, ["-d", "-j", "tuntap"]);
});

await tunTest("ip tuntap del: either tool deletes the other's devices", async (ns) => {
  await ip(ns, "tuntap add mode tun name a0");
  await ip(ns, "tuntap add mode tap multi_queue name a1");
  await oursOk(ns, "tuntap add mode tun name b0");
  await oursOk(ns, "tuntap del mode tun name a0");
  await oursOk(ns, "tuntap d a1 mode tap multi_queue");
  await ip(ns, "tuntap del mode tun name b0");
  assert.equal(await ip(ns, "tuntap"), "");
  assert.deepEqual(await ours(ns, "tuntap"), { code: 0, stdout: "", stderr: "" });
  await sameText(ns, ["-j", "tuntap"]); // []
  // Deleting a device that is not there makes it and lets it go: success, nothing left.
  await oursOk(ns, "tuntap del mode tap name ghost");
  assert.equal(await ip(ns, "tuntap"), "");
});

await tunTest("ip -d tuntap: processes holding queues", async (ns) => {
  // A child process holds two queues of a multi-queue tap and one of a tun.
  const code = `
    import { createTun } from "${MOD}";
    const tap = createTun({ mode: "tap", name: "held0", multiQueue: true, netns: "${ns}" });
    tap.openQueue();
    const tun = createTun({ mode: "tun", name: "held1", netns: "${ns}" });
    console.log("ready");
    await new Promise((r) => setTimeout(r, 20000));
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", code],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = child.stdout.getReader();
    const { value } = await reader.read();
    assert.match(new TextDecoder().decode(value), /ready/);
    reader.releaseLock();
    await ip(ns, "tuntap add mode tun name idle0");
    const text = await sameStdout(ns, ["-d", "tuntap"]);
    assert.match(text, new RegExp(`held0: tap multi_queue\\n\\tAttached to processes:deno\\(${child.pid}\\)deno`));
    await sameStdout(ns, ["-d", "-o", "tuntap"]);
    await sameStdout(ns, ["-d", "-j", "tuntap"]); // iproute2 writes these entries as invalid JSON: compared as text
    await sameStdout(ns, ["-d", "-j", "-p", "tuntap"]);
    await sameText(ns, ["tuntap"]);
    await sameJson(ns, ["-j", "tuntap"]);
  } finally {
    child.kill();
    await child.status;
    await child.stdout.cancel().catch(() => undefined);
  }
});

await tunTest("ip tuntap: errors as iproute2", async (ns) => {
  await ip(ns, "tuntap add mode tun name busy0");
  for (
    const cmd of [
      "tuntap add mode tun name busy0",
      "tuntap add name x1",
      "tuntap frob",
      "tuntap add mode tun name a:b",
      "tuntap add mode tun name a%s",
      "tuntap add mode tun name ..",
      "tuntap add mode tun user no-such-user-S",
      "tuntap add mode tun group no-such-group-S",
      "tuntap add mode tun user",
      "tuntap del mode tap name busy0",
      "tuntap del mode tun user x",
      "tuntap add mode",
      "tuntap add mode foo",
      "tuntap add mode tun mode tap",
      "tuntap add name a name b",
      "tuntap add mode tun dev a/b",
      "tuntap add mode tun name 0123456789abcdef",
      "tuntap help",
      "tap help",
      "tuntap add help",
    ]
  ) await sameError(ns, cmd);
  const missing = ["-n", "no-such-netns-S", "tuntap", "add", "mode", "tun"];
  const [theirs, mine] = await Promise.all([iproute2(missing), nlink(missing)]);
  assert.deepEqual(mine, theirs);
});
