/**
 * `ip`: global options, then one object (link, address, route, …) per module,
 * loaded only when used.
 *
 * @module
 */
import { matches, UsageError } from "../common/args.ts";
import { colorOption, startColor } from "../common/color.ts";
import { report } from "../common/errors.ts";
import type { IpContext, IpObject } from "./context.ts";

/** iproute2's object table, in its order: the first prefix match wins (`ip a` is address). */
const OBJECTS: [string, (() => Promise<{ run: IpObject }>) | undefined][] = [
  ["address", () => import("./address.ts")],
  ["addrlabel", () => import("./addrlabel.ts")],
  ["maddress", () => import("./maddress.ts")],
  ["route", () => import("./route.ts")],
  ["rule", () => import("./rule.ts")],
  ["neighbor", () => import("./neigh.ts")],
  ["neighbour", () => import("./neigh.ts")],
  ["ntable", () => import("./ntable.ts")],
  ["ntbl", () => import("./ntable.ts")],
  ["link", () => import("./link.ts")],
  ["l2tp", undefined],
  ["fou", undefined],
  ["ila", undefined],
  ["macsec", undefined],
  ["tunnel", () => import("./tunnel.ts")],
  ["tunl", () => import("./tunnel.ts")],
  ["tuntap", () => import("./tuntap.ts")],
  ["tap", () => import("./tuntap.ts")],
  ["token", () => import("./token.ts")],
  ["tcpmetrics", () => import("./tcp_metrics.ts")],
  ["tcp_metrics", () => import("./tcp_metrics.ts")],
  ["monitor", () => import("./monitor.ts")],
  ["xfrm", undefined],
  ["mroute", () => import("./mroute.ts")],
  ["mrule", () => import("./mrule.ts")],
  ["netns", () => import("./netns.ts")],
  ["netconf", () => import("./netconf.ts")],
  ["vrf", () => import("./vrf.ts")],
  ["sr", () => import("./sr.ts")],
  ["nexthop", () => import("./nexthop.ts")],
  ["mptcp", () => import("./mptcp.ts")],
  ["ioam", () => import("./ioam.ts")],
  ["help", undefined],
  ["stats", () => import("./stats.ts")],
];

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
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
    else if (colorOption(opt)) ctx.color = colorOption(opt);
    else if (matches(opt, "-help")) throw new UsageError(USAGE, 255);
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
  let ctx: IpContext, rest: string[];
  try {
    ({ ctx, rest } = parseGlobalOptions(args));
  } catch (e) {
    return report(e);
  }
  startColor(ctx.color, ctx.json);
  // Like iproute2, -batch ignores any words after the options.
  if (ctx.batch !== undefined) {
    const opening = openBatchFile(ctx.batch); // while the batch modules load
    const { runBatch } = await import("./batch.ts");
    return await runBatch(ctx, ctx.batch, { objectOf, runObject }, opening);
  }
  if (rest.length === 0) return report(new UsageError(USAGE, 255));
  return await runObject(ctx, rest);
}

/**
 * Starts opening a batch file (undefined for `-`, stdin). Its failure is
 * reported by `runBatch`, in iproute2's order; `runBatch` reads it piece by
 * piece (`BatchFileText`).
 *
 * @example
 * ```ts ignore
 * const opening = openBatchFile("routes.txt");
 * ```
 */
export function openBatchFile(name: string): Promise<Deno.FsFile> | undefined {
  if (name === "-") return undefined;
  const opening = Deno.open(name);
  opening.catch(() => {}); // handled when runBatch awaits it
  return opening;
}

/**
 * The full name of the object `word` selects (`a` → `address`), or undefined.
 *
 * @example
 * ```ts ignore
 * objectOf("r"); // "route"
 * ```
 */
export function objectOf(word: string): string | undefined {
  return OBJECTS.find(([name]) => matches(word, name))?.[0];
}

/**
 * Runs one command, `OBJECT ARGS…` (the global options already parsed),
 * reports any failure the way iproute2 does and returns the exit code;
 * `fatal.exits` tells whether iproute2 would have ended the process there.
 *
 * @example
 * ```ts ignore
 * await runObject(ctx, ["route", "show"]);
 * ```
 */
export async function runObject(ctx: IpContext, words: string[], fatal?: { exits: boolean }): Promise<number> {
  try {
    const [word, ...objectArgs] = words;
    const entry = OBJECTS.find(([name]) => matches(word, name));
    if (!entry) throw new UsageError(`Object "${word}" is unknown, try "ip help".`, 1);
    const [name, load] = entry;
    if (name === "help") throw new UsageError(USAGE, 255); // iproute2's do_help: usage(), exit(-1)
    if (!load) throw new UsageError(`nlink: "ip ${name}" is not implemented yet`, 1);
    const { run } = await load();
    return await run(ctx, objectArgs);
  } catch (e) {
    if (fatal) fatal.exits = exitsProcess(e);
    return report(e);
  }
}

/** get_addr / get_prefix failures: iproute2 exit(1)s on them. */
const EXIT_ONE = /^Error: [\w ]+ (?:address|prefix) is expected rather than ".*"\.$/s;

/**
 * Whether iproute2 ends the whole process on this failure (exit() rather than
 * a failed return): its usage, invarg and duparg errors (exit status 255),
 * and an unreadable address or prefix (exit status 1). `ip -batch` stops there.
 */
function exitsProcess(e: unknown): boolean {
  return e instanceof UsageError && (e.code === 255 || EXIT_ONE.test(e.message));
}
