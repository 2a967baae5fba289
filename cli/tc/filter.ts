/**
 * `tc filter`: add, change, replace, delete, get, show — parsing in
 * filter_parse.ts, printing in filter_print.ts, everything else through the
 * library.
 *
 * @module
 */
import { NetlinkError, ValidationError } from "@nlink/nlink/core";
import type { Connection, MessageView } from "@nlink/nlink";
import { kernelMessage } from "../common/errors.ts";
import {
  chainDumpRequest,
  decodeFilter,
  type Filter,
  filterDumpRequest,
  type FilterOptions,
  type FilterSelector,
} from "@nlink/nlink/tc";
import { matches, UsageError } from "../common/args.ts";
import { LinkCache, type LinkNames } from "../ip/links.ts";
import { connect, printer, type TcCliContext, type TcObject } from "./context.ts";
import { deviceIndex } from "./device.ts";
import { setDeviceLookup } from "./action_parse.ts";
import { cUint, Words } from "./filter_args.ts";
import {
  type FilterOp,
  filterUsage,
  parseFilterCommand,
  parseFilterHeader,
  resolveFilterOptions,
} from "./filter_parse.ts";
import type { ActionPrintContext } from "./action_print.ts";
import { printFilter, type ShownFilter } from "./filter_print.ts";

/**
 * A failure as tc reports it: a library validation error as a parse error
 * (exit 1); a kernel error as its message and `We have an error talking to
 * the kernel` (exit `code`, then `more` lines); anything else unchanged.
 *
 * @example
 * ```ts ignore
 * throw asUsageError(e, 2);
 * ```
 */
export function asUsageError(e: unknown, code = 2, more = ""): unknown {
  if (e instanceof ValidationError) return new UsageError(`Error: ${e.message}`, 1);
  if (e instanceof NetlinkError && e.errno !== 0) {
    return new UsageError(`${kernelMessage(e)}\nWe have an error talking to the kernel${more}`, code);
  }
  return e;
}

/**
 * The context the filter and action printers need, from the global options and the devices.
 *
 * @example
 * ```ts ignore
 * printFilter(p, f, printContext(ctx, links), {}, (i) => links.name(i));
 * ```
 */
export function printContext(ctx: TcCliContext, links: LinkNames): ActionPrintContext & { pretty: boolean } {
  return {
    stats: ctx.stats,
    brief: ctx.brief,
    iec: ctx.iec,
    details: ctx.details,
    pretty: ctx.pretty,
    devName: (i: number) => (links.get(i) ? links.name(i) : undefined),
  };
}

async function modify(ctx: TcCliContext, op: FilterOp, args: string[]): Promise<number> {
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  setDeviceLookup((name) => links.index(name));
  const { options, header } = parseFilterCommand(op, args);
  if (header.dev !== undefined) options.dev = await deviceIndex(conn, header.dev, links);
  const o = resolveFilterOptions(options, (n) => links.index(n) || undefined);
  try {
    switch (op) {
      case "add":
        await conn.addFilter(o as unknown as FilterOptions);
        break;
      case "replace":
        await conn.replaceFilter(o as unknown as FilterOptions);
        break;
      case "change":
        await conn.changeFilter(o as unknown as FilterOptions);
        break;
      case "delete":
        await conn.deleteFilter(o as FilterSelector);
        break;
      case "get": {
        const f = await conn.getFilter(o as FilterSelector);
        const p = printer(ctx);
        p.startList();
        printFilter(p, f, printContext(ctx, links), { ifindex: o.dev as number }, (i) => links.name(i));
        p.endList();
        p.flush();
        break;
      }
    }
  } catch (e) {
    throw asUsageError(e);
  }
  return 0;
}

/**
 * `tc filter show` / `tc chain show`: one dump, printed as print_filter does.
 *
 * @example
 * ```ts ignore
 * await showFilters(ctx, ["dev", "p0", "ingress"], false);
 * ```
 */
export async function showFilters(ctx: TcCliContext, args: string[], chains: boolean): Promise<number> {
  const h = parseFilterHeader(new Words(args), true);
  using conn = await connect(ctx);
  const links = await LinkCache.loadNames(conn);
  const shown: ShownFilter = {};
  const index = h.dev === undefined ? 0 : await deviceIndex(conn, h.dev, links);
  if (index) shown.ifindex = index;
  if (h.block !== undefined) shown.block = h.block;
  if (h.parent !== undefined) shown.parent = parentNumber(h.parent);
  if (h.prio !== undefined) shown.prio = h.prio;
  if (h.protocol !== undefined) shown.protocol = h.protocol;
  if (h.chain !== undefined) shown.chain = h.chain;
  const place = {
    ...(h.block === undefined ? {} : { block: h.block }),
    ...(h.parent === undefined ? {} : { parent: h.parent }),
  };
  const chain = h.chain === undefined ? {} : { chain: h.chain };
  const request = chains ? chainDumpRequest(index, { ...place, ...chain }) : filterDumpRequest(index, {
    ...place,
    ...(h.prio === undefined ? {} : { prio: h.prio }),
    ...(h.protocol === undefined ? {} : { protocol: h.protocol }),
    ...chain,
  });
  const want = chains ? 100 : 44;
  const rows = await dump(conn, request, (m) => (m.type === want ? decodeFilter(m) : undefined));
  const p = printer(ctx);
  p.startList();
  const pc = printContext(ctx, links);
  for (const f of rows) printFilter(p, f, pc, shown, (i) => links.name(i), chains);
  p.endList();
  p.flush();
  return 0;
}

function dump(conn: Connection, request: Uint8Array, decode: (m: MessageView) => Filter | undefined) {
  return conn.dump(request, decode, "getFilters");
}

/** A parent word (`root`, `ingress`, `egress`, `1:`) as its number. */
function parentNumber(p: string): number {
  if (p === "root") return 0xffffffff;
  if (p === "ingress") return 0xfffffff2;
  if (p === "egress") return 0xfffffff3;
  const [maj, min] = p.split(":");
  if (min === undefined) return cUint(maj, 16) ?? 0;
  return (((cUint(maj || "0", 16) ?? 0) << 16) | (cUint(min || "0", 16) ?? 0)) >>> 0;
}

const OPS: [string, FilterOp][] = [
  ["add", "add"],
  ["change", "change"],
  ["replace", "replace"],
  ["delete", "delete"],
  ["get", "get"],
];

/**
 * Runs `tc filter ARGS…`.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["show", "dev", "p0", "ingress"]);
 * ```
 */
export const run: TcObject = async (ctx: TcCliContext, args: string[]): Promise<number> => {
  if (args.length === 0) return await showFilters(ctx, [], false);
  const [verb, ...rest] = args;
  const op = OPS.find(([w]) => matches(verb, w));
  if (op) return await modify(ctx, op[1], rest);
  if (matches(verb, "list") || matches(verb, "show") || matches(verb, "lst")) {
    return await showFilters(ctx, rest, false);
  }
  if (matches(verb, "help")) throw filterUsage(0);
  throw new UsageError(`Command "${verb}" is unknown, try "tc filter help".`, 255);
};
