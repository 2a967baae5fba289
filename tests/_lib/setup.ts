/**
 * Setup and read-back helpers shared by the kernel tests (tests/kernel/): a
 * veth pair, a bridge with veth ports, and the tools a test runs beside
 * nlink (iproute2 for JSON read-back, sysctl, the `bridge` tool where it
 * exists). Each works inside the test's namespace, as given by
 * {@linkcode kernelTest} in ./netns.ts.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import type { Connection } from "../../mod.ts";

/** Options for {@linkcode veth}. */
export interface VethOptions {
  /** The two ends' names: `["v0", "v1"]` unless given. */
  names?: readonly [string, string];
  /**
   * Addresses to add once both ends are up, by end name, e.g.
   * `{ v0: ["10.0.0.1/24", "2001:db8::1/64"] }`; IPv6 ones are added with
   * `nodad`, so that they are usable at once.
   */
  addresses?: Readonly<Record<string, readonly string[]>>;
}

/** The ifindexes of a veth pair: `v0` of the first end, `v1` of the second, whatever their names. */
export interface VethPair {
  /** The first end's ifindex. */
  v0: number;
  /** The second end's (the peer's) ifindex. */
  v1: number;
}

/** v0's addresses in the routing tests (`veth(conn, { addresses: V0_ADDRESSES })`): 10.0.0.1/24, 2001:db8::1/64. */
export const V0_ADDRESSES: Readonly<Record<string, readonly string[]>> = { v0: ["10.0.0.1/24", "2001:db8::1/64"] };

/** Creates a veth pair (v0–v1 unless named), sets both ends up, adds the addresses asked for; returns their ifindexes. */
export async function veth(conn: Connection, options: VethOptions = {}): Promise<VethPair> {
  const [a, b] = options.names ?? ["v0", "v1"];
  await conn.addLink({ kind: "veth", name: a, peer: { name: b } });
  await conn.setLinkUp(a);
  await conn.setLinkUp(b);
  for (const [dev, addresses] of Object.entries(options.addresses ?? {})) {
    for (const address of addresses) {
      await conn.addAddress(address.includes(":") ? { dev, address, flags: ["nodad"] } : { dev, address });
    }
  }
  return { v0: (await conn.getLink(a)).index, v1: (await conn.getLink(b)).index };
}

/** Runs a tool: its stdout, or undefined when it is not installed (e.g. iproute2's `bridge`); throws when it fails. */
export async function run(cmd: string, ...args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    if (!out.success) throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    return new TextDecoder().decode(out.stdout);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** Creates br0 (then `ip link set br0 type bridge SETTINGS` in `ns`, if any) with veth ports P (peers Pp), all up. */
export async function bridgeWithPorts(
  conn: Connection,
  ns: string,
  settings: string[],
  ...ports: string[]
): Promise<void> {
  await conn.addLink({ kind: "bridge", name: "br0" });
  if (settings.length) await run("ip", "-n", ns, "link", "set", "br0", "type", "bridge", ...settings);
  for (const p of ports) {
    await conn.addLink({ kind: "veth", name: p, peer: { name: `${p}p` } });
    await conn.setLink(p, { master: "br0", up: true });
    await conn.setLinkUp(`${p}p`);
  }
  await conn.setLinkUp("br0");
}

/** Runs `ip -n NS -j ARGS` and parses its JSON (null when it prints nothing). */
export async function iproute2(ns: string, ...args: string[]): Promise<unknown> {
  const out = await new Deno.Command("ip", { args: ["-n", ns, "-j", ...args], stdout: "piped" }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout) || "null");
}

/** Sets one sysctl (`key=value`) inside namespace `ns` with `sysctl -qw`; throws when it fails. */
export async function sysctl(ns: string, setting: string): Promise<void> {
  const out = await new Deno.Command("ip", { args: ["netns", "exec", ns, "sysctl", "-qw", setting] }).output();
  if (!out.success) throw new Error(`sysctl -w ${setting} failed in ${ns}`);
}

/** Asserts that every key of `want` has that value in `got` (other keys of `got` are not looked at). */
export function subset(got: unknown, want: Readonly<Record<string, unknown>>, what: string): void {
  ok(got !== null && typeof got === "object" && !(got instanceof Uint8Array), `${what}: no decoded data`);
  const g = got as Record<string, unknown>;
  const picked = Object.fromEntries(Object.keys(want).map((k) => [k, g[k]]));
  deepStrictEqual(picked, want, what);
}

/** Sends `count` UDP datagrams of `size` bytes (to port 9) from inside `ns` to `to`. */
export async function sendUdp(ns: string, to: string, count: number, size: number): Promise<void> {
  const script = `import dgram from "node:dgram";
    const s = dgram.createSocket("${to.includes(":") ? "udp6" : "udp4"}");
    const buf = new Uint8Array(${size});
    for (let i = 0; i < ${count}; i++) await new Promise((r) => s.send(buf, 9, "${to}", r));
    s.close();`;
  const out = await new Deno.Command("ip", {
    args: ["netns", "exec", ns, Deno.execPath(), "eval", script],
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(`sending UDP to ${to} in ${ns}: ${new TextDecoder().decode(out.stderr)}`);
}

/**
 * A lab for traffic through filters: v0 (10.0.0.1/24)–v1, a second pair
 * w0–w1 to mirror or redirect to, and 10.0.0.2 resolved on v0 (to `lladdr`,
 * or v1's own address when `toPeer`), so that datagrams sent to it leave v0
 * and arrive at v1. Returns w0's ifindex.
 */
export async function mirrorLab(conn: Connection, options: { toPeer?: boolean } = {}): Promise<{ w0: number }> {
  await veth(conn, { addresses: { v0: ["10.0.0.1/24"] } });
  const { v0: w0 } = await veth(conn, { names: ["w0", "w1"] });
  const lladdr = options.toPeer ? (await conn.getLink("v1")).address! : "02:00:00:00:00:02";
  await conn.addNeighbour({ dev: "v0", dst: "10.0.0.2", lladdr });
  return { w0 };
}

/**
 * Collects a stream's items until `until` says there are enough, or `ms` pass (the stream is then ended).
 *
 * @example
 * ```ts ignore
 * const seen = await collectEvents(conn.events(), (s) => s.some((e) => e.type === "newlink"));
 * ```
 */
export async function collectEvents<T>(
  stream: AsyncGenerator<T>,
  until: (seen: T[]) => boolean,
  ms = 3000,
): Promise<T[]> {
  const seen: T[] = [];
  const deadline = setTimeout(() => stream.return(undefined), ms);
  try {
    for await (const item of stream) {
      seen.push(item);
      if (until(seen)) break;
    }
  } finally {
    clearTimeout(deadline);
  }
  return seen;
}
