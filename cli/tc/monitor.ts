/**
 * `tc monitor` (tc_monitor.c): the `tc` notification group through the
 * library's typed events, each qdisc, class, filter, chain and action
 * printed as `tc qdisc|class|filter|chain|actions show` prints it, removals
 * marked `deleted` (`Deleted action` for actions), with `-t`/`-ts`
 * timestamps; `tc monitor file FILE` prints the notifications `rtmon file
 * FILE` saved the same way, and every other message as unknown on stderr.
 *
 * The marks tc derives from the header flags (`added`/`replaced` on filters
 * and chains, `Added action` / `Replaced action` / `Flushed table`) come
 * from the events' `change`, and an action event's `total acts` is 0 as the
 * kernel's notifications (which carry no TCA_ROOT_COUNT) make tc print it.
 *
 * @module
 */
import { type Connection, type NetworkEvent, readMonitorFile } from "@nlink/nlink";
import { matches, UsageError } from "../common/args.ts";
import { Kind, Printer } from "../common/output.ts";
import { readSavedFile, savedFileDamage, timestampText } from "../ip/monitor_print.ts";
import { LinkCache, type LinkNames } from "../ip/links.ts";
import { printActionList } from "./action_print.ts";
import { printClass } from "./class_show.ts";
import { connect, type TcCliContext, type TcObject } from "./context.ts";
import { printContext } from "./filter.ts";
import { printFilter } from "./filter_print.ts";
import { printQdisc } from "./qdisc_show.ts";
import { handleNumber } from "./tc_print.ts";

const USAGE = "Usage: tc [-timestamp [-tshort] monitor";

/**
 * Prints one `tc` event as tc monitor does (nothing for other events).
 *
 * @example
 * ```ts ignore
 * printTcEvent(p, ctx, ev, links);
 * ```
 */
export function printTcEvent(p: Printer, ctx: TcCliContext, ev: NetworkEvent, links: LinkNames): void {
  const name = (i: number) => links.name(i);
  switch (ev.type) {
    case "newqdisc":
    case "delqdisc":
      printQdisc(p, ctx, ev.qdisc, name, ev.type === "delqdisc");
      break;
    case "newtclass":
    case "deltclass": {
      const c = ev.tclass;
      printClass(
        p,
        ctx,
        { c, handle: handleNumber(c.handle), parent: handleNumber(c.parent) },
        0,
        name,
        ev.type === "deltclass",
      );
      break;
    }
    case "newtfilter":
    case "deltfilter":
      printFilter(
        p,
        ev.filter,
        printContext(ctx, links),
        {},
        name,
        false,
        ev.type === "deltfilter" ? "deleted" : ev.change === "flushed" ? undefined : ev.change,
      );
      break;
    case "newchain":
    case "delchain":
      printFilter(
        p,
        { ...ev.chain, handle: 0, prio: 0, protocol: 0 },
        printContext(ctx, links),
        {},
        name,
        true,
        ev.type === "delchain" ? "deleted" : ev.change === "flushed" ? undefined : ev.change,
      );
      break;
    case "newaction":
    case "delaction":
      p.openObject();
      p.uint(Kind.Any, "total acts", "total acts %u", 0);
      p.nl();
      p.closeObject();
      if (ev.change === "flushed") {
        // tc prints a flushed table's kind and count, and nothing else of it.
        p.printf("Flushed table ");
        for (const a of ev.actions) p.printf(` ${a.kind} (${a.flushed ?? 0} entries)\n`);
        break;
      }
      if (ev.type === "delaction") p.printf("Deleted action ");
      else if (ev.change === "added") p.printf("Added action ");
      else if (ev.change === "replaced") p.printf("Replaced action ");
      p.openObject();
      printActionList(p, ev.actions, printContext(ctx, links), false);
      p.closeObject();
      break;
  }
}

/**
 * Runs `tc monitor ARGS…` until interrupted.
 *
 * @example
 * ```ts ignore
 * await run(ctx, []);
 * ```
 */
export const run: TcObject = async (ctx: TcCliContext, args: string[]): Promise<number> => {
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (matches(w, "file")) {
      if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      file = args[++i];
      continue;
    }
    if (matches(w, "help")) throw new UsageError(USAGE, 255);
    throw new UsageError(`Argument "${w}" is unknown, try "tc monitor help".`, 255);
  }
  using conn = await connect(ctx);
  if (file !== undefined) return await printFile(conn, ctx, file);
  // Subscribe before reading the device table, so that no device falls between the two.
  const stream = conn.events({ groups: ["tc"] });
  let pending = stream.next();
  let links = await LinkCache.loadNames(conn);
  const p = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  for (;;) {
    const r = await pending;
    if (r.done) break;
    pending = stream.next();
    const ev = r.value;
    links = await current(conn, links, ev);
    if (ctx.timestamp) p.printf("%s", timestampText(ctx.timestamp === 2));
    printTcEvent(p, ctx, ev, links);
    p.flush();
  }
  return 0;
};

/** The device table, read again when the event names a device made after it was read. */
async function current(conn: Connection, links: LinkNames, ev: NetworkEvent): Promise<LinkNames> {
  const index = "qdisc" in ev
    ? ev.qdisc.ifindex
    : "tclass" in ev
    ? ev.tclass.ifindex
    : "filter" in ev
    ? ev.filter.ifindex
    : "chain" in ev
    ? ev.chain.ifindex
    : 0;
  return index && !links.get(index) ? await LinkCache.loadNames(conn) : links;
}

/** The event types tc monitor prints. */
const TC_EVENTS = new Set([
  "newqdisc",
  "delqdisc",
  "newtclass",
  "deltclass",
  "newtfilter",
  "deltfilter",
  "newchain",
  "delchain",
  "newaction",
  "delaction",
]);

/**
 * `tc monitor file FILE`: each saved message as the live monitor prints it
 * (with `-t`, the time of printing before each), messages of other kinds
 * (rtmon's time stamps too) reported as unknown on stderr; NLMSG_ERROR,
 * NOOP and DONE are skipped.
 */
async function printFile(conn: Connection, ctx: TcCliContext, name: string): Promise<number> {
  const bytes = await readSavedFile(name);
  if (bytes === undefined) return 255;
  const { entries, damage } = await readMonitorFile(bytes);
  let links = await LinkCache.loadNames(conn);
  const p = new Printer({ json: false, pretty: false, oneline: ctx.oneline });
  for (const e of entries) {
    if (ctx.timestamp) p.printf("%s", timestampText(ctx.timestamp === 2));
    if (e.kind === "event" && TC_EVENTS.has(e.event.type)) {
      links = await current(conn, links, e.event);
      printTcEvent(p, ctx, e.event, links);
    } else if (e.header.type < 1 || e.header.type > 3) {
      const { type, flags, length } = e.header;
      const hex = (n: number) => n.toString(16).padStart(8, "0");
      p.flush();
      console.error(`Unknown message: length ${String(length).padStart(8, "0")} type ${hex(type)} flags ${hex(flags)}`);
    }
    p.flush();
  }
  if (damage) {
    console.error(savedFileDamage(damage));
    return 255;
  }
  return 0;
}
