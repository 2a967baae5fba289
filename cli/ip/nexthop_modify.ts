/**
 * `ip nexthop add | replace | delete`: iproute2's argument rules
 * (ipnh_modify), mapped onto the library's nexthop options.
 *
 * @module
 */
import type { EncapOptions, NexthopGroupMember, NexthopObjectOptions } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { AF_INET, AF_INET6, AF_UNSPEC, getAddr, parseUnsigned, prefixText } from "../common/inet.ts";
import { protoId } from "../common/names.ts";
import { connect, ctxFamilyNumber, type IpContext, readFamily } from "./context.ts";
import { LinkCache } from "./links.ts";
import { nexthopUsage } from "./nexthop.ts";
import { parseNexthopId } from "./nexthop_show.ts";
import { type DeviceLookup, encapLookups, encapWithIndexes, parseEncap } from "./route_encap_parse.ts";

/**
 * iproute2's add_nh_group_attr: `ID[,WEIGHT]/…`, or `{ bad }` (what iproute2
 * names in its message) when an id is not a number; a bad weight is its own error.
 *
 * @example
 * ```ts
 * import { parseGroup } from "./nexthop_modify.ts";
 * parseGroup("1/2,3"); // [{ id: 1 }, { id: 2, weight: 3 }]
 * ```
 */
export function parseGroup(arg: string): NexthopGroupMember[] | { bad: string } {
  if (arg === "") return { bad: arg };
  const out: NexthopGroupMember[] = [];
  for (const part of arg.split("/")) {
    const comma = part.indexOf(",");
    const id = parseUnsigned(comma < 0 ? part : part.slice(0, comma));
    // iproute2 cuts the word at each separator as it goes: its message shows the first id's text.
    if (id === undefined) return { bad: arg.split(/[/,]/)[0] };
    const m: NexthopGroupMember = { id };
    if (comma >= 0) {
      const w = part.slice(comma + 1);
      const weight = parseUnsigned(w);
      if (weight === undefined || weight === 0 || weight > 256) throw invalidArgument('"weight" is invalid\n', w);
      m.weight = weight;
    }
    out.push(m);
  }
  return out;
}

/**
 * Runs `ip nexthop OP ARGS…`.
 *
 * @example
 * ```ts ignore
 * await modifyNexthop(ctx, "add", ["id", "1", "via", "10.0.0.2", "dev", "p0"]);
 * ```
 */
export async function modifyNexthop(ctx: IpContext, op: "add" | "replace" | "del", args: string[]): Promise<number> {
  let family = ctxFamilyNumber(ctx);
  let id: number | undefined;
  let dev: string | undefined;
  let blackhole = false;
  let fdb = false;
  let onlink = false;
  let group: NexthopGroupMember[] | undefined;
  let type: "mpath" | "resilient" | undefined;
  const res: { buckets?: number; idleTimer?: number; unbalancedTimer?: number } = {};
  let protocol: number | undefined;
  // A single next hop's attributes, keyed in the order of the words (the library encodes them so, as iproute2).
  const single: { encap?: EncapOptions; gateway?: string; dev?: string | number; fdb?: boolean } = {};
  // The device names in the order iproute2 looks them up: as it reads them.
  const lookups: DeviceLookup[] = [];
  let i = 0;
  const next = () => {
    if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
    return args[++i];
  };
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === "id") id = parseNexthopId(next());
    else if (a === "dev") {
      dev = single.dev = next();
      lookups.push({ name: dev, from: "dev" });
      if (family === AF_UNSPEC) family = AF_INET;
    } else if (a === "via") {
      let v = next();
      let fam = readFamily(v);
      if (fam === AF_UNSPEC) fam = family;
      else v = next();
      const addr = getAddr(v, fam);
      if (family === AF_UNSPEC) family = addr.family;
      else if (family !== addr.family) throw invalidArgument("address family mismatch\n", v);
      single.gateway = prefixText(addr, false);
    } else if (a === "encap") {
      i = parseEncap(args, i, single);
      encapLookups(single.encap, lookups);
    } else if (a === "blackhole") {
      blackhole = true;
      if (family === AF_UNSPEC) family = AF_INET;
    } else if (a === "fdb") fdb = single.fdb = true;
    else if (a === "onlink") onlink = true;
    else if (a === "group") {
      const v = next();
      const g = parseGroup(v);
      if (!Array.isArray(g)) throw invalidArgument('"group" value is invalid\n', g.bad);
      group = g;
    } else if (a === "type") {
      const v = next();
      if (v !== "mpath" && v !== "resilient") throw invalidArgument('"type" value is invalid\n', v);
      type = v;
      if (v === "resilient") {
        // Its parameters follow; the first other word ends them.
        while (i + 1 < args.length && ["buckets", "idle_timer", "unbalanced_timer"].includes(args[i + 1])) {
          const w = args[++i];
          const n = next();
          if (w === "buckets") {
            const b = parseUnsigned(n, 0xffff);
            if (b === undefined) throw invalidArgument("invalid buckets value", n);
            res.buckets = b;
          } else {
            const t = parseUnsigned(n);
            const what = w === "idle_timer" ? "idle" : "unbalanced";
            if (t === undefined || t >= Math.floor(0xffffffff / 100)) {
              throw invalidArgument(`invalid ${what} timer value`, n);
            }
            if (w === "idle_timer") res.idleTimer = t;
            else res.unbalancedTimer = t;
          }
        }
      }
    } else if (matches(a, "protocol")) {
      const v = next();
      const p = protoId(v);
      if (p === undefined) throw invalidArgument('"protocol" value is invalid\n', v);
      protocol = p;
    } else if (a === "help") nexthopUsage();
    else throw invalidArgument("", a);
  }
  using conn = await connect(ctx);
  if (op === "del") {
    if (id === undefined) throw new UsageError('nlink: "ip nexthop del" needs "id ID"', 1);
    await conn.delNexthop(id);
    return 0;
  }
  const links = await LinkCache.find(conn, lookups.map((l) => l.name), true);
  for (const { name, from } of lookups) {
    if (links.index(name)) continue;
    if (from === "dev") throw invalidArgument("Device does not exist\n", name);
    throw new UsageError(`Cannot find device "${name}"`);
  }
  const oif = dev === undefined ? undefined : links.index(dev);
  if (single.encap !== undefined) single.encap = encapWithIndexes(single.encap, links);
  const common = { ...(id !== undefined ? { id } : {}), ...(protocol !== undefined ? { protocol } : {}) };
  const famWord = family === AF_INET6 ? "inet6" as const : family === AF_INET ? "inet" as const : undefined;
  let o: NexthopObjectOptions;
  if (group) {
    o = { ...common, group, ...(type ? { type } : {}), ...res, ...(fdb ? { fdb } : {}) };
  } else if (blackhole) o = { ...common, blackhole: true, ...(famWord ? { family: famWord } : {}) };
  else {
    if (oif !== undefined) single.dev = oif; // keeps its place among the keys
    o = {
      ...common,
      ...single,
      ...(onlink ? { onlink } : {}),
      ...(famWord ? { family: famWord } : {}),
    };
  }
  if (op === "add") await conn.addNexthop(o);
  else await conn.replaceNexthop(o);
  return 0;
}
