/**
 * Test harness for everything that touches the kernel: each test gets a fresh,
 * private network namespace made with nlink's own namespace support, and is
 * skipped — with the reason in its name — when the machine cannot give it one
 * or lacks a kernel feature it needs.
 *
 * @module
 */
import { addNetns, Connection, deleteNetns, NetlinkError } from "../../mod.ts";

let counter = 0;

/** A unique namespace name for this process. */
export function uniqueNetnsName(tag = "t"): string {
  return `nlt-${Deno.pid}-${tag}-${++counter}`;
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

/** A link kind that proves a module is there (the module name → the kind it provides). */
const LINK_KIND_OF: Record<string, string> = {
  veth: "veth",
  bridge: "bridge",
  dummy: "dummy",
  ifb: "ifb",
  vxlan: "vxlan",
  macvlan: "macvlan",
  ipvlan: "ipvlan",
  vrf: "vrf",
  bonding: "bond",
  wireguard: "wireguard",
  geneve: "geneve",
  nlmon: "nlmon",
  vcan: "vcan",
};

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

/**
 * Probes a kernel feature, named after the module that provides it (`dummy`,
 * `8021q`, `sch_netem`, …); returns undefined when present, else why not.
 * The module is loaded first where modprobe exists. Link-kind modules are
 * probed by creating such a link in a scratch namespace; others must show up
 * in /sys/module after loading.
 */
export async function probeFeature(module: string): Promise<string | undefined> {
  if (featureCache.has(module)) return featureCache.get(module);
  let reason: string | undefined = NO_NETNS_REASON;
  if (!reason) {
    await modprobe(module);
    const kind = LINK_KIND_OF[module];
    if (kind !== undefined) {
      reason = await withNetns(async (conn) => {
        try {
          const opts = kind === "veth"
            ? { kind: "veth" as const, name: "probe0", peer: { name: "probe1" } }
            : { kind, name: "probe0" };
          await conn.addLink(opts);
          return undefined;
        } catch (e) {
          if (e instanceof NetlinkError && (e.isNotSupported() || e.errno === 22)) {
            return `kernel lacks ${module} (creating a ${kind} link: ${e.code})`;
          }
          throw e;
        }
      }, "feature");
    } else {
      try {
        await Deno.stat(`/sys/module/${module}`);
      } catch {
        reason = `kernel lacks module ${module}`;
      }
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
  /** Kernel modules the test needs, e.g. `["veth", "8021q"]` (see {@linkcode probeFeature}). */
  needs?: string[];
}

/**
 * Registers a test that runs in a fresh namespace, or is ignored with the
 * reason in its name when the kernel (or the user) cannot run it (in the VM
 * lane, where everything must run, it fails with the reason instead).
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
  if (reason && IN_VM) {
    Deno.test({ name, fn: () => Promise.reject(new Error(`the VM lane must run this test, but: ${reason}`)) });
    return;
  }
  if (reason) {
    Deno.test({ name: `${name} [skipped: ${reason}]`, ignore: true, fn() {} });
    return;
  }
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn: () => withNetns(fn) });
}
