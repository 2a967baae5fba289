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

/**
 * Probes a kernel feature; returns undefined when present, else why not.
 * Features: `link:KIND` (a link kind can be created), `module:NAME` (loaded or
 * built in, per /sys/module).
 */
export async function probeFeature(feature: string): Promise<string | undefined> {
  if (featureCache.has(feature)) return featureCache.get(feature);
  let reason: string | undefined;
  if (NO_NETNS_REASON) reason = NO_NETNS_REASON;
  else if (feature.startsWith("link:")) {
    const kind = feature.slice(5);
    reason = await withNetns(async (conn) => {
      try {
        const opts = kind === "veth"
          ? { kind: "veth" as const, name: "probe0", peer: { name: "probe1" } }
          : { kind, name: "probe0" };
        await conn.addLink(opts);
        return undefined;
      } catch (e) {
        if (e instanceof NetlinkError && (e.isNotSupported() || e.errno === 95 || e.errno === 22)) {
          return `kernel lacks link kind ${kind} (${e.code})`;
        }
        throw e;
      }
    }, "feature");
  } else if (feature.startsWith("module:")) {
    const mod = feature.slice(7);
    try {
      await Deno.stat(`/sys/module/${mod}`);
    } catch {
      reason = `kernel lacks module ${mod}`;
    }
  } else throw new Error(`unknown feature ${feature}`);
  featureCache.set(feature, reason);
  return reason;
}

/** Options for {@linkcode kernelTest}. */
export interface KernelTestOptions {
  /** Kernel features the test needs (see {@linkcode probeFeature}). */
  needs?: string[];
}

/**
 * Registers a test that runs in a fresh namespace, or is ignored with the
 * reason in its name when the kernel (or the user) cannot run it.
 *
 * @example
 * ```ts ignore
 * await kernelTest("adds a route", { needs: ["link:veth"] }, async (conn) => { … });
 * ```
 */
export async function kernelTest(
  name: string,
  options: KernelTestOptions,
  fn: (conn: Connection, netns: string) => Promise<void>,
): Promise<void> {
  let reason = NO_NETNS_REASON;
  for (const f of options.needs ?? []) reason ??= await probeFeature(f);
  if (reason) {
    Deno.test({ name: `${name} [skipped: ${reason}]`, ignore: true, fn() {} });
    return;
  }
  Deno.test({ name, sanitizeResources: false, sanitizeOps: false, fn: () => withNetns(fn) });
}
