/**
 * `ip stats`: show the statistics groups of RTM_GETSTATS (`group`, `subgroup`,
 * `suite` select them) and switch hardware L3 statistics (`set`).
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import {
  type Connection,
  getInterfaceStats,
  type InterfaceStats,
  type OffloadStat,
  setInterfaceStats,
  type StatsGroup,
} from "@nlink/nlink";
import { Args, invalidArgument, matches, UsageError } from "../common/args.ts";
import { Kind, type Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { connect, type IpContext, printer } from "./context.ts";
import type { StatsOptions } from "./link_stats.ts";
import {
  showCpuHit,
  showHwStatsInfo,
  showL3Stats,
  showLink,
  showMpls,
  showXstats,
  type SuitePrinter,
} from "./stats_print.ts";

/** A statistics suite that prints something: what to ask the kernel for, and how to print it. */
interface Leaf {
  /**
   * Where it comes in the output when several are shown: iproute2 sorts its
   * descriptors by their address in the binary, and this is that order.
   */
  rank: number;
  group: StatsGroup;
  offload?: OffloadStat[];
  show: SuitePrinter;
}

/** A node of the selection tree: a group of nodes, or a leaf. */
interface Node {
  name: string;
  subs?: Node[];
  leaf?: Leaf;
}

const LEVELS = ["group", "subgroup", "suite"] as const;

function xstatsNode(name: string, slave: boolean): Node {
  const group: StatsGroup = slave ? "xstatsSlave" : "xstats";
  const leaf = (rank: number, kind: "bridge" | "bond", suite: "stp" | "mcast" | "802.3ad"): Node => ({
    name: suite,
    leaf: { rank, group, show: showXstats(slave, kind, suite) },
  });
  return {
    name,
    subs: [
      { name: "bridge", subs: [leaf(slave ? 8 : 10, "bridge", "stp"), leaf(slave ? 7 : 9, "bridge", "mcast")] },
      { name: "bond", subs: [leaf(slave ? 5 : 6, "bond", "802.3ad")] },
    ],
  };
}

const TOP: Node = {
  name: "top-level",
  subs: [
    { name: "link", leaf: { rank: 1, group: "link64", show: showLink } },
    xstatsNode("xstats", false),
    xstatsNode("xstats_slave", true),
    {
      name: "offload",
      subs: [
        { name: "cpu_hit", leaf: { rank: 4, group: "offload", offload: ["cpuHit"], show: showCpuHit } },
        {
          name: "hw_stats_info",
          leaf: { rank: 3, group: "offload", offload: ["hwStatsInfo"], show: showHwStatsInfo },
        },
        {
          name: "l3_stats",
          leaf: { rank: 2, group: "offload", offload: ["l3Stats", "hwStatsInfo"], show: showL3Stats },
        },
      ],
    },
    { name: "afstats", subs: [{ name: "mpls", leaf: { rank: 0, group: "afSpec", show: showMpls } }] },
  ],
};

/** The help text, made from the tree as iproute2 makes it. */
function helpText(): string {
  let s = `Usage: ip stats help
       ip stats show [ dev DEV ] [ group GROUP [ subgroup SUBGROUP [ suite SUITE ] ... ] ... ] ...
       ip stats set dev DEV l3_stats { on | off }
`;
  const top = TOP.subs!;
  s += `GROUP := { ${top.map((n) => n.name).join(" | ")} }\n`;
  for (const g of top) {
    if (!g.subs) continue;
    s += `${g.name} SUBGROUP :=${
      g.subs.map((sub, j) =>
        (j === 0 ? " {" : " |") + " " + sub.name + (sub.subs ?? []).map((k) => ` [ suite ${k.name} ]`).join("")
      ).join("")
    } }\n`;
  }
  return s;
}

function help(): void {
  Deno.stderr.writeSync(new TextEncoder().encode(helpText()));
}

/** EINVAL, as iproute2's exit status for a selection it cannot use. */
const EINVAL = 22;

/** One selected suite, with the path that names it. */
interface Enabled {
  leaf: Leaf;
  sel: string[];
}

/**
 * Runs `ip stats ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./stats.ts";
 * await run(ctx, ["show", "dev", "eth0", "group", "link"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return await show(ctx, [], ctx.stats);
  if (cmd === "help") {
    help();
    return 0;
  }
  // "show" implies one -s, and -d one more.
  if (cmd === "show") return await show(ctx, rest, ctx.stats + ctx.details + 1);
  if (cmd === "set") return await set(ctx, rest);
  throw new UsageError(`Command "${cmd}" is unknown, try "ip stats help".`, 1);
}

/** Adds every leaf under the selection `sel` (iproute2's ipstats_enable). */
function enable(sel: (string | undefined)[], enabled: Enabled[]): void {
  let node = TOP;
  for (let i = 0; i < LEVELS.length && sel[i] !== undefined; i++) {
    if (node.leaf) {
      throw new UsageError(`Error: ${LEVELS[i]} ${sel[i]} requested inside leaf ${LEVELS[i - 1]} ${node.name}`, EINVAL);
    }
    const next = node.subs!.find((n) => n.name === sel[i]);
    if (!next) throw new UsageError(`Error: no ${LEVELS[i]} named ${sel[i]} found inside ${node.name}`, EINVAL);
    node = next;
  }
  const path = sel.filter((s) => s !== undefined) as string[];
  const walk = (n: Node, p: string[]) => {
    if (n.leaf) {
      if (!enabled.some((e) => e.leaf === n.leaf)) enabled.push({ leaf: n.leaf, sel: p });
      return;
    }
    for (const sub of n.subs!) walk(sub, [...p, sub.name]);
  };
  walk(node, path);
}

