/**
 * Test harness for everything that touches the kernel: each test gets a fresh,
 * private network namespace made with nlink's own namespace support, and is
 * skipped — with the reason in its name — when the machine cannot give it one
 * or lacks a kernel feature it needs.
 *
 * @module
 */
import { type AddLinkOptions, addNetns, Connection, deleteNetns, MessageWriter, NetlinkError } from "../../mod.ts";
import { REQUEST_FLAGS } from "../../src/core/header.ts";
import { encodeMessage } from "../../src/core/message.ts";
import { RTM } from "../../src/route/constants.ts";
import { ACTION_MESSAGE } from "../../src/tc/action.ts";
import { TC_H } from "../../src/tc/constants.ts";
import { FILTER_MESSAGE } from "../../src/tc/filter.ts";
import { parseParent } from "../../src/tc/handle.ts";
import { QDISC_MESSAGE } from "../../src/tc/qdisc.ts";
import { tcContext, writeTcRequest } from "../../src/tc/request.ts";

let counter = 0;
/** Told apart per module instance: `deno test --parallel` runs test files in workers of one process. */
const instance = crypto.getRandomValues(new Uint16Array(1))[0].toString(36);

/** A unique namespace name for this process and worker. */
export function uniqueNetnsName(tag = "t"): string {
  return `nlt-${Deno.pid}${instance}-${tag}-${++counter}`;
}

/** Why kernel tests cannot run here, or undefined if they can. */
export const NO_NETNS_REASON: string | undefined = await (async () => {
  if (Deno.build.os !== "linux") return "not Linux";
  if (Deno.uid() !== 0) return "needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) to make namespaces";
  const name = uniqueNetnsName("probe");
  try {
    await addNetns(name);
    await deleteNetns(name);
    return undefined;
  } catch (e) {
    return `cannot create a network namespace: ${e instanceof Error ? e.message : e}`;
  }
})();

/**
 * Runs `fn` with a connection inside a fresh namespace, then deletes it.
 *
 * @example
 * ```ts ignore
 * await withNetns(async (conn, ns) => { await conn.setLinkUp("lo"); });
 * ```
 */
export async function withNetns<T>(fn: (conn: Connection, netns: string) => Promise<T>, tag = "t"): Promise<T> {
  const name = uniqueNetnsName(tag);
  await addNetns(name);
  const conn = await Connection.open({ netns: name });
  try {
    return await fn(conn, name);
  } finally {
    conn.close();
    await deleteNetns(name);
  }
}

const featureCache = new Map<string, string | undefined>();

/** Makes something in a scratch namespace that only works when a feature is there. */
type Probe = (conn: Connection, netns: string) => Promise<void>;

/** A probe that creates one link (after `before`, e.g. its parent). */
function linkProbe(options: AddLinkOptions, before?: Probe): Probe {
  return async (conn, ns) => {
    await before?.(conn, ns);
    await conn.addLink(options);
  };
}

/** A veth pair `a`–`b`: a parent for the kinds stacked on a device. */
function veth(a = "parent0", b = "parent1"): Probe {
  return (conn) => conn.addLink({ kind: "veth", name: a, peer: { name: b } });
}

const parent = veth();

/** Two veth pairs, for the two ports of an hsr device (parent0, parent2). */
const twoParents: Probe = async (conn, ns) => {
  await parent(conn, ns);
  await veth("parent2", "parent3")(conn, ns);
};

/** How a feature is proved. */
interface FeatureProbe {
  /** Modules to load first where modprobe exists (default: the feature's name; `[]`: none). */
  modules?: string[];
  /** Makes something that only works when the feature is there. */
  probe: Probe;
}

/**
 * Features proved by making something, by name: kernel modules (the module's
 * name: `dummy`, `8021q`, `bonding`, …), kernel features that are no module
 * (`netkit`) and build options (`bridge-vlan-filtering`). Kinds that need a
 * parent or options get them, so that only a missing kind fails (with
 * EOPNOTSUPP, after the kernel's own attempt to load its module). Tunnels get
 * a remote end: a namespace's fallback device (gre0, tunl0, sit0, …) already
 * has the all-zero parameters, so a second such tunnel would be refused as a
 * duplicate (EEXIST).
 */
