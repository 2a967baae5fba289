/**
 * `ip monitor [all | OBJECTS] [file FILE] [label] [all-nsid] [dev DEV]`:
 * rtnetlink notifications, printed as they arrive by the printers of `ip link`,
 * `ip address`, `ip route`, … (iproute2's ipmonitor.c); with `file FILE`,
 * the notifications `rtmon file FILE` saved, printed the same way; with
 * `all-nsid`, those of every namespace that has an id here too, each after
 * `[nsid N]` (`[nsid current]` for this namespace's own).
 *
 * @module
 */
import type { Connection, EventGroup, NetworkEvent } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { Printer } from "../common/output.ts";
import { connect, type IpContext } from "./context.ts";
import { loadLinkKinds } from "./link_print.ts";
import { LiveLinks } from "./monitor_links.ts";
import { indexesOf, type MonitorEnv, printEvent, printSavedFile, readSavedFile } from "./monitor_print.ts";

const USAGE = `Usage: ip monitor [ all | OBJECTS ] [ FILE ] [ label ] [ all-nsid ]
                  [ dev DEVICE ]
OBJECTS :=  address | link | mroute | neigh | netconf |
            nexthop | nsid | prefix | route | rule | stats
FILE := file FILENAME`;

/** The objects `ip monitor` can follow, in iproute2's order of abbreviation matching. */
const OBJECTS = ["link", "address", "route", "mroute", "prefix", "neigh", "netconf", "rule", "nsid", "nexthop"];

/** What the command line asks for. */
interface MonitorArgs {
  /** Objects named (empty: all). */
  objects: Set<string>;
  /** `label` / `all`. */
  label: boolean;
  /** `dev DEV`. */
  dev?: string;
  /** `file FILE`: saved notifications to print. */
  file?: string;
  /** `all-nsid`: also every namespace with an id here, each event prefixed with `[nsid N]` / `[nsid current]`. */
  allNsid: boolean;
}

function parse(args: string[]): MonitorArgs {
  const a: MonitorArgs = { objects: new Set(), label: false, allNsid: false };
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    const next = () => {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      return args[++i];
    };
    if (matches(w, "file")) a.file = next();
    else if (matches(w, "label")) a.label = true;
    else if (OBJECTS.some((o) => matches(w, o))) a.objects.add(OBJECTS.find((o) => matches(w, o))!);
    else if (w === "stats") a.objects.add("stats");
    else if (w === "all") a.label = true;
    else if (matches(w, "all-nsid")) a.allNsid = true;
    else if (matches(w, "help")) {
      console.error(USAGE);
      throw new UsageError("", 255, true);
    } else if (w === "dev") a.dev = next();
    else throw new UsageError(`Argument "${w}" is unknown, try "ip monitor help".`);
  }
  return a;
}

/** The multicast groups for the objects and the family filter (`-4`, `-6`, `-M`, …), as iproute2 joins them. */
function groupsFor(objects: Set<string>, family: string | undefined): EventGroup[] {
  const all = objects.size === 0;
  const want = (o: string) => all || objects.has(o);
  const fam = (f: string) => family === undefined || family === f;
  const groups: EventGroup[] = [];
  const add = (cond: boolean, g: EventGroup) => cond && groups.push(g);
  add(want("link"), "link");
  add(want("address") && fam("inet"), "ipv4-ifaddr");
  add(want("address") && fam("inet6"), "ipv6-ifaddr");
  add(want("route") && fam("inet"), "ipv4-route");
  add(want("route") && fam("inet6"), "ipv6-route");
  add(want("route") && fam("mpls"), "mpls-route");
  add(want("mroute") && fam("inet"), "ipv4-mroute");
  add(want("mroute") && fam("inet6"), "ipv6-mroute");
  add(want("prefix") && fam("inet6"), "ipv6-prefix");
  add(want("neigh"), "neigh");
  add(want("netconf") && fam("inet"), "ipv4-netconf");
  add(want("netconf") && fam("inet6"), "ipv6-netconf");
  add(want("netconf") && fam("mpls"), "mpls-netconf");
  add(want("rule") && fam("inet"), "ipv4-rule");
  add(want("rule") && fam("inet6"), "ipv6-rule");
  add(want("nsid"), "nsid");
  add(want("nexthop"), "nexthop");
  add(want("stats"), "stats");
  return groups;
}