function checkIfname(name: string): string {
  if (name.length >= 16 || name === "" || /[\s/]/.test(name)) throw invalidArgument('"dev" not a valid ifname', name);
  return name;
}

async function show(ctx: IpContext, words: string[], level: number): Promise<number> {
  const args = new Args(words);
  const sel: (string | undefined)[] = [undefined, undefined, undefined];
  const enabled: Enabled[] = [];
  let dev: string | undefined;
  while (args.more) {
    const word = args.next()!;
    if (word === "dev") {
      const name = args.value("dev");
      if (dev !== undefined) throw new UsageError(`Error: either "dev" is duplicate, or "${name}" is a garbage.`);
      dev = checkIfname(name);
      continue;
    }
    if (word === "help") {
      help();
      return 0;
    }
    const at = (LEVELS as readonly string[]).indexOf(word);
    if (at < 0) {
      console.error(`What is "${word}"?`);
      help();
      return EINVAL;
    }
    const value = args.value(word);
    for (let i = 0; i < at; i++) {
      if (sel[i] === undefined) {
        throw new UsageError(`Error: ${LEVELS[at]} ${value} requested without selecting a ${LEVELS[i]} first`, EINVAL);
      }
    }
    // A new choice at this level or above ends the previous selection: enable it first.
    if (sel.slice(at).some((s) => s !== undefined)) enable(sel, enabled);
    sel[at] = value;
    for (let i = at + 1; i < LEVELS.length; i++) sel[i] = undefined;
  }
  enable(sel, enabled);
  enabled.sort((a, b) => a.leaf.rank - b.leaf.rank);

  using conn = await connect(ctx);
  const groups = [...new Set(enabled.map((e) => e.leaf.group))];
  const offload = [...new Set(enabled.flatMap((e) => e.leaf.offload ?? []))];
  let list: InterfaceStats[];
  let names: Map<number, string | undefined>;
  if (dev !== undefined) {
    const index = await indexOf(conn, dev);
    list = await getInterfaceStats(conn, { dev: index, groups, offload });
    names = new Map([[index, dev]]);
  } else {
    list = await getInterfaceStats(conn, { groups, offload });
    names = new Map((await conn.getLinkNames()).map((l) => [l.index, l.name]));
  }
  const o: StatsOptions = { level, human: ctx.human, iec: ctx.iec };
  const p = printer(ctx);
  p.startList();
  for (const s of list) {
    printOne(p, s, names.get(s.index) ?? `if${s.index}`, enabled, o);
    if (dev === undefined) p.nl();
  }
  p.endList();
  p.flush();
  return 0;
}

function printOne(p: Printer, s: InterfaceStats, name: string, enabled: Enabled[], o: StatsOptions): void {
  for (const e of enabled) {
    p.openObject();
    p.int(Kind.Any, "ifindex", "%d:", s.index);
    p.colorString(Kind.Any, Color.Ifname, "ifname", " %s:", name);
    e.sel.forEach((v, i) => {
      p.string(Kind.Json, LEVELS[i], "", v);
      p.write(` ${LEVELS[i]} ${v}`);
    });
    e.leaf.show(p, s, o);
    p.closeObject();
    p.nl();
  }
}

/** The index of a link by name; iproute2's "Cannot find device" (exit 1) when there is none. */
async function indexOf(conn: Connection, dev: string): Promise<number> {
  try {
    return await conn.resolveDev(dev);
  } catch (e) {
    if (e instanceof NetlinkError && e.isNotFound()) throw new UsageError(`Cannot find device "${dev}"`, 1);
    throw e;
  }
}

async function set(ctx: IpContext, words: string[]): Promise<number> {
  const args = new Args(words);
  let dev: string | undefined;
  let l3Stats: boolean | undefined;
  while (args.more) {
    const word = args.next()!;
    if (word === "dev") {
      const name = args.value("dev");
      if (dev !== undefined) throw new UsageError(`Error: either "dev" is duplicate, or "${name}" is a garbage.`);
      dev = checkIfname(name);
    } else if (word === "l3_stats") {
      const value = args.value(word);
      if (l3Stats !== undefined) throw new UsageError("A statistics suite to toggle was already given.", EINVAL);
      if (matches(value, "off")) l3Stats = false;
      else if (matches(value, "on")) l3Stats = true;
      else {
        throw new UsageError(`Error: argument of "l3_stats" must be one of "off", "on", not "${value}"`, EINVAL);
      }
    } else if (word === "help") {
      help();
      return 0;
    } else {
      console.error(`What is "${word}"?`);
      help();
      return EINVAL;
    }
  }
  if (dev === undefined) throw new UsageError('Not enough information: "dev" argument is required.');
  if (l3Stats === undefined) throw new UsageError("Not enough information: stat type to toggle is required.");
  using conn = await connect(ctx);
  await setInterfaceStats(conn, { dev: await indexOf(conn, dev), l3Stats });
  return 0;
}
