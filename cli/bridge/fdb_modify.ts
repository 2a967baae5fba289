/**
 * `bridge fdb add|append|replace|del` and `bridge fdb flush`: iproute2's
 * grammar parsed into the library's FDB options.
 *
 * @module
 */
import type { FdbOptions, FlushFdbOptions } from "@nlink/nlink";
import { Args, invalidArgument, matches } from "../common/args.ts";
import { getAddr, prefixText, strtoul } from "../common/inet.ts";
import {
  atoiShort,
  type BridgeContext,
  CommandFailed,
  connect,
  duplicateOrGarbage,
  Links,
  noDevice,
} from "./context.ts";
import { fdbUsage } from "./fdb.ts";

/** The FDB changes. */
export type FdbOp = "add" | "append" | "replace" | "del";

const NUD_REACHABLE = 0x02, NUD_NOARP = 0x40, NUD_PERMANENT = 0x80;

/**
 * C's `sscanf(arg, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx")` as iproute2 reads a MAC:
 * the address as text, or undefined when fewer than six parts convert.
 *
 * @example
 * ```ts
 * import { scanMac } from "./fdb_modify.ts";
 * scanMac("2:0:0:0:0:1"); // "02:00:00:00:00:01"
 * ```
 */
export function scanMac(arg: string): string | undefined {
  const bytes: number[] = [];
  let rest = arg;
  for (let i = 0; i < 6; i++) {
    if (i > 0) {
      if (rest[0] !== ":") return undefined;
      rest = rest.slice(1);
    }
    const m = /^[ \t\n\v\f\r]*([+-]?)(?:0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(rest);
    if (!m) return undefined;
    let v = Number(BigInt.asUintN(8, BigInt("0x" + m[2])));
    if (m[1] === "-") v = (256 - v) & 0xff;
    bytes.push(v);
    rest = rest.slice(m[0].length);
  }
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** strtoul with iproute2's VNI checks (`invalid VNI`): the value or an error. */
function vniOf(arg: string, what: string): number {
  const { value, rest } = strtoul(arg, 0);
  if (rest !== "" || Number.isNaN(value) || value >= 1 << 24) throw invalidArgument(`${what}\n`, arg);
  return value;
}

/**
 * `bridge fdb add|append|replace|del ADDR dev DEV …` → exit code.
 *
 * @example
 * ```ts ignore
 * await fdbModify(ctx, "add", ["02:00:00:00:00:01", "dev", "p0", "master", "static"]);
 * ```
 */
export async function fdbModify(ctx: BridgeContext, op: FdbOp, words: string[]): Promise<number> {
  let dev: string | undefined, addr: string | undefined, dst: string | undefined, via: string | undefined;
  let port = 0, vni = -1, srcVni = -1, nhid = 0, vid = -1;
  let state = NUD_NOARP;
  const o: Partial<FdbOptions> = {};
  const a = new Args(words);
  while (a.more) {
    let w = a.next()!;
    if (w === "dev") dev = a.value(w);
    else if (w === "dst") {
      const v = a.value(w);
      if (dst !== undefined) throw duplicateOrGarbage("dst", v);
      dst = prefixText(getAddr(v, ctx.family), false);
    } else if (w === "nhid") {
      const v = a.value(w);
      const { value, rest } = strtoul(v, 0);
      if (rest !== "" || Number.isNaN(value) || value > 0xffffffff) {
        throw invalidArgument('"id" value is invalid\n', v);
      }
      nhid = value;
    } else if (w === "port") {
      const v = a.value(w);
      const { value, rest } = strtoul(v, 0);
      // iproute2 looks a non-number up in /etc/services; nlink takes numbers only.
      if (rest !== "" || Number.isNaN(value) || value > 0xffff) throw invalidArgument("invalid port\n", v);
      port = value;
    } else if (w === "vni") vni = vniOf(a.value(w), "invalid VNI");
    else if (w === "src_vni") srcVni = vniOf(a.value(w), "invalid src VNI");
    else if (w === "via") via = a.value(w);
    else if (w === "self") o.self = true;
    else if (matches(w, "master")) o.master = true;
    else if (matches(w, "router")) o.router = true;
    else if (matches(w, "local") || matches(w, "permanent")) state |= NUD_PERMANENT;
    else if (matches(w, "temp") || matches(w, "static")) state |= NUD_REACHABLE;
    else if (matches(w, "dynamic")) state = (state | NUD_REACHABLE) & ~NUD_NOARP;
    else if (matches(w, "vlan")) {
      if (vid >= 0) throw duplicateOrGarbage("vlan", w);
      vid = atoiShort(a.value(w));
    } else if (matches(w, "use")) o.use = true;
    else if (matches(w, "extern_learn")) o.externLearn = true;
    else if (matches(w, "sticky")) o.sticky = true;
    else {
      if (w === "to") w = a.value(w);
      if (matches(w, "help")) throw fdbUsage();
      if (addr !== undefined) throw duplicateOrGarbage("to", w);
      addr = w;
    }
  }
  if (dev === undefined || addr === undefined) throw new CommandFailed("Device and address are required arguments.");
  if (nhid && (dst !== undefined || port || vni !== -1)) {
    throw new CommandFailed("dst, port, vni are mutually exclusive with nhid");
  }
  const mac = scanMac(addr);
  if (mac === undefined) throw new CommandFailed(`Invalid mac address ${addr}`);
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  const viaIndex = via === undefined ? 0 : links.index(via);
  if (via !== undefined && !viaIndex) throw new CommandFailed(`Cannot find device "${via}"`);
  const index = links.index(dev);
  if (!index) throw noDevice(dev);
  if (!(state & (NUD_PERMANENT | NUD_REACHABLE))) state |= NUD_PERMANENT;
  // The library's three states are iproute2's three usual results; a mix of keywords lands on the nearest.
  o.state = state & NUD_PERMANENT ? "permanent" : state & NUD_NOARP ? "static" : "dynamic";
  const options: FdbOptions = { ...o, mac, dev: index };
  if (dst !== undefined) options.dst = dst;
  if (vid >= 0) options.vlan = vid;
  if (nhid > 0) options.nhid = nhid;
  if (port) options.port = port;
  if (vni !== -1) options.vni = vni;
  if (srcVni !== -1) options.srcVni = srcVni;
  if (viaIndex) options.via = viaIndex;
  if (op === "add") await conn.addFdb(options);
  else if (op === "append") await conn.appendFdb(options);
  else if (op === "replace") await conn.replaceFdb(options);
  else await conn.delFdb(options);
  return 0;
}

/**
 * `bridge fdb flush dev DEV …` → exit code.
 *
 * @example
 * ```ts ignore
 * await fdbFlush(ctx, ["dev", "br0", "dynamic"]);
 * ```
 */
export async function fdbFlush(ctx: BridgeContext, words: string[]): Promise<number> {
  let dev: string | undefined, port: string | undefined;
  let vid = -1;
  const o: Partial<FlushFdbOptions> = {};
  const selectors: Record<string, keyof FlushFdbOptions> = {
    permanent: "permanent",
    static: "static",
    dynamic: "dynamic",
    added_by_user: "addedByUser",
    extern_learn: "externLearn",
    sticky: "sticky",
    offloaded: "offloaded",
  };
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    const negated = w.startsWith("no") && Object.hasOwn(selectors, w.slice(2));
    if (w === "dev") dev = a.value(w);
    else if (w === "master") o.master = true;
    else if (w === "self") o.self = true;
    else if (Object.hasOwn(selectors, w) || negated) {
      (o as Record<string, boolean>)[selectors[negated ? w.slice(2) : w]] = !negated;
    } else if (w === "brport") {
      if (port !== undefined) throw duplicateOrGarbage("brport", w);
      port = a.value(w);
    } else if (w === "vlan") {
      if (vid >= 0) throw duplicateOrGarbage("vlan", w);
      vid = atoiShort(a.value(w));
    } else if (w === "help") a.value(w);
  }
  if (dev === undefined) throw new CommandFailed("Device is a required argument.");
  using conn = await connect(ctx);
  const links = await Links.load(conn);
  const index = links.index(dev);
  if (!index) throw new CommandFailed(`Cannot find bridge device "${dev}"`);
  const portIndex = port === undefined ? 0 : links.index(port);
  if (port !== undefined && !portIndex) throw new CommandFailed(`Cannot find bridge port device "${port}"`);
  if (vid >= 4096) throw new CommandFailed(`Invalid VLAN ID "${vid}"`);
  const options: FlushFdbOptions = { ...o, dev: index };
  if (portIndex) options.port = portIndex;
  if (vid > -1) options.vlan = vid;
  await conn.flushFdb(options);
  return 0;
}
