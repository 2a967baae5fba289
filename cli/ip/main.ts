/**
 * `ip`: global options, then one object (link, address, route, …) per module,
 * loaded only when used.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import { report } from "../common/errors.ts";
import type { IpContext, IpObject } from "./context.ts";

/** iproute2's object table, in its order: the first prefix match wins (`ip a` is address). */
const OBJECTS: [string, (() => Promise<{ run: IpObject }>) | undefined][] = [
  ["address", () => import("./address.ts")],
  ["addrlabel", undefined],
  ["maddress", undefined],
  ["route", () => import("./route.ts")],
  ["rule", () => import("./rule.ts")],
  ["neighbor", () => import("./neigh.ts")],
  ["neighbour", () => import("./neigh.ts")],
  ["ntable", undefined],
  ["ntbl", undefined],
  ["link", () => import("./link.ts")],
  ["l2tp", undefined],
  ["fou", undefined],
  ["ila", undefined],
  ["macsec", undefined],
  ["tunnel", undefined],
  ["tunl", undefined],
  ["tuntap", undefined],
  ["tap", undefined],
  ["token", undefined],
  ["tcpmetrics", undefined],
  ["tcp_metrics", undefined],
  ["monitor", undefined],
  ["xfrm", undefined],
  ["mroute", undefined],
  ["mrule", undefined],
  ["netns", () => import("./netns.ts")],
  ["netconf", undefined],
  ["vrf", undefined],
  ["sr", undefined],
  ["nexthop", () => import("./nexthop.ts")],
  ["mptcp", undefined],
  ["ioam", undefined],
  ["help", undefined],
  ["stats", undefined],
];

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | fou | help | ila | ioam | l2tp | link |
                   macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}`;

const FAMILIES: Record<string, string> = {
  inet: "inet",
  inet6: "inet6",
  mpls: "mpls",
  bridge: "bridge",
  link: "packet",
  help: "help",
};

/**
 * Parses the global options (iproute2's order of abbreviation matching) into a context.
 *
 * @example
 * ```ts ignore
 * const { ctx, rest } = parseGlobalOptions(["-j", "-4", "addr"]);
 * ```
 */
export function parseGlobalOptions(args: string[]): { ctx: IpContext; rest: string[] } {
  const ctx: IpContext = {
    family: undefined,
    json: false,
    pretty: false,
    stats: 0,
    details: 0,
    oneline: false,
    brief: false,
    resolve: false,
    numeric: false,
    human: false,
    iec: false,
    timestamp: 0,
    force: false,
    batch: undefined,
    netns: undefined,
    all: false,
    echo: false,
  };
  let i = 0;
  for (; i < args.length; i++) {
    let opt = args[i];
    if (opt === "--") {
      i++;
      break;
    }
    if (!opt.startsWith("-")) break;
    if (opt.startsWith("--")) opt = opt.slice(1);
    const value = () => {
      if (i + 1 >= args.length) throw new UsageError(USAGE, 255);
      return args[++i];
    };
    if (matches(opt, "-loops")) value();
    else if (matches(opt, "-family")) {
      const f = value();
      if (f === "help") throw new UsageError(USAGE, 255);
      const fam = FAMILIES[f];
      if (!fam) throw new UsageError(`Error: argument "${f}" is wrong: invalid protocol family`);
      ctx.family = fam;
    } else if (opt === "-4") ctx.family = "inet";
    else if (opt === "-6") ctx.family = "inet6";
    else if (opt === "-0") ctx.family = "packet";
    else if (opt === "-M") ctx.family = "mpls";
    else if (opt === "-B") ctx.family = "bridge";
    else if (matches(opt, "-human") || matches(opt, "-human-readable")) ctx.human = true;
    else if (matches(opt, "-iec")) ctx.iec = true; // units only; -h turns human-readable numbers on
    else if (matches(opt, "-stats") || matches(opt, "-statistics")) ctx.stats++;
    else if (matches(opt, "-details")) ctx.details++;
    else if (matches(opt, "-resolve")) ctx.resolve = true;
    else if (matches(opt, "-oneline")) ctx.oneline = true;
    else if (matches(opt, "-timestamp")) ctx.timestamp = 1;
    else if (matches(opt, "-tshort")) ctx.timestamp = 2;
    else if (matches(opt, "-Version")) {
      console.log("ip utility, iproute2-6.1.0 compatible (nlink)");
      throw new UsageError("", 0, true);
    } else if (matches(opt, "-force")) ctx.force = true;
    else if (matches(opt, "-batch")) ctx.batch = value();
    else if (matches(opt, "-brief")) ctx.brief = true;
    else if (matches(opt, "-json")) ctx.json = true;
    else if (matches(opt, "-pretty")) ctx.pretty = true;
    else if (matches(opt, "-rcvbuf")) value();
    else if (matches(opt, "-color") || matches(opt, "-colour")) {
      // Colour is not produced; accept the option like iproute2 does on a pipe.
      if (opt.includes("=")) continue;
    } else if (matches(opt, "-help")) throw new UsageError(USAGE, 255);
    else if (matches(opt, "-netns")) ctx.netns = value();
    else if (matches(opt, "-Numeric")) ctx.numeric = true;
    else if (matches(opt, "-all")) ctx.all = true;
    else if (opt === "-echo") ctx.echo = true;
    else throw new UsageError(`Option "${args[i]}" is unknown, try "ip -help".`);
  }
  return { ctx, rest: args.slice(i) };
}

/**
 * Runs `ip ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./main.ts";
 * await main(["-j", "link", "show"]);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  try {
    const { ctx, rest } = parseGlobalOptions(args);
    if (ctx.batch !== undefined) throw new UsageError("nlink: ip -batch is not implemented yet", 1);
    if (rest.length === 0) throw new UsageError(USAGE, 255);
    const [word, ...objectArgs] = rest;
    const entry = OBJECTS.find(([name]) => matches(word, name));
    if (!entry) throw new UsageError(`Object "${word}" is unknown, try "ip help".`);
    const [name, load] = entry;
    if (name === "help") {
      console.error(USAGE);
      return 0;
    }
    if (!load) throw new UsageError(`nlink: "ip ${name}" is not implemented yet`, 1);
    const { run } = await load();
    return await run(ctx, objectArgs);
  } catch (e) {
    return report(e);
  }
}
