/**
 * `bridge mdb`: show the multicast database and router ports, add and
 * delete entries (iproute2's bridge/mdb.c grammar and output).
 *
 * @module
 */
import { MDB_RTR_TYPE } from "@nlink/nlink/tables";
import type { MdbEntry, MdbOptions, MdbRouterPort } from "@nlink/nlink";
import { Args, matches, UsageError } from "../common/args.ts";
import { AF_INET, AF_INET6, readAddr } from "../common/inet.ts";
import { protoName } from "../common/names.ts";
import { Kind, type Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import {
  atoiShort,
  type BridgeContext,
  CommandFailed,
  connect,
  Links,
  noDevice,
  openShow,
  printer,
} from "./context.ts";
import { dumpFailed } from "./dump.ts";
import { scanMac } from "./fdb_modify.ts";

const MDB_USAGE = `Usage: bridge mdb { add | del } dev DEV port PORT grp GROUP [src SOURCE] [permanent | temp] [vid VID]
       bridge mdb {show} [ dev DEV ] [ vid VID ]`;

/** The entry flags iproute2 prints, in its order: [library name, printed word]. */
const FLAGS: [string, string][] = [
  ["offload", "offload"],
  ["fast_leave", "fast_leave"],
  ["star_excl", "added_by_star_ex"],
  ["blocked", "blocked"],
];

/**
 * iproute2's format_timer: 1/100 s as `S.CC` (`%4lu.%.2lu` when aligned).
 *
 * @example
 * ```ts
 * import { formatTimer } from "./mdb.ts";
 * formatTimer(25999, true); // " 259.99"
 * ```
 */
export function formatTimer(centis: number, align: boolean): string {
  const s = String(Math.floor(centis / 100));
  const c = String(centis % 100).padStart(2, "0");
  return `${align ? s.padStart(4) : s}.${c}`;
}

/** How entries are printed. */
export interface MdbPrintOptions {
  /** `-d`. */
  details: boolean;
  /** `-s`. */
  stats: boolean;
}

/** The colour of a group's addresses: IPv4's, IPv6's, none for a layer-2 group (a MAC address). */
function groupColor(group: string): Color {
  if (group.includes(".")) return Color.Inet;
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(group) ? Color.None : Color.Inet6;
}

/**
 * Prints one MDB entry (iproute2's print_mdb_entry).
 *
 * @example
 * ```ts ignore
 * printMdbEntry(out, links, entry, { details: false, stats: false });
 * ```
 */
export function printMdbEntry(out: Printer, links: Links, e: MdbEntry, o: MdbPrintOptions): void {
  out.openObject();
  out.int(Kind.Json, "index", "", e.ifindex);
  out.colorString(Kind.Any, Color.Ifname, "dev", "dev %s", links.name(e.ifindex));
  out.string(Kind.Any, "port", " port %s", links.name(e.port));
  const color = groupColor(e.group);
  out.colorString(Kind.Any, color, "grp", " grp %s", e.group);
  if (e.source !== undefined) out.colorString(Kind.Any, color, "src", " src %s", e.source);
  const permanent = typeof e.state === "number" ? (e.state & 1) !== 0 : e.state === "permanent";
  out.string(Kind.Any, "state", " %s", permanent ? "permanent" : "temp");
  if (o.details) {
    if (e.filterMode !== undefined) {
      const include = e.filterMode === "include" || e.filterMode === 1;
      out.string(Kind.Any, "filter_mode", " filter_mode %s", include ? "include" : "exclude");
    }
    if (e.sourceList !== undefined) {
      out.openArray(Kind.Any, out.json ? "source_list" : undefined, " source_list");
      let sep = " ";
      for (const s of e.sourceList) {
        out.openObject();
        out.write(sep);
        out.colorString(Kind.Any, color, "address", "%s", s.address);
        out.string(Kind.Any, "timer", "/%s", formatTimer(s.timer, false));
        out.closeObject();
        sep = ",";
      }
      out.closeArray(Kind.Json);
    }
    if (e.protocol !== undefined) {
      const name = typeof e.protocol === "number" ? protoName(e.protocol, false) : e.protocol;
      out.string(Kind.Any, "protocol", " proto %s ", name);
    }
  }
  out.openArray(Kind.Json, "flags");
  for (const [flag, word] of FLAGS) if (e.flags.includes(flag)) out.string(Kind.Any, null, " %s", word);
  out.closeArray(Kind.Json);
  if (e.vid) out.uint(Kind.Any, "vid", " vid %u", e.vid);
  if (o.stats && e.timer !== undefined) out.string(Kind.Any, "timer", " %s", formatTimer(e.timer, true));
  out.nl();
  out.closeObject();
}

/** A router port's timer and type (iproute2's br_print_router_port_stats). */
function printRouterStats(out: Printer, r: MdbRouterPort): void {
  if (r.timer !== undefined) out.string(Kind.Any, "timer", " %s", formatTimer(r.timer, true));
  if (r.type !== undefined) {
    const type = MDB_RTR_TYPE.value(r.type);
    out.string(Kind.Any, "type", " %s", type === 1 || type === 3 ? "temp" : "permanent");
  }
}

/**
 * Prints one bridge's router ports as `bridge -d mdb show` does.
 *
 * @example
 * ```ts ignore
 * printRouterPorts(out, links, "br0", routers, false);
 * ```
 */
export function printRouterPorts(
  out: Printer,
  links: Links,
  bridge: string,
  ports: MdbRouterPort[],
  stats: boolean,
): void {
  if (out.json) out.openArray(Kind.Json, bridge);
  else if (!stats) out.write(`router ports on ${bridge}: `);
  for (const r of ports) {
    const name = links.name(r.port);
    if (out.json) {
      out.openObject();
      out.string(Kind.Json, "port", "", name);
      if (stats) printRouterStats(out, r);
      out.closeObject();
    } else if (stats) {
      out.write(`router ports on ${bridge}: ${name}`);
      printRouterStats(out, r);
      out.write("\n");
    } else out.write(`${name} `);
  }
  if (!stats) out.nl();
  out.closeArray(Kind.Json);
}

async function show(ctx: BridgeContext, words: string[]): Promise<number> {
  using scope = await openShow(ctx, words);
  const { vid, conn, links, index } = scope;
  let mdb;
  try {
    mdb = await conn.getMdb();
  } catch (e) {
    return dumpFailed(e);
  }
  const out = printer(ctx);
  const o = { details: ctx.details > 0, stats: ctx.stats > 0 };
  out.startList();
  out.openObject();
  out.openArray(Kind.Json, "mdb");
  for (const e of mdb.entries) {
    if ((index && e.ifindex !== index) || (vid && (e.vid ?? 0) !== vid)) continue;
    printMdbEntry(out, links, e, o);
  }
  out.closeArray(Kind.Json);
  out.openObject("router");
  if (o.details) {
    // One group per bridge, in the order the dump gave them (each message is one bridge's).
    const byBridge = new Map<number, MdbRouterPort[]>();
    for (const r of mdb.routers) {
      if (index && r.ifindex !== index) continue;
      byBridge.set(r.ifindex, [...(byBridge.get(r.ifindex) ?? []), r]);
    }
    for (const [bridge, ports] of byBridge) printRouterPorts(out, links, links.name(bridge), ports, o.stats);
  }
  out.closeObject();
  out.closeObject();
  out.endList();
  out.flush();
  return 0;
}

/** iproute2's mdb_parse_grp: IPv4, IPv6, or a MAC address (as text the library reads). */
function parseGroup(grp: string): string | undefined {
  const ip = /^[0-9.]+$/.test(grp) ? readAddr(grp, AF_INET) : grp.includes(":") ? readAddr(grp, AF_INET6) : undefined;
  if (ip && !ip.wildcard && (ip.family === AF_INET6 || /^\d+\.\d+\.\d+\.\d+$/.test(grp))) return grp;
  if (/^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(grp)) return scanMac(grp);
  return undefined;
}

async function modify(ctx: BridgeContext, op: "add" | "del", words: string[]): Promise<number> {
  let dev: string | undefined, port: string | undefined, grp: string | undefined, src: string | undefined;
  let permanent = false, vid = 0;
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "dev") dev = a.value(w);
    else if (w === "grp") grp = a.value(w);
    else if (w === "port") port = a.value(w);
    else if (w === "permanent") permanent = op === "add";
    else if (w === "temp") {
      // the default
    } else if (w === "vid") vid = atoiShort(a.value(w));
    else if (w === "src") src = a.value(w);
    else if (matches(w, "help")) throw new UsageError(MDB_USAGE);
  }
  if (dev === undefined || grp === undefined || port === undefined) {
    throw new CommandFailed("Device, group address and port name are required arguments.");
  }
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  const devIndex = links.index(dev);
  if (!devIndex) throw noDevice(dev);
  const portIndex = links.index(port);
  if (!portIndex) throw noDevice(port);
  const group = parseGroup(grp);
  if (group === undefined) throw new CommandFailed(`Invalid address "${grp}"`);
  const options: MdbOptions = { dev: devIndex, port: portIndex, group };
  if (permanent) options.permanent = true;
  if (vid) options.vid = vid;
  if (src !== undefined) {
    const s = src.includes(":") ? readAddr(src, AF_INET6) : readAddr(src, AF_INET);
    if (!s || s.wildcard || (s.family === AF_INET && !/^\d+\.\d+\.\d+\.\d+$/.test(src))) {
      throw new CommandFailed(`Invalid source address "${src}"`);
    }
    options.source = src;
  }
  if (op === "add") await conn.addMdb(options);
  else await conn.delMdb(options);
  return 0;
}

/**
 * `bridge mdb …` → exit code.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["add", "dev", "br0", "port", "p0", "grp", "239.1.1.1", "permanent"]);
 * ```
 */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return await show(ctx, []);
  if (matches(cmd, "add")) return await modify(ctx, "add", rest);
  if (matches(cmd, "delete")) return await modify(ctx, "del", rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return await show(ctx, rest);
  if (matches(cmd, "help")) throw new UsageError(MDB_USAGE);
  throw new UsageError(`Command "${cmd}" is unknown, try "bridge mdb help".`);
}
