/**
 * `ip link xstats type KIND [ARGS]` and `ip link afstats [dev DEV]`: a link
 * kind's extended statistics (bridge and bond, and their ports) and the
 * per-family statistics (MPLS), read with RTM_GETSTATS, in iproute2's layout.
 *
 * @module
 */
import { getInterfaceStats, type InterfaceStats, type LinkXstats } from "@nlink/nlink";
import { Args, invalidArgument, matches, UsageError } from "../common/args.ts";
import { Kind, type Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { connect, type IpContext, printer } from "./context.ts";
import type { StatsOptions } from "./link_stats.ts";
import { bond3ad, bridgeMcast, bridgeStp, mplsStats } from "./stats_print.ts";

/**
 * The kinds iproute2 6.1 knows (its link_util ids). Only those with extended statistics print them; the others
 * are refused with iproute2's own message, and unknown names as an invalid type.
 */
const KNOWN_KINDS = new Set(
  ("amt bareudp batadv bond bond_slave bridge bridge_slave can dsa dummy geneve gtp hsr ifb ipoib ipvlan ipvtap " +
    "macvlan macvtap netdevsim nlmon rmnet team vcan virt_wifi vlan vrf vrf_slave vxcan vxlan wwan macsec tun gre " +
    "gretap erspan ip6gre ip6gretap ip6erspan ip6tnl ipip sit veth vti vti6 xfrm").split(" "),
);

/** The words that pick one suite of a kind's statistics (iproute2's xstats_print_attr). */
const SUITES: Record<"bridge" | "bond", Record<string, "mcast" | "stp" | "lacp">> = {
  bridge: { igmp: "mcast", mcast: "mcast", stp: "stp" },
  bond: { lacp: "lacp", "802.3ad": "lacp" },
};
const SUITE_HELP = { bridge: "[ igmp ]", bond: "[ 802.3ad ]" };

/** iproute2's ll_index_to_name for links it cannot name. */
function nameOf(names: Map<number, string>, index: number): string {
  return names.get(index) ?? `if${index}`;
}

async function linkNames(conn: Awaited<ReturnType<typeof connect>>): Promise<Map<number, string>> {
  return new Map((await conn.getLinks()).map((l) => [l.index, l.name ?? `if${l.index}`]));
}

/**
 * Runs `ip link xstats ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * await linkXstats(ctx, ["type", "bridge", "dev", "br0"]);
 * ```
 */
export async function linkXstats(ctx: IpContext, words: string[]): Promise<number> {
  const args = new Args(words);
  const first = args.next();
  if (first === undefined) throw new UsageError("xstats: missing argument", 1);
  if (matches(first, "help")) {
    console.log("Usage: ... xstats type TYPE [ ARGS ]");
    return 0;
  }
  if (!matches(first, "type")) throw invalidArgument("unknown argument", first);
  const id = args.value("type");
  if (!KNOWN_KINDS.has(id)) throw invalidArgument("invalid type", id);
  const slave = id.endsWith("_slave");
  const kind = slave ? id.slice(0, -"_slave".length) : id;
  if (kind !== "bridge" && kind !== "bond") throw new UsageError(`xstats: link type ${id} doesn't support xstats`, 1);

  using conn = await connect(ctx);
  let names: Map<number, string> | undefined;
  let only: string | undefined;
  let index = 0;
  while (args.more) {
    const w = args.next()!;
    if (w in SUITES[kind]) only = SUITES[kind][w];
    else if (w === "dev") {
      const dev = args.value("dev");
      names ??= await linkNames(conn);
      index = [...names].find(([, n]) => n === dev)?.[0] ?? 0;
      if (!index) throw new UsageError(`Cannot find device "${dev}"`, 1);
    } else if (w === "help") {
      console.log(`Usage: ... ${id} ${SUITE_HELP[kind]} [ dev DEVICE ]`);
      return 0;
    } else throw invalidArgument("unknown attribute", w);
  }

  const list = await getInterfaceStats(conn, { groups: [slave ? "xstatsSlave" : "xstats"] });
  names ??= await linkNames(conn);
  const p = printer(ctx);
  p.startList();
  for (const s of list) {
    if (index && s.index !== index) continue;
    for (const x of [s.xstats, s.xstatsSlave]) printKindXstats(p, x, kind, only, nameOf(names, s.index));
  }
  p.endList();
  p.flush();
  return 0;
}

/** One link's statistics of `kind` (iproute2's bridge_print_stats_attr / bond_print_stats_attr). */
function printKindXstats(
  p: Printer,
  x: LinkXstats | undefined,
  kind: "bridge" | "bond",
  only: string | undefined,
  name: string,
): void {
  const stats = x?.[kind];
  if (!stats) return;
  p.openObject();
  p.string(Kind.Any, "ifname", "%-16s\n", name);
  if (kind === "bond") {
    const lacp = (stats as NonNullable<LinkXstats["bond"]>).lacp;
    if (lacp) bond3ad(p, lacp);
  } else {
    // The kernel sends the multicast counters before the STP ones (and VLANs, which iproute2 skips, first).
    const br = stats as NonNullable<LinkXstats["bridge"]>;
    if (br.mcast && (!only || only === "mcast")) bridgeMcast(p, br.mcast);
    if (br.stp && (!only || only === "stp")) bridgeStp(p, br.stp);
  }
  p.closeObject();
}

/**
 * Runs `ip link afstats [dev DEV]` and returns the exit code (0 even for an
 * unknown device, as iproute2).
 *
 * @example
 * ```ts ignore
 * await linkAfstats(ctx, ["dev", "eth0"], usage);
 * ```
 */
export async function linkAfstats(ctx: IpContext, words: string[], usage: () => never): Promise<number> {
  let dev: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "dev") {
      const v = words[++i];
      if (v === undefined) throw new UsageError('Command line is not complete. Try option "help"');
      if (dev !== undefined) throw new UsageError(`Error: either "dev" is duplicate, or "${v}" is a garbage.`);
      dev = v;
    } else if (matches(w, "help")) usage();
    else throw new UsageError(`Command "${w}" is unknown, try "ip link help".`);
  }
  using conn = await connect(ctx);
  const names = await linkNames(conn);
  let index = 0;
  if (dev !== undefined) {
    index = [...names].find(([, n]) => n === dev)?.[0] ?? 0;
    if (!index) {
      console.error(`Device "${dev}" does not exist.`);
      return 0;
    }
  }
  const list = await getInterfaceStats(conn, { groups: ["afSpec"] });
  const o: StatsOptions = { level: ctx.stats, human: ctx.human, iec: ctx.iec };
  const p = printer(ctx);
  p.startList();
  for (const s of list) if (!index || s.index === index) printAfStats(p, s, nameOf(names, s.index), o);
  p.endList();
  p.flush();
  return 0;
}

/**
 * One link's per-family counters. iproute2 puts `ifindex` and `ifname` straight into its JSON array (no
 * object per link, which is not valid JSON); here each link is an object.
 */
function printAfStats(p: Printer, s: InterfaceStats, name: string, o: StatsOptions): void {
  const mpls = s.afSpec?.mpls;
  if (!mpls) return;
  p.openObject();
  p.uint(Kind.Any, "ifindex", "%u:", s.index);
  p.colorString(Kind.Any, Color.Ifname, "ifname", "%s", name);
  p.nl();
  if (mpls.link) {
    p.write("    mpls:");
    p.nl();
    p.openObject("mpls");
    mplsStats(p, mpls.link, o, "        ");
    p.closeObject();
    p.write("\n");
  }
  p.closeObject();
}
