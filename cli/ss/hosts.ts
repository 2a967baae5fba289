/**
 * `ss -r`: host names for addresses, as iproute2's ss gets them from
 * gethostbyaddr(3) under the name service switch's `hosts: files dns`:
 * /etc/hosts first, then a reverse (PTR) question to the name servers of
 * /etc/resolv.conf (dns.ts, loaded only then). DNS is asked only when the
 * hosts line of /etc/nsswitch.conf names it; other sources there (mdns,
 * myhostname, resolve, …) and their `[STATUS=action]`s are not followed.
 *
 * DNS look-ups are asynchronous while ss prints synchronously, so a listing's
 * distinct addresses are named first, all at once ({@link lookUpHostNames}),
 * and {@link hostName} then only reads what they found.
 *
 * @module
 */
import { formatIPv4, formatIPv6, parseIP } from "@nlink/nlink/core";

/** The first name of the first /etc/hosts line for each address (`4:a.b.c.d` or `6:x::y`), as glibc's files lookup. */
let table: Map<string, string> | undefined;

function load(): Map<string, string> {
  if (table) return table;
  table = new Map();
  let text = "";
  try {
    text = Deno.readTextFileSync("/etc/hosts");
  } catch {
    // No hosts file: every address stays numeric.
  }
  for (const raw of text.split("\n")) {
    const [addr, name] = raw.replace(/#.*/, "").trim().split(/\s+/);
    if (!addr || !name) continue;
    const key = keyOf(addr, false);
    if (key !== undefined && !table.has(key)) table.set(key, name);
  }
  return table;
}

/**
 * The lookup key of an address text. With `unmap`, IPv4-mapped (`::ffff:a.b.c.d`)
 * and IPv4-compatible (`::a.b.c.d`, but not `::1` or `::`) IPv6 addresses count as
 * their IPv4 address, as both iproute2 and glibc's gethostbyaddr treat them.
 */
function keyOf(text: string, unmap: boolean): string | undefined {
  const ip = parseIP(text);
  if (!ip) return undefined;
  const b = ip.bytes;
  if (b.length === 4) return `4:${formatIPv4(b)}`;
  if (unmap && b.subarray(0, 10).every((x) => x === 0)) {
    const mapped = b[10] === 0xff && b[11] === 0xff;
    // `::1` and `::` stay IPv6 (and glibc refuses `::` outright: see UNSPECIFIED).
    const compatible = b[10] === 0 && b[11] === 0 && ((b[12] | b[13] | b[14]) !== 0 || b[15] > 1);
    if (mapped || compatible) return `4:${formatIPv4(b, 12)}`;
  }
  return `6:${formatIPv6(b)}`;
}

/** Addresses already looked up (negative answers too, as iproute2 remembers them). */
const cache = new Map<string, string | undefined>();

/** The key glibc refuses before any source is asked: the IPv6 wildcard `::`. */
const UNSPECIFIED = "6:::";

/**
 * Names the addresses not named yet: from /etc/hosts, else (when the name
 * service switch says `dns`) by reverse DNS, every distinct address asked once
 * and all concurrently; one that finds no name stays numeric. Afterwards
 * {@link hostName} answers for each of them without waiting.
 *
 * @example
 * ```ts ignore
 * import { hostName, lookUpHostNames } from "./hosts.ts";
 * await lookUpHostNames(["10.1.0.1", "127.0.0.1"]);
 * hostName("10.1.0.1"); // its PTR name, if the name servers give one
 * ```
 */
export async function lookUpHostNames(addrs: Iterable<string>): Promise<void> {
  const ask = new Map<string, string[]>(); // an address as DNS is asked for it → the texts printed for it
  for (const addr of addrs) {
    if (cache.has(addr)) continue;
    const key = keyOf(addr, true);
    const name = key === undefined || key === UNSPECIFIED ? undefined : load().get(key);
    cache.set(addr, name);
    if (name !== undefined || key === undefined || key === UNSPECIFIED) continue;
    const query = key.slice(2);
    const texts = ask.get(query);
    if (texts) texts.push(addr);
    else ask.set(query, [addr]);
  }
  if (ask.size === 0) return;
  const dns = await import("./dns.ts");
  if (!dns.dnsConfigured()) return;
  const found = await dns.reverseLookUp([...ask.keys()]);
  for (const [query, name] of found) for (const addr of ask.get(query)!) cache.set(addr, name);
}

/**
 * The host name of an address: what {@link lookUpHostNames} found for it
 * (DNS included), else /etc/hosts' first name on the first line with that
 * address, or undefined. Never waits: an address not looked up before is not
 * asked of DNS.
 *
 * @example
 * ```ts ignore
 * import { hostName } from "./hosts.ts";
 * hostName("127.0.0.1"); // "localhost" with the usual /etc/hosts
 * hostName("::ffff:127.0.0.1"); // the same: mapped addresses are looked up as IPv4
 * ```
 */
export function hostName(addr: string): string | undefined {
  if (cache.has(addr)) return cache.get(addr);
  const key = keyOf(addr, true);
  const name = key === undefined || key === UNSPECIFIED ? undefined : load().get(key);
  cache.set(addr, name);
  return name;
}
