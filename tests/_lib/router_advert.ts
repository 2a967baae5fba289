/**
 * Router Advertisements for tests: a veth pair in a namespace where `v0`
 * accepts RAs (forwarding off, no address autoconfiguration, so only the
 * prefix is learnt) and `v1` has the link-local address `fe80::2`; a python3
 * helper sends from it an RA carrying one Prefix Information option (raw
 * ICMPv6 socket, hop limit 255, to ff02::1), which makes the kernel notify
 * RTM_NEWPREFIX for `v0` (what `ip monitor prefix` shows).
 *
 * @module
 */

/** The helper: argv = device, source, prefix, length, valid, preferred, flag byte. */
const SENDER = `
import socket, struct, sys
dev, src, prefix, plen, valid, preferred, flags = sys.argv[1:8]
idx = socket.if_nametoindex(dev)
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_LOOP, 0)
s.bind((src, 0, 0, idx))
# type 134, code 0, checksum (the kernel fills it), hop limit 64, no flags, router lifetime 0, timers 0
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 0, 0, 0)
pio = struct.pack("!BBBBIII", 3, 4, int(plen), int(flags), int(valid), int(preferred), 0)
s.sendto(ra + pio + socket.inet_pton(socket.AF_INET6, prefix), ("ff02::1", 0, 0, idx))
`;

/** One Prefix Information option. */
export interface AdvertisedPrefix {
  /** The prefix, e.g. `2001:db8:1::`. */
  prefix: string;
  /** Its length. */
  length: number;
  /** Valid lifetime in seconds. */
  valid: number;
  /** Preferred lifetime in seconds. */
  preferred: number;
  /** The option's flag byte (0x80 L on-link, 0x40 A autoconf). */
  flags: number;
}

async function run(args: string[]): Promise<void> {
  const out = await new Deno.Command(args[0], { args: args.slice(1), stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
}

/** Why RAs cannot be sent here (no python3), if they cannot. */
export const NO_RA_SENDER: string | undefined = await (async () => {
  try {
    await run(["python3", "-c", "import socket; socket.IPV6_MULTICAST_LOOP"]);
    return undefined;
  } catch (e) {
    return `python3 with IPv6 sockets is needed to send Router Advertisements: ${e instanceof Error ? e.message : e}`;
  }
})();

/**
 * Makes the veth pair `v0`/`v1` in `ns`: `v0` accepts RAs, `v1` sends them from `fe80::2`.
 *
 * @example
 * ```ts ignore
 * await raLab(ns);
 * ```
 */
export async function raLab(ns: string): Promise<void> {
  const ip = (cmd: string) => run(["ip", "-n", ns, ...cmd.split(" ")]);
  await ip("link add v0 type veth peer name v1");
  await ip("link set v0 addrgenmode none");
  await ip("link set v1 addrgenmode none");
  for (const [key, value] of [["accept_ra", "1"], ["forwarding", "0"], ["autoconf", "0"]]) {
    await run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", `net.ipv6.conf.v0.${key}=${value}`]);
  }
  await run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.v1.accept_ra=0"]);
  await ip("link set v0 up");
  await ip("link set v1 up");
  await ip("-6 address add fe80::2/64 dev v1 nodad");
}

/**
 * Sends one RA from `v1` (made by {@linkcode raLab}) with the given prefix option.
 *
 * @example
 * ```ts ignore
 * await sendRouterAdvert(ns, { prefix: "2001:db8:1::", length: 64, valid: 1200, preferred: 600, flags: 0xc0 });
 * ```
 */
export async function sendRouterAdvert(ns: string, p: AdvertisedPrefix): Promise<void> {
  const args = ["v1", "fe80::2", p.prefix, p.length, p.valid, p.preferred, p.flags].map(String);
  await run(["ip", "netns", "exec", ns, "python3", "-c", SENDER, ...args]);
}