const PROBES: Record<string, FeatureProbe> = {
  veth: { probe: parent },
  bridge: { probe: linkProbe({ kind: "bridge", name: "probe0" }) },
  dummy: { probe: linkProbe({ kind: "dummy", name: "probe0" }) },
  ifb: { probe: linkProbe({ kind: "ifb", name: "probe0" }) },
  nlmon: { probe: linkProbe({ kind: "nlmon", name: "probe0" }) },
  vcan: { probe: linkProbe({ kind: "vcan", name: "probe0" }) },
  team: { probe: linkProbe({ kind: "team", name: "probe0" }) },
  wireguard: { probe: linkProbe({ kind: "wireguard", name: "probe0" }) },
  bonding: { probe: linkProbe({ kind: "bond", name: "probe0" }) },
  vxlan: { probe: linkProbe({ kind: "vxlan", name: "probe0", id: 1, dstport: 4789 }) },
  geneve: { probe: linkProbe({ kind: "geneve", name: "probe0", id: 1, remote: "192.0.2.1" }) },
  bareudp: { probe: linkProbe({ kind: "bareudp", name: "probe0", dstport: 6635, ethertype: "mpls_uc" }) },
  vrf: { probe: linkProbe({ kind: "vrf", name: "probe0", table: 10 }) },
  macvlan: { probe: linkProbe({ kind: "macvlan", name: "probe0", link: "parent0" }, parent) },
  macvtap: { probe: linkProbe({ kind: "macvtap", name: "probe0", link: "parent0" }, parent) },
  ipvlan: { probe: linkProbe({ kind: "ipvlan", name: "probe0", link: "parent0" }, parent) },
  ipvtap: { probe: linkProbe({ kind: "ipvtap", name: "probe0", link: "parent0" }, parent) },
  macsec: { probe: linkProbe({ kind: "macsec", name: "probe0", link: "parent0" }, parent) },
  virt_wifi: { probe: linkProbe({ kind: "virt_wifi", name: "probe0", link: "parent0" }, parent) },
  hsr: { probe: linkProbe({ kind: "hsr", name: "probe0", slave1: "parent0", slave2: "parent2" }, twoParents) },
  "8021q": { probe: linkProbe({ kind: "vlan", name: "probe0", link: "parent0", id: 5 }, parent) },
  xfrm_interface: { probe: linkProbe({ kind: "xfrm", name: "probe0", ifId: 1 }) },
  ip_gre: { probe: linkProbe({ kind: "gre", name: "probe0", remote: "192.0.2.1" }) },
  ip6_gre: { probe: linkProbe({ kind: "ip6gre", name: "probe0", remote: "2001:db8::1" }) },
  ipip: { probe: linkProbe({ kind: "ipip", name: "probe0", remote: "192.0.2.1" }) },
  sit: { probe: linkProbe({ kind: "sit", name: "probe0", remote: "192.0.2.1" }) },
  ip6_tunnel: { probe: linkProbe({ kind: "ip6tnl", name: "probe0", remote: "2001:db8::1" }) },
  ip_vti: { probe: linkProbe({ kind: "vti", name: "probe0", remote: "192.0.2.1" }) },
  ip6_vti: { probe: linkProbe({ kind: "vti6", name: "probe0", remote: "2001:db8::1" }) },
  // Built in when there (CONFIG_NETKIT, Linux 6.7+): no module to load.
  netkit: { modules: [], probe: linkProbe({ kind: "netkit", name: "probe0", peer: { name: "probe1" } }) },
  "bridge-vlan-filtering": {
    modules: ["bridge"],
    probe: async (conn, ns) => {
      await conn.addLink({ kind: "bridge", name: "probe0" });
      const out = await new Deno.Command("ip", {
        args: ["-n", ns, "link", "set", "probe0", "type", "bridge", "vlan_filtering", "1"],
        stdout: "null",
        stderr: "piped",
      }).output();
      if (!out.success) {
        const why = new TextDecoder().decode(out.stderr).trim().split(": ").at(-1);
        throw new NetlinkError(95, `vlan_filtering 1: ${why}`);
      }
    },
  },
};

/**
 * A traffic-control kind, named after its module (`sch_netem`, `cls_flower`,
 * `act_gact`), proved by asking the kernel for it with no options: an absent
 * kind is refused with ENOENT (the kernel found no module for it), a present
 * one is created or refused for its missing options.
 */
function tcKindProbe(feature: string): FeatureProbe | undefined {
  const m = /^(sch|cls|act)_(\w+)$/.exec(feature);
  if (!m) return undefined;
  const [, type, kind] = m;
  return {
    modules: [feature],
    probe: async (conn) => {
      await conn.addLink({ kind: "veth", name: "parent0", peer: { name: "parent1" } });
      const index = (await conn.getLink("parent0")).index;
      try {
        if (type === "sch") await conn.ack(rawTcRequest("qdisc", index, kind), "probe");
        else if (type === "cls") {
          await conn.addQdisc({ dev: "parent0", kind: "clsact" });
          await conn.ack(rawTcRequest("filter", index, kind), "probe");
        } else await conn.ack(rawActionRequest(kind), "probe");
      } catch (e) {
        if (!(e instanceof NetlinkError)) throw e;
        // ENOENT: no such kind (after the kernel's own attempt to load its module).
        if (e.errno === 2) throw new NetlinkError(95, `${feature}: ${e.message}`);
      }
    },
  };
}

