/**
 * `bridge fdb`: show, add, append, replace, del and flush forwarding
 * database entries (iproute2's bridge/fdb.c grammar and output).
 *
 * @module
 */
import { NetlinkError, ValidationError } from "@nlink/nlink/core";
import type { FdbEntry, FdbLookup } from "@nlink/nlink";
import { Args, invalidArgument, matches, UsageError } from "../common/args.ts";
import { kernelMessage } from "../common/errors.ts";
import { parseUnsigned, strtoul } from "../common/inet.ts";
import {
  atoi,
  atoiShort,
  type BridgeContext,
  CommandFailed,
  connect,
  duplicateArgument,
  duplicateOrGarbage,
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

/**
 * `bridge fdb get [to] LLADDR [br BRDEV] {brport|dev} DEV [vlan VID] [vni VNI]
 * [self] [master] [dynamic]`: one entry, printed as `show` prints it.
 */
async function get(ctx: BridgeContext, words: string[]): Promise<number> {
  let dev: string | undefined, br: string | undefined, addr: string | undefined;
  let vlan = -1, vni = -1, dynamic = false;
  const lookup: Partial<FdbLookup> = {};
  const a = new Args(words);
  while (a.more) {
    let w = a.next()!;
    if (w === "brport" || w === "dev") dev = a.value(w);
    else if (w === "br") br = a.value(w);
    else if (w === "vni") {
      const v = a.value(w);
      const { value, rest } = strtoul(v, 0);
      if (rest !== "" || Number.isNaN(value) || value >= 1 << 24) throw invalidArgument("invalid VNI\n", v);
      vni = value;
    } else if (w === "self") lookup.self = true;
    else if (matches(w, "master")) lookup.master = true;
    else if (matches(w, "vlan")) {
      if (vlan >= 0) throw duplicateOrGarbage("vlan", w);
      vlan = atoiShort(a.value(w)); // iproute2 keeps it in a short: a negative one is not sent
    } else if (matches(w, "dynamic")) dynamic = true;
    else {
      if (w === "to") w = a.value(w);
      if (matches(w, "help")) throw fdbUsage();
      if (addr !== undefined) throw duplicateOrGarbage("to", w);
      addr = w;
    }
  }
  if ((dev === undefined && br === undefined) || addr === undefined) {
    throw new CommandFailed("Device or master and address are required arguments.");
  }
  const mac = (await import("./fdb_modify.ts")).scanMac(addr);
  if (mac === undefined) throw new CommandFailed(`Invalid mac address ${addr}`);
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  const options: FdbLookup = { ...lookup, mac };
  if (dev !== undefined) {
    options.dev = links.index(dev);
    if (!options.dev) throw noDevice(dev);
  }
  if (br !== undefined) {
    options.bridge = links.index(br);
    if (!options.bridge) throw new CommandFailed(`Cannot find bridge device "${br}"`);
  }
  // iproute2 sends any VLAN id and the kernel refuses 0 and 4095 and up with this message; the library
  // refuses them before sending, so the kernel's answer (and rtnl_talk's exit code 254) is given here.
  if (vlan === 0 || vlan >= 4095) return lookupFailed("Error: invalid vlan id.");
  if (vlan > 0) options.vlan = vlan;
  if (vni >= 0) options.vni = vni;
  let entry: FdbEntry;
  try {
    entry = await conn.getFdbEntry(options);
  } catch (e) {
    if (e instanceof ValidationError || !(e instanceof NetlinkError)) throw e;
    return lookupFailed(kernelMessage(e));
  }
  const out = printer(ctx);
  out.startList();
  const permanent = entry.state.includes("permanent");
  if (!(dynamic && permanent)) printFdbEntry(out, links, entry, { filterIndex: 0, stats: ctx.stats > 0 });
  out.endList();
  out.flush();
  return 0;
}

/** A refused look-up: iproute2 prints the kernel's answer and exits with 254 (its -2). */
function lookupFailed(message: string): number {
  console.error(message);
  return 254;
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
  if (matches(cmd, "get")) return await get(ctx, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return await show(ctx, rest);
  if (cmd === "flush") return (await modify()).fdbFlush(ctx, rest);
  if (matches(cmd, "help")) throw fdbUsage();
  throw new UsageError(`Command "${cmd}" is unknown, try "bridge fdb help".`);
}
