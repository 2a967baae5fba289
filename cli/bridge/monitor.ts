/**
 * `bridge monitor [link | fdb | mdb | vlan | all]`: bridge notifications as
 * iproute2 prints them (text only, as iproute2's monitor).
 *
 * @module
 */
import type { BridgePort, EventGroup, Link, NetworkEvent } from "@nlink/nlink";
import { matches, UsageError } from "../common/args.ts";
import { Kind, Printer } from "../common/output.ts";
import { type BridgeContext, CommandFailed, connect, Links } from "./context.ts";
import { printFdbEntry } from "./fdb_print.ts";
import { printBridgePort } from "./link.ts";
import { printMdbEntry } from "./mdb.ts";
import { printVlanEntry, printVlanGlobal } from "./vlan.ts";

const MONITOR_USAGE = "Usage: bridge monitor [file | link | fdb | mdb | vlan | vni | all]";

/** asctime()'s text of a date in local time (`Sun Nov 22 08:51:04 2026`). */
function asctime(d: Date): string {
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getDay()];
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getMonth()];
  const two = (n: number) => String(n).padStart(2, "0");
  return `${day} ${mon} ${String(d.getDate()).padStart(2)} ${two(d.getHours())}:${two(d.getMinutes())}:` +
    `${two(d.getSeconds())} ${d.getFullYear()}`;
}

/** iproute2's print_headers: the timestamp (`-t`) and, with `all`, the `[LABEL]` banner. */
function headers(out: Printer, ctx: BridgeContext, banner: boolean, label: string): void {
  if (ctx.timestamp) {
    const now = Date.now();
    out.write(`Timestamp: ${asctime(new Date(now))} ${(now % 1000) * 1000} usec\n`);
  }
  if (banner) out.write(label);
}

/** A link notification as the port iproute2 would decode from it (no port settings). */
function linkAsPort(l: Link): BridgePort {
  return { ifindex: l.index, name: l.name, flags: l.flags, mtu: l.mtu, master: l.master };
}

/** Prints one notification; returns whether it printed anything. */
function printEvent(out: Printer, links: Links, ctx: BridgeContext, ev: NetworkEvent, banner: boolean): void {
  const o = { details: ctx.details > 0, stats: ctx.stats > 0 };
  switch (ev.type) {
    case "newlink":
    case "dellink": {
      headers(out, ctx, banner, "[LINK]");
      const l = ev.link;
      printBridgePort(out, links, linkAsPort(l), ctx.details, {
        deleted: ev.type === "dellink",
        link: l.link,
        linkNetnsid: l.linkNetnsid,
      });
      return;
    }
    case "newbridgeport":
    case "delbridgeport":
      headers(out, ctx, banner, "[LINK]");
      printBridgePort(out, links, ev.port, ctx.details, { deleted: ev.type === "delbridgeport" });
      return;
    case "newneigh":
    case "delneigh":
      if (ev.neighbour.family !== "bridge") return;
      headers(out, ctx, banner, "[NEIGH]");
      printFdbEntry(out, links, ev.neighbour, { filterIndex: 0, stats: o.stats, deleted: ev.type === "delneigh" });
      return;
    case "newmdb":
    case "delmdb": {
      headers(out, ctx, banner, "[MDB]");
      if (ev.type === "delmdb") out.bool(Kind.Any, "deleted", "Deleted ", true);
      for (const e of ev.mdb.entries) printMdbEntry(out, links, e, o);
      const [router] = ev.mdb.routers;
      if (router !== undefined) {
        out.write(`router port dev ${links.name(router.port)} master ${links.name(ev.mdb.ifindex)}\n`);
      }
      return;
    }
    case "newvlan":
    case "delvlan": {
      headers(out, ctx, banner, "[VLAN]");
      if (ev.type === "delvlan") out.bool(Kind.Any, "deleted", "Deleted ", true);
      // In a notification every item starts its own port line, as iproute2's monitor prints them.
      const name = links.name(ev.vlan.ifindex).padEnd(16);
      for (const e of ev.vlan.entries) {
        out.write(`${name}  `);
        printVlanEntry(out, e, o.stats);
      }
      for (const g of ev.vlan.globalOptions) {
        out.write(`${name}  `);
        printVlanGlobal(out, links, g, o.stats);
      }
      return;
    }
  }
}

/** Interface indexes an event names, to look up before printing. */
function indexesOf(ev: NetworkEvent): number[] {
  switch (ev.type) {
    case "newneigh":
    case "delneigh":
      return [ev.neighbour.ifindex, ev.neighbour.master ?? 0, ev.neighbour.via ?? 0];
    case "newbridgeport":
    case "delbridgeport":
      return [ev.port.ifindex, ev.port.master ?? 0, ev.port.backupPort ?? 0];
    case "newlink":
    case "dellink":
      return [ev.link.master ?? 0, ev.link.link ?? 0];
    case "newmdb":
    case "delmdb":
      return [ev.mdb.ifindex, ...ev.mdb.entries.map((e) => e.port), ...ev.mdb.routers.map((r) => r.port)];
    case "newvlan":
    case "delvlan":
      return [ev.vlan.ifindex];
  }
  return [];
}

/**
 * `bridge monitor …`: prints notifications until interrupted.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["fdb"]);
 * ```
 */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  let all = true, link = false, fdb = false, mdb = false, vlan = false, banner = false;
  for (const w of args) {
    if (matches(w, "file")) throw new CommandFailed("nlink: bridge monitor file is not implemented", 1);
    else if (matches(w, "link")) [link, all] = [true, false];
    else if (matches(w, "fdb")) [fdb, all] = [true, false];
    else if (matches(w, "mdb")) [mdb, all] = [true, false];
    else if (matches(w, "vlan")) [vlan, all] = [true, false];
    else if (w === "vni") throw new CommandFailed("nlink: bridge monitor vni is not implemented", 1);
    else if (w === "all") [all, vlan, banner] = [true, true, true];
    else if (matches(w, "help")) throw new UsageError(MONITOR_USAGE);
    else throw new UsageError(`Argument "${w}" is unknown, try "bridge monitor help".`);
  }
  const groups: EventGroup[] = [];
  if (all || link) groups.push("link");
  if (all || fdb) groups.push("neigh");
  if (all || mdb) groups.push("mdb");
  if (vlan) groups.push("brvlan");
  using conn = await connect(ctx);
  let links = await Links.load(conn);
  const out = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  for await (const ev of conn.events({ groups })) {
    if (ev.type === "newlink" && links.get(ev.link.index)?.name !== ev.link.name) links = await Links.load(conn);
    else if (indexesOf(ev).some((i) => i !== 0 && links.get(i) === undefined)) links = await Links.load(conn);
    printEvent(out, links, ctx, ev, banner);
    out.flush();
  }
  return 0;
}
