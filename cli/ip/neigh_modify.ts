/**
 * `ip neigh add | change | replace | delete`: iproute2's argument rules
 * (ipneigh_modify), mapped onto the library's NeighbourOptions.
 *
 * @module
 */
import type { NeighbourOptions, NudState } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { getAddr, type InetPrefix, parseLladdr, prefixText } from "../common/inet.ts";
import { protoId } from "../common/names.ts";
import { connect, ctxFamilyNumber, type IpContext } from "./context.ts";
import { LinkCache } from "./links.ts";
import { neighUsage } from "./neigh.ts";

/** NUD_* bits by the name the library uses, in bit order. */
export const NUD_BITS: readonly [NudState, number][] = [
  ["incomplete", 0x01],
  ["reachable", 0x02],
  ["stale", 0x04],
  ["delay", 0x08],
  ["probe", 0x10],
  ["failed", 0x20],
  ["noarp", 0x40],
  ["permanent", 0x80],
];

/**
 * iproute2's nud_state_a2n: a state word (some abbreviable) or a number that
 * is a single bit below 0x100; undefined when neither.
 *
 * @example
 * ```ts
 * import { nudState } from "./neigh_modify.ts";
 * nudState("perm"); // 128
 * nudState("0x4"); // 4
 * ```
 */
export function nudState(arg: string): number | undefined {
  if (matches(arg, "permanent")) return 0x80;
  if (matches(arg, "reachable")) return 0x02;
  const exact: Record<string, number> = {
    noarp: 0x40,
    none: 0,
    stale: 0x04,
    incomplete: 0x01,
    delay: 0x08,
    probe: 0x10,
  };
  if (arg in exact) return exact[arg];
  if (matches(arg, "failed")) return 0x20;
  const m = /^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(arg);
  if (!m) return undefined;
  const t = m[1];
  const v = /^0[xX]/.test(t) ? parseInt(t, 16) : t.length > 1 && t[0] === "0" ? parseInt(t, 8) : Number(t);
  return v >= 0x100 || (v & (v - 1)) !== 0 ? undefined : v;
}

/** The library's name for one NUD bit (0: "none"). */
function stateName(bit: number): NudState {
  return NUD_BITS.find(([, b]) => b === bit)?.[0] ?? "none";
}

/** Link-layer bytes as the colon-separated hex the library reads. */
function hexLladdr(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/**
 * Runs `ip neigh OP ARGS…`.
 *
 * @example
 * ```ts ignore
 * await modifyNeighbour(ctx, "add", ["10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "p0"]);
 * ```
 */
export async function modifyNeighbour(
  ctx: IpContext,
  op: "add" | "change" | "replace" | "del",
  args: string[],
): Promise<number> {
  const family = ctxFamilyNumber(ctx);
  let state = 0x80;
  let lla: string | undefined;
  let dst: InetPrefix | undefined;
  let dev: string | undefined;
  let devOk = false;
  let proxy = false;
  let router = false;
  let use = false;
  let managed = false;
  let externLearn = false;
  let protocol: number | undefined;
  let i = 0;
  const next = () => {
    if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
    return args[++i];
  };
  for (; i < args.length; i++) {
    let a = args[i];
    if (matches(a, "lladdr")) {
      const v = next();
      if (lla !== undefined) throw new UsageError(`Error: duplicate "lladdr": "${v}" is the second value.`);
      lla = v;
    } else if (a === "nud") {
      const v = next();
      const s = nudState(v);
      if (s === undefined) throw invalidArgument("nud state is bad", v);
      state = s;
    } else if (matches(a, "proxy")) {
      const v = next();
      if (matches(v, "help")) neighUsage();
      if (dst) throw new UsageError(`Error: duplicate "address": "${v}" is the second value.`);
      dst = getAddr(v, family);
      devOk = true;
      proxy = true;
    } else if (a === "router") router = true;
    else if (a === "use") use = true;
    else if (a === "managed") {
      managed = true;
      state = 0;
    } else if (matches(a, "extern_learn")) externLearn = true;
    else if (a === "dev") {
      dev = next();
      devOk = true;
    } else if (matches(a, "protocol")) {
      const v = next();
      const p = protoId(v);
      if (p === undefined) throw invalidArgument('"protocol" value is invalid\n', v);
      protocol = p;
    } else {
      if (a === "to") a = next();
      if (matches(a, "help")) a = next();
      if (dst) throw new UsageError(`Error: either "to" is duplicate, or "${a}" is a garbage.`);
      dst = getAddr(a, family);
    }
  }
  if (!devOk || !dst || dst.family === 0) {
    throw new UsageError("Device and destination are required arguments.", 255);
  }
  const lladdr = lla !== undefined && lla !== "null" ? hexLladdr(parseLladdr(lla)) : undefined;
  using conn = await connect(ctx);
  let index = 0;
  if (dev !== undefined) {
    index = (await LinkCache.load(conn)).index(dev);
    if (!index) throw new UsageError(`Cannot find device "${dev}"`, 1);
  }
  const common = {
    dst: prefixText(dst, false),
    ...(router ? { router } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
  };
  const o: NeighbourOptions = proxy ? { ...common, proxy: true, ...(index ? { dev: index } : {}) } : {
    ...common,
    dev: index,
    state: stateName(state),
    ...(lladdr !== undefined ? { lladdr } : {}),
    ...(use ? { use } : {}),
    ...(externLearn ? { externLearn } : {}),
    ...(managed ? { managed } : {}),
  };
  if (op === "add") await conn.addNeighbour(o);
  else if (op === "change") await conn.changeNeighbour(o);
  else if (op === "replace") await conn.replaceNeighbour(o);
  else await conn.delNeighbour(o);
  return 0;
}
