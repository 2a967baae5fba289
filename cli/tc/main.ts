/**
 * `tc`: global options, then one object (qdisc, class, filter, chain,
 * actions, monitor) per module, loaded only when used.
 *
 * @module
 */
import { colorOption, startColor } from "../common/color.ts";
import { matches, UsageError } from "../common/args.ts";
import { report } from "../common/errors.ts";
import type { TcCliContext, TcObject } from "./context.ts";

/** tc's object table, in its order: the first prefix match wins (`tc q` is qdisc). */
const OBJECTS: [string, (() => Promise<{ run: TcObject }>) | undefined][] = [
  ["qdisc", () => import("./qdisc.ts")],
  ["class", () => import("./class.ts")],
  ["filter", () => import("./filter.ts")],
  ["chain", () => import("./chain.ts")],
  ["actions", () => import("./action.ts")],
  ["monitor", () => import("./monitor.ts")],
  ["exec", undefined],
  ["help", undefined],
];

const USAGE = `Usage:	tc [ OPTIONS ] OBJECT { COMMAND | help }
	tc [-force] -batch filename
where  OBJECT := { qdisc | class | filter | chain |
		    action | monitor | exec }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[aw] |
		    -o[neline] | -j[son] | -p[retty] | -c[olor]
		    -b[atch] [filename] | -n[etns] name | -N[umeric] |
		     -nm | -nam[es] | { -cf | -conf } path
		     -br[ief] }`;

/**
 * Parses tc's global options (in tc.c's order of abbreviation matching).
 *
 * @example
 * ```ts ignore
 * const { ctx, rest } = parseGlobalOptions(["-s", "qdisc", "show"]);
 * ```
 */
export function parseGlobalOptions(args: string[]): { ctx: TcCliContext; rest: string[] } {
  const ctx: TcCliContext = {
    stats: 0,
    details: 0,
    raw: false,
    pretty: false,
    graph: false,
    iec: false,
    force: false,
    batch: undefined,
    netns: undefined,
    numeric: false,
    names: false,
    conf: undefined,
    timestamp: 0,
    json: false,
    oneline: false,
    brief: false,
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
    if (matches(opt, "-stats") || matches(opt, "-statistics")) ctx.stats++;
    else if (matches(opt, "-details")) ctx.details++;
    else if (matches(opt, "-raw")) ctx.raw = true;
    else if (matches(opt, "-pretty")) ctx.pretty = true;
    else if (matches(opt, "-graph")) ctx.graph = true;
    else if (matches(opt, "-Version")) {
      console.log("tc utility, iproute2-6.1.0 compatible (nlink)");
      throw new UsageError("", 0, true);
    } else if (matches(opt, "-iec")) ctx.iec = true;
    else if (matches(opt, "-help")) throw new UsageError(USAGE, 0);
    else if (matches(opt, "-force")) ctx.force = true;
    else if (matches(opt, "-batch")) ctx.batch = value();
    else if (matches(opt, "-netns")) ctx.netns = value();
    else if (matches(opt, "-Numeric")) ctx.numeric = true;
    else if (matches(opt, "-names") || matches(opt, "-nm")) ctx.names = true;
    else if (matches(opt, "-cf") || matches(opt, "-conf")) ctx.conf = value();
    else if (matches(opt, "-timestamp")) ctx.timestamp = 1;
    else if (matches(opt, "-tshort")) ctx.timestamp = 2;
    else if (matches(opt, "-json")) ctx.json = true;
    else if (matches(opt, "-oneline")) ctx.oneline = true;
    else if (matches(opt, "-brief")) ctx.brief = true;
    else if (colorOption(opt)) ctx.color = colorOption(opt);
    else throw new UsageError(`Option "${args[i]}" is unknown, try "tc -help".`, 255);
  }
  return { ctx, rest: args.slice(i) };
}

/**
 * Runs `tc ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./main.ts";
 * await main(["-s", "qdisc", "show", "dev", "p0"]);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  try {
    const { ctx, rest } = parseGlobalOptions(args);
    startColor(ctx.color, ctx.json);
    if (ctx.batch !== undefined) return await batch(ctx, ctx.batch);
    if (rest.length === 0) throw new UsageError(USAGE, 0);
    // As tc does, names are read for a single command only: a batch prints ids as numbers even with -nm.
    if (ctx.names) await (await import("./class_names.ts")).useClassNames(ctx.conf);
    return await command(ctx, rest);
  } catch (e) {
    return report(e);
  }
}

/** One tc command (an object and its words), as tc's do_cmd runs it. */
async function command(ctx: TcCliContext, words: string[]): Promise<number> {
  const [word, ...objectArgs] = words;
  const entry = OBJECTS.find(([name]) => matches(word, name));
  if (!entry) throw new UsageError(`Object "${word}" is unknown, try "tc help".`, 255);
  const [name, load] = entry;
  if (name === "help") {
    console.error(USAGE);
    return 0;
  }
  if (!load) throw new UsageError(`nlink: "tc ${name}" is not implemented yet`, 1);
  const { run } = await load();
  return await run(ctx, objectArgs);
}

/**
 * `tc [-force] -batch FILE` (`-` for stdin), as iproute2's do_batch: each
 * command in turn, a failure reported as `Command failed FILE:LINE` and
 * ending the batch unless `-force`; exit status 1 when any failed. Commands
 * run one after another, each on its own connection (not pipelined).
 */
async function batch(ctx: TcCliContext, name: string): Promise<number> {
  const { batchCommands } = await import("../ip/batch_input.ts");
  let input: ReadableStream<Uint8Array> | Uint8Array;
  if (name === "-") input = Deno.stdin.readable;
  else {
    try {
      input = await Deno.readFile(name);
    } catch (e) {
      const why = e instanceof Deno.errors.NotFound
        ? "No such file or directory"
        : e instanceof Deno.errors.PermissionDenied
        ? "Permission denied"
        : String(e);
      console.error(`Cannot open file "${name}" for reading: ${why}`);
      return 1;
    }
  }
  let status = 0;
  for await (const c of batchCommands(input)) {
    if (typeof c === "symbol") continue; // a pause in the input: nothing queued to send
    if (!("args" in c)) {
      console.error(c.message);
      if (c.exit !== undefined) return c.exit;
      break;
    }
    let code: number;
    try {
      code = await command(ctx, c.args);
    } catch (e) {
      code = report(e);
    }
    if (code !== 0) {
      console.error(`Command failed ${name}:${c.line}`);
      status = 1;
      if (!ctx.force) break;
    }
  }
  return status;
}
