/**
 * `ss -r`: host names for addresses, as iproute2's ss gets them from
 * gethostbyaddr(3) — but from /etc/hosts only. The name service switch here
 * says `files dns`, so iproute2 would also ask DNS for a reverse name when
 * /etc/hosts has none; we never consult DNS (no resolver, and tests run
 * offline), so such an address stays numeric where iproute2 might name it.
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
 * and IPv4-compatible (`::a.b.c.d`, but not `::1`) IPv6 addresses count as
 * their IPv4 address, as both iproute2 and glibc's gethostbyaddr treat them.
 */
function keyOf(text: string, unmap: boolean): string | undefined {
  const ip = parseIP(text);
  if (!ip) return undefined;
  const b = ip.bytes;
  if (b.length === 4) return `4:${formatIPv4(b)}`;
  if (unmap && b.subarray(0, 10).every((x) => x === 0)) {
    const mapped = b[10] === 0xff && b[11] === 0xff;
    const compatible = b[10] === 0 && b[11] === 0 && !(b[12] === 0 && b[13] === 0 && b[14] === 0 && b[15] === 1);
    if (mapped || compatible) return `4:${formatIPv4(b, 12)}`;
  }
  return `6:${formatIPv6(b)}`;
}

/** Addresses already looked up (negative answers too, as iproute2 remembers them). */
const cache = new Map<string, string | undefined>();

/**
 * The host name /etc/hosts gives an address (its first name on the first
 * line with that address), or undefined. DNS is not consulted.
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
  const name = key === undefined ? undefined : load().get(key);
  cache.set(addr, name);
  return name;
}
