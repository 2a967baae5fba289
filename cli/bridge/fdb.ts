/**
 * `bridge fdb`: show, add, append, replace, del and flush forwarding
 * database entries (iproute2's bridge/fdb.c grammar and output).
 *
 * @module
 */
import type { FdbEntry } from "@nlink/nlink";
import { Args, invalidArgument, matches, UsageError } from "../common/args.ts";
import { parseUnsigned } from "../common/inet.ts";
import {
  atoi,
  type BridgeContext,
  CommandFailed,
  connect,
  duplicateArgument,
  Links,
  noDevice,
  printer,
} from "./context.ts";
import { printFdbEntry } from "./fdb_print.ts";
import { dumpFailed } from "./dump.ts";

/** iproute2's usage text for `bridge fdb`. */
export const FDB_USAGE = `Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	       [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]`;

/** iproute2's usage(): the text on stderr, exit 255. */
export function fdbUsage(): UsageError {
  return new UsageError(FDB_USAGE);
}

/** iproute2's state_a2n for `show state STATE`: a NUD mask, or undefined. */
function stateMask(arg: string): number | undefined {
  if (matches(arg, "permanent")) return 0x80;
  if (matches(arg, "static") || matches(arg, "temp")) return 0x40;
  if (matches(arg, "stale")) return 0x04;
  if (matches(arg, "reachable") || matches(arg, "dynamic")) return 0x02;
  if (arg === "all") return 0xffffffff;
  return parseUnsigned(arg);
}

async function show(ctx: BridgeContext, words: string[]): Promise<number> {
  let dev: string | undefined, br: string | undefined;
  let vlan = 0, state = 0, dynamic = false;
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (w === "brport" || w === "dev") dev = a.value(w);
    else if (w === "br") br = a.value(w);
    else if (w === "vlan") {
      const v = a.value(w);
      if (vlan) throw duplicateArgument("vlan", v);
      vlan = atoi(v);
    } else if (w === "state") {
      const v = a.value(w);
      const s = stateMask(v);
      if (s === undefined) throw invalidArgument("invalid state", v);
      state = (state | s) >>> 0;
    } else if (w === "dynamic") dynamic = true;
    else if (matches(w, "help")) throw fdbUsage();
  }
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  let master = 0, index = 0;
  if (br !== undefined) {
    master = links.index(br);
    if (!master) throw new CommandFailed(`Cannot find bridge device "${br}"`);
  }
  if (dev !== undefined) {
    index = links.index(dev);
    if (!index) throw noDevice(dev);
  }
  let entries: FdbEntry[];
  try {
    entries = await conn.getFdb({ ...(index ? { dev: index } : {}), ...(master ? { master } : {}) });
  } catch (e) {
    return dumpFailed(e);
  }
  const out = printer(ctx);
  out.startList();
  for (const e of entries) {
    if (index && e.ifindex !== index) continue;
    if (state && !(stateBits(e) & state)) continue;
    if (vlan && (e.vlan ?? 0) !== vlan) continue;
    if (dynamic && stateBits(e) & 0x80) continue;
    printFdbEntry(out, links, e, { filterIndex: index, stats: ctx.stats > 0 });
  }
  out.endList();
  out.flush();
  return 0;
}

/** The entry's NUD state as a number. */
function stateBits(e: FdbEntry): number {
  let s = 0;
  for (const name of e.state) s |= NUD_BITS[name] ?? 0;
  return s;
}

const NUD_BITS: Record<string, number> = {
  incomplete: 0x01,
  reachable: 0x02,
  stale: 0x04,
  delay: 0x08,
  probe: 0x10,
  failed: 0x20,
  noarp: 0x40,
  permanent: 0x80,
};

/**
 * `bridge fdb …` → exit code.
 *
 * @example
 * ```ts ignore
 * await run(ctx, ["show", "br", "br0"]);
 * ```
 */
export async function run(ctx: BridgeContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return await show(ctx, []);
  const modify = () => import("./fdb_modify.ts");
  if (matches(cmd, "add")) return (await modify()).fdbModify(ctx, "add", rest);
  if (matches(cmd, "append")) return (await modify()).fdbModify(ctx, "append", rest);
  if (matches(cmd, "replace")) return (await modify()).fdbModify(ctx, "replace", rest);
  if (matches(cmd, "delete")) return (await modify()).fdbModify(ctx, "del", rest);
  if (matches(cmd, "get")) {
    throw new CommandFailed("nlink: bridge fdb get is not implemented (the library has no single FDB look-up)", 1);
  }
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return await show(ctx, rest);
  if (cmd === "flush") return (await modify()).fdbFlush(ctx, rest);
  if (matches(cmd, "help")) throw fdbUsage();
  throw new UsageError(`Command "${cmd}" is unknown, try "bridge fdb help".`);
}
