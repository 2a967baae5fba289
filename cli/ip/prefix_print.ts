/**
 * An IPv6 prefix notification as `ip monitor prefix` prints it (iproute2's
 * print_prefix): `prefix P/LEN` (with no space before `dev`, as iproute2
 * prints it), the device, `onlink` / `autoconf`, and the valid and preferred
 * lifetimes in seconds.
 *
 * @module
 */
import type { Ipv6Prefix } from "@nlink/nlink";
import type { Printer } from "../common/output.ts";
import { AF_INET6, familyNumber } from "../common/inet.ts";

/** ND_OPT_PREFIX_INFORMATION: with AF_INET6, what every prefix notification must carry to be printed. */
const ND_OPT_PREFIX_INFORMATION = 3;
/** The flag bits iproute2 tests (the kernel's IF_PREFIX_*). */
const IF_PREFIX_ONLINK = 0x01, IF_PREFIX_AUTOCONF = 0x02;

/**
 * Prints one prefix notification (text only: iproute2 6.1 has no JSON for it).
 * `family` is the `-4`/`-6`/`-f` filter: any family but inet6 prints nothing.
 * A notification of another family or option type is reported on stderr, as
 * iproute2 does.
 *
 * @example
 * ```ts
 * import { Printer } from "../common/output.ts";
 * import { printPrefix } from "./prefix_print.ts";
 * const out = new Printer({ json: false, pretty: false, oneline: false });
 * const p = { family: "inet6", ifindex: 2, optionType: 3, prefixLen: 64, flags: 3, onlink: true,
 *   autoconf: true, address: "2001:db8::", cacheinfo: { preferred: 600, valid: 1200 } };
 * printPrefix(out, p, () => "eth0", undefined);
 * out.text(); // "prefix 2001:db8::/64dev eth0 onlink autoconf valid 1200 preferred 600 \n"
 * ```
 */
export function printPrefix(
  out: Printer,
  p: Ipv6Prefix,
  linkName: (ifindex: number) => string,
  family: string | undefined,
): void {
  if (family !== undefined && family !== "inet6") return;
  const fam = familyNumber(p.family);
  if (fam !== AF_INET6) {
    out.flush();
    console.error(`incorrect protocol family: ${fam}`);
    return;
  }
  if (p.optionType !== ND_OPT_PREFIX_INFORMATION) {
    out.flush();
    console.error(`wrong ND type ${p.optionType}`);
    return;
  }
  if (p.address !== undefined) out.write(`prefix ${p.address}/${p.prefixLen}`);
  out.write(`dev ${linkName(p.ifindex)} `);
  // iproute2 6.1 tests the flag bits of kernels before 2024 (IF_PREFIX_*), not the option's L/A bits that later
  // kernels send in their place: it then prints neither word, and so do we, to print what it prints.
  if (p.flags & IF_PREFIX_ONLINK) out.write("onlink ");
  if (p.flags & IF_PREFIX_AUTOCONF) out.write("autoconf ");
  if (p.cacheinfo !== undefined) {
    out.write(`valid ${p.cacheinfo.valid >>> 0} preferred ${p.cacheinfo.preferred >>> 0} `);
  }
  out.write("\n");
}
