/**
 * `ss -r`'s DNS half: reverse (PTR) look-ups as glibc's gethostbyaddr(3) makes
 * them when /etc/hosts has no name, through Deno.resolveDns and so the name
 * servers of /etc/resolv.conf. Loaded only when `-r` finds an address that
 * /etc/hosts does not name.
 *
 * Deno's resolver reads /etc/resolv.conf itself, but counts `attempts` as
 * retries (one more try than glibc makes), so each look-up also has a
 * deadline: the longest glibc would wait (see {@link glibcDeadline}).
 *
 * @module
 */
import { parseIP } from "@nlink/nlink/core";

/**
 * The name a PTR question asks about for an address: `d.c.b.a.in-addr.arpa.`
 * or the 32 nibbles of an IPv6 address under `ip6.arpa.` (fully qualified, so
 * no search domain is ever appended).
 *
 * @example
 * ```ts
 * import { reverseName } from "./dns.ts";
 * reverseName("10.1.0.1"); // "1.0.1.10.in-addr.arpa."
 * ```
 */
export function reverseName(addr: string): string | undefined {
  const b = parseIP(addr)?.bytes;
  if (!b) return undefined;
  if (b.length === 4) return `${b[3]}.${b[2]}.${b[1]}.${b[0]}.in-addr.arpa.`;
  let name = "";
  for (let i = b.length - 1; i >= 0; i--) name += `${(b[i] & 15).toString(16)}.${(b[i] >> 4).toString(16)}.`;
  return name + "ip6.arpa.";
}

/**
 * The longest glibc's resolver waits for one answer, in milliseconds, under
 * this resolv.conf text: `attempts` rounds (default 2, at most 5) over the
 * name servers (at most 3; none means one, the local one), each waiting
 * `timeout` seconds (default 5, at most 30), the second and later servers
 * of a round `timeout << index / count` seconds (at least 1), as res_send does.
 *
 * @example
 * ```ts
 * import { glibcDeadline } from "./dns.ts";
 * glibcDeadline("nameserver 10.0.0.1\noptions timeout:1 attempts:1\n"); // 1000
 * ```
 */
export function glibcDeadline(resolvConf: string): number {
  let servers = 0, timeout = 5, attempts = 2;
  for (const raw of resolvConf.split("\n")) {
    const words = raw.replace(/[#;].*/, "").trim().split(/\s+/);
    if (words[0] === "nameserver" && words[1]) servers++;
    if (words[0] !== "options") continue;
    for (const w of words.slice(1)) {
      const m = /^(timeout|attempts):(\d+)$/.exec(w);
      if (m?.[1] === "timeout") timeout = Math.min(Number(m[2]), 30);
      else if (m?.[1] === "attempts") attempts = Math.min(Number(m[2]), 5);
    }
  }
  const count = Math.min(Math.max(servers, 1), 3);
  let round = 0;
  for (let i = 0; i < count; i++) round += Math.max(1, i > 0 ? Math.trunc((timeout << i) / count) : timeout);
  return Math.max(attempts, 1) * round * 1000;
}

/** Whether the hosts line of /etc/nsswitch.conf names `dns` (glibc's default, without the file, does). */
export function dnsConfigured(): boolean {
  let text: string;
  try {
    text = Deno.readTextFileSync("/etc/nsswitch.conf");
  } catch {
    return true;
  }
  const line = /^\s*hosts\s*:(.*)$/m.exec(text.replace(/#.*/g, ""));
  return line === null || /(^|\s)dns(\s|$)/.test(line[1]);
}

/** res_hnok as glibc applies it to a PTR answer: labels of letters, digits, `-` and `_`, none starting with `-`. */
function validHostName(name: string): boolean {
  return name !== "" && name.split(".").every((l) => /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(l));
}

/** Questions in flight at once: enough for any listing's latency, few enough for the descriptor limit. */
const CONCURRENCY = 64;

/**
 * The host names DNS gives these addresses (the first PTR answer, without its
 * trailing dot, as gethostbyaddr returns it, unless it is no valid host name), asked concurrently; an
 * address whose question fails, finds nothing or outlives glibc's deadline is
 * left out. A missing `--allow-net` is thrown, not taken for "no name".
 *
 * @example
 * ```ts ignore
 * import { reverseLookUp } from "./dns.ts";
 * await reverseLookUp(["10.1.0.1", "2001:db8::1"]); // Map { "10.1.0.1" => "one.example" }
 * ```
 */
export async function reverseLookUp(addrs: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (addrs.length === 0) return names;
  let conf = "";
  try {
    conf = Deno.readTextFileSync("/etc/resolv.conf");
  } catch {
    // No resolv.conf: Deno's resolver fails by itself, every address stays numeric.
  }
  const deadline = glibcDeadline(conf);
  let next = 0;
  const worker = async () => {
    while (next < addrs.length) {
      const addr = addrs[next++];
      const name = await ptrName(addr, deadline);
      if (name !== undefined) names.set(addr, name);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, addrs.length) }, worker));
  return names;
}

/** One address's PTR name, or undefined when there is none (valid) within `deadline` ms. */
async function ptrName(addr: string, deadline: number): Promise<string | undefined> {
  const query = reverseName(addr);
  if (query === undefined) return undefined;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), deadline);
  let answers: string[];
  try {
    answers = await Deno.resolveDns(query, "PTR", { signal: abort.signal });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) throw e;
    return undefined; // NXDOMAIN, no answer, timed out, unreachable: the address stays numeric.
  } finally {
    clearTimeout(timer);
  }
  // The first answer decides: glibc gives up on an invalid name rather than try the next one.
  const first = answers[0]?.replace(/\.$/, "");
  return first !== undefined && validHostName(first) ? first : undefined;
}