/**
 * Runs `ip monitor ARGS…`: prints notifications until interrupted.
 *
 * @example
 * ```ts ignore
 * import { run } from "./monitor.ts";
 * await run(ctx, ["label", "link", "address"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  const a = parse(args);
  // Link events print like `ip link show`; with -d that needs the kind printers.
  if (ctx.details) await loadLinkKinds();
  using conn = await connect(ctx);
  if (a.file !== undefined) {
    // Saved notifications print whatever their group; names not in the file come from the kernel, as in iproute2.
    const file = await readSavedFile(a.file);
    if (file === undefined) return 255;
    const env = await environment(conn, ctx, a, await LiveLinks.load(conn));
    // A saved notification has no source namespace: iproute2 prints every one as the current namespace's.
    if (a.allNsid) env.nsidPrefix = nsidPrefix(undefined);
    const out = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
    return await printSavedFile(out, file, env, (ev) => follow(conn, env.links, ev));
  }
  // Subscribe before reading the link table, as iproute2 does, so no change falls between the two.
  const stream = conn.events({ groups: groupsFor(a.objects, ctx.family), allNsid: a.allNsid });
  let pending = stream.next();
  // If setup fails below, the stream closes with the connection; its outcome is then of no interest.
  pending.catch(() => {});
  const env = await environment(conn, ctx, a, await LiveLinks.load(conn));
  const { links } = env;
  const out = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  for (;;) {
    const r = await pending;
    if (r.done) break;
    pending = stream.next();
    const ev = r.value;
    await follow(conn, links, ev);
    if (a.allNsid) env.nsidPrefix = nsidPrefix(ev.sourceNsid);
    await printEvent(out, ev, env);
    out.flush();
    // After printing: the port's own entry still supplies what the port message lacks (type, peer).
    if (ev.type === "delbridgeport") links.forget(ev.port.ifindex);
  }
  return 0;
}

/** iproute2's `[nsid N]` before each event with `all-nsid` (`current`: the kernel named no other namespace). */
function nsidPrefix(nsid: number | undefined): string {
  return nsid === undefined ? "[nsid current]" : `[nsid ${nsid}]`;
}

/** What printing needs: the link table, `dev`'s index, the namespace names. */
async function environment(conn: Connection, ctx: IpContext, a: MonitorArgs, links: LiveLinks): Promise<MonitorEnv> {
  let ifindex = 0;
  if (a.dev !== undefined) {
    ifindex = links.index(a.dev);
    if (!ifindex) throw invalidArgument("Device does not exist\n", a.dev);
  }
  let nsNames = new Map<number, string>();
  try {
    nsNames = await conn.getNsidNames();
  } catch {
    // No read access to /var/run/netns: ids print as numbers.
  }
  return { ctx, links, label: a.label, ifindex, nsNames, conn };
}

/** Keeps the link table current before an event prints (iproute2 remembers every link message it sees). */
async function follow(conn: Connection, links: LiveLinks, ev: NetworkEvent): Promise<void> {
  if (ev.type === "newlink") links.remember(ev.link);
  else if (ev.type === "dellink") links.forget(ev.link.index);
  else if (ev.type === "newbridgeport") {
    // A port message updates the table's name and flags too.
    const known = links.get(ev.port.ifindex);
    if (known) links.remember({ ...known, name: ev.port.name ?? known.name, flags: ev.port.flags });
  }
  for (const i of indexesOf(ev)) {
    if (links.has(i)) continue;
    try {
      links.remember(await conn.getLink(i));
    } catch {
      // Gone already: printed as ifN, as iproute2 does.
    }
  }
}