/** An RTM_NEWQDISC (at the root) or RTM_NEWTFILTER (on the ingress hook, prio 1, protocol all) with only TCA_KIND. */
function rawTcRequest(type: "qdisc" | "filter", ifindex: number, kind: string): Uint8Array {
  const w = new MessageWriter(64);
  writeTcRequest(w, {
    schema: type === "qdisc" ? QDISC_MESSAGE : FILTER_MESSAGE,
    type: type === "qdisc" ? RTM.NEWQDISC : RTM.NEWTFILTER,
    op: "add",
    header: type === "qdisc"
      ? { ifindex, handle: 0, parent: TC_H.ROOT }
      : { ifindex, handle: 0, parent: parseParent("ingress", "parent"), info: 0x00010300 },
    before: { kind },
  }, tcContext("add"));
  return w.bytes();
}

/** An RTM_NEWACTION with one action of `kind` and no options. */
function rawActionRequest(kind: string): Uint8Array {
  const w = new MessageWriter(64);
  encodeMessage(w, ACTION_MESSAGE, RTM.NEWACTION, REQUEST_FLAGS.create, {}, { actions: [{ kind }] });
  return w.bytes();
}

/** Loads a module when the machine can (the VM lane can; a host without modules cannot). */
async function modprobe(module: string): Promise<void> {
  for (const path of ["/sbin/modprobe", "/usr/sbin/modprobe"]) {
    try {
      await new Deno.Command(path, { args: ["-q", module], stdout: "null", stderr: "null" }).output();
      return;
    } catch {
      // not installed here
    }
  }
}

/** Whether a module is loaded or built in (built-in ones without parameters have no /sys/module entry). */
async function modulePresent(module: string): Promise<boolean> {
  try {
    await Deno.stat(`/sys/module/${module.replaceAll("-", "_")}`);
    return true;
  } catch {
    // not loaded, or built in without parameters
  }
  try {
    const release = Deno.osRelease();
    const builtin = await Deno.readTextFile(`/lib/modules/${release}/modules.builtin`);
    return builtin.split("\n").some((line) => line.endsWith(`/${module}.ko`));
  } catch {
    return false;
  }
}

/**
 * Probes a kernel feature, named after the module that provides it (`dummy`,
 * `8021q`, `sch_netem`, …), after a built-in feature (`netkit`) or after a
 * build option (`bridge-vlan-filtering`);
 * returns undefined when present, else why not. The module is loaded first
 * where modprobe exists. Features in `PROBES` are proved by making something
 * in a scratch namespace; other modules must be loaded or built in.
 */
export async function probeFeature(module: string): Promise<string | undefined> {
  if (featureCache.has(module)) return featureCache.get(module);
  let reason: string | undefined = NO_NETNS_REASON;
  const known = PROBES[module] ?? tcKindProbe(module);
  if (!reason) {
    for (const m of known?.modules ?? [module]) await modprobe(m);
    if (known !== undefined) {
      reason = await withNetns(async (conn, ns) => {
        try {
          await known.probe(conn, ns);
          return undefined;
        } catch (e) {
          if (e instanceof NetlinkError && e.isNotSupported()) return `kernel lacks ${module} (${e.message})`;
          throw e;
        }
      }, "feature");
    } else if (!(await modulePresent(module))) {
      reason = `kernel lacks module ${module}`;
    }
  }
  featureCache.set(module, reason);
  return reason;
}

/**
 * Set by the full-kernel VM lane (tests/vm/run.ts), whose kernel has every
 * module: there a missing feature fails the test, since a skip would hide a
 * broken lane (e.g. modprobe not working in the guest).
 */
const IN_VM = Deno.permissions.querySync({ name: "env", variable: "NLINK_VM" }).state === "granted" &&
  Deno.env.get("NLINK_VM") === "1";

/** Options for {@linkcode kernelTest}. */
export interface KernelTestOptions {
  /** Kernel features the test needs, e.g. `["veth", "8021q"]` (see {@linkcode probeFeature}). */
  needs?: string[];
  /**
   * Skipped even in the VM lane when missing (features Debian's stock kernel
   * does not build, such as hsr, bareudp and virt_wifi, or that are newer
   * than it, such as netkit): elsewhere a missing feature fails the VM lane.
   */
  optional?: true;
}

/**
 * Registers a test that runs in a fresh namespace, or is ignored with the
 * reason in its name when the kernel (or the user) cannot run it (in the VM
 * lane, where everything must run, it fails with the reason instead, unless
 * the test is `optional`).
 *
 * @example
 * ```ts ignore
 * await kernelTest("adds a route", { needs: ["veth"] }, async (conn) => { … });
 * ```
 */
export async function kernelTest(
  name: string,
  options: KernelTestOptions,
  fn: (conn: Connection, netns: string) => Promise<void>,
): Promise<void> {
  let reason = NO_NETNS_REASON;
  for (const m of options.needs ?? []) reason ??= await probeFeature(m);
  if (reason && IN_VM && !options.optional) {
    Deno.test({ name, fn: () => Promise.reject(new Error(`the VM lane must run this test, but: ${reason}`)) });
    return;
  }
  if (reason) {
    Deno.test({ name: `${name} [skipped: ${reason}]`, ignore: true, fn() {} });
    return;
  }
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn: () => withNetns(fn) });
}
