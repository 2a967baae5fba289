/**
 * `ip vrf exec` and `ip vrf pids` against iproute2. `exec default` needs no
 * VRF device: both tools put the command in `…/NS-ns/vrf/` and pass its
 * output and exit status through. The socket program is checked on its own:
 * loaded, attached to a scratch cgroup, and a socket made there comes out
 * bound to the device. Runs with real VRF devices only when the kernel has
 * them (skipped with the reason otherwise). Needs a cgroup v2 mount.
 */
import assert from "node:assert/strict";
import { BPF_ATTACH_TYPE, bpfClose, bpfProgAttach, bpfProgLoad } from "../../ffi/bpf.ts";
import { openDirectory } from "../../ffi/exec.ts";
import { cgroup2Mount, vrfSocketProgram } from "../../mod.ts";
import { CLI_MAIN, ip, iproute2, nlink, sameError } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";

const CGROUP2 = cgroup2Mount();
const NO_CGROUP2 = CGROUP2 === undefined ? "no cgroup v2 mount" : undefined;

/** Removes the groups both tools made for namespace `ns` (empty once their commands ended). */
function cleanGroups(ns: string): void {
  for (const dir of [`${CGROUP2}/${ns}-ns/vrf/blue`, `${CGROUP2}/${ns}-ns/vrf`, `${CGROUP2}/${ns}-ns`]) {
    try {
      Deno.removeSync(dir);
    } catch { /* not made */ }
  }
}

async function both(ns: string, args: string[]) {
  const theirs = await iproute2(["-n", ns, ...args]);
  const mine = await nlink(["-n", ns, ...args]);
  assert.deepEqual(mine, theirs, `ip -n ${ns} ${args.join(" ")}`);
  return theirs;
}

await kernelTestUnless(NO_CGROUP2, "ip vrf exec default: as iproute2", { needs: ["veth"] }, async (ns) => {
  try {
    await ip(ns, "link add p0 type veth peer name p1");
    const r = await both(ns, [
      "vrf",
      "exec",
      "default",
      "sh",
      "-c",
      "grep ^0:: /proc/self/cgroup; echo err >&2; exit 3",
    ]);
    assert.deepEqual(r, { code: 3, stdout: `0::/${ns}-ns/vrf\n`, stderr: "err\n" });
    // The command runs in the -n namespace.
    const links = await both(ns, ["vrf", "exec", "default", "ip", "-br", "link"]);
    assert.match(links.stdout, /^p0@p1 /m);
    await both(ns, ["vrf", "exec", "default", "nlink-no-such-command"]);
    await sameError(ns, "vrf exec p0 true");
    await sameError(ns, "vrf exec nope true");
    await sameError(ns, "vrf exec default");
  } finally {
    cleanGroups(ns);
  }
});

Deno.test({
  name: "ip vrf exec: the socket program binds new sockets to the device" +
    (NO_CGROUP2 ? ` [skipped: ${NO_CGROUP2}]` : ""),
  ignore: CGROUP2 === undefined,
  async fn() {
    const group = `${CGROUP2}/nlink-F-${Deno.pid}`;
    Deno.mkdirSync(group);
    try {
      const dir = openDirectory(group);
      const prog = bpfProgLoad({ type: "cgroup_sock", license: "GPL", instructions: vrfSocketProgram(1) });
      bpfProgAttach(prog, dir, BPF_ATTACH_TYPE.CGROUP_INET_SOCK_CREATE);
      bpfClose(prog);
      bpfClose(dir);
      // A process joins the group, then makes a UDP socket and reads its bound device (SO_BINDTODEVICE = 25).
      const script = `echo $$ > ${group}/cgroup.procs && exec python3 -c ` +
        `"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); ` +
        `print(s.getsockopt(socket.SOL_SOCKET, 25, 16).rstrip(b'\\0').decode())"`;
      const out = await new Deno.Command("sh", { args: ["-c", script], stdout: "piped", stderr: "piped" }).output();
      assert.equal(new TextDecoder().decode(out.stderr), "");
      assert.equal(new TextDecoder().decode(out.stdout), "lo\n");
    } finally {
      Deno.removeSync(group);
    }
  },
});

await kernelTestUnless(NO_CGROUP2, "ip vrf exec/pids: a VRF device", { needs: ["vrf"] }, async (ns) => {
  try {
    await ip(ns, "link add blue type vrf table 10");
    await ip(ns, "link set blue up");
    const cmd = ["vrf", "exec", "blue", "sh", "-c", "grep ^0:: /proc/self/cgroup; exit 4"];
    const r = await both(ns, cmd);
    assert.deepEqual(r, { code: 4, stdout: `0::/${ns}-ns/vrf/blue\n`, stderr: "" });
    const sleeper = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-check",
        CLI_MAIN,
        "ip",
        "-n",
        ns,
        "vrf",
        "exec",
        "blue",
        "sleep",
        "5",
      ],
    }).spawn();
    try {
      for (let i = 0; i < 50; i++) {
        if ((await iproute2(["-n", ns, "vrf", "pids", "blue"])).stdout.includes("sleep")) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const pids = await both(ns, ["vrf", "pids", "blue"]);
      assert.equal(pids.stdout, `${String(sleeper.pid).padStart(5)}  sleep\n`);
      assert.equal((await both(ns, ["vrf", "identify", String(sleeper.pid)])).stdout, "blue\n");
    } finally {
      sleeper.kill();
      await sleeper.status;
    }
  } finally {
    cleanGroups(ns);
  }
});
