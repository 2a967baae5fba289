/**
 * `bridge`: global options, then one object (link, fdb, mdb, vlan, monitor),
 * each in its own module loaded only when used.
 *
 * @module
 */
import { colorOption, startColor } from "../common/color.ts";
import { NetlinkError, ValidationError } from "@nlink/nlink/core";
import { matches, UsageError } from "../common/args.ts";
import { kernelMessage, report } from "../common/errors.ts";
import { type BridgeContext, type BridgeObject, CommandFailed } from "./context.ts";

/** iproute2's object table, in its order: the first prefix match wins. */
const OBJECTS: [string, (() => Promise<{ run: BridgeObject }>) | undefined][] = [
  ["link", () => import("./link.ts")],
  ["fdb", () => import("./fdb.ts")],
  ["mdb", () => import("./mdb.ts")],
  ["vlan", () => import("./vlan.ts")],
  ["vni", undefined],
  ["monitor", () => import("./monitor.ts")],
  ["help", undefined],
];

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }`;

/** iproute2's usage(): the text on stderr, exit 255. */
function usage(): UsageError {
  return new UsageError(USAGE, 255);
}

/**
 * Parses the global options (in iproute2's order of abbreviation matching) into a context.
 *
 * @example
 * ```ts ignore
 * const { ctx, rest } = parseGlobalOptions(["-j", "-p", "fdb"]);
 * ```
 */
export function parseGlobalOptions(args: string[]): { ctx: BridgeContext; rest: string[] } {
  const ctx: BridgeContext = {
    stats: 0,
    details: 0,
    oneline: false,
    timestamp: 0,
    compressVlans: false,
    json: false,
    pretty: false,
    force: false,
    batch: undefined,
    netns: undefined,
    family: 0,
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
    if (matches(opt, "-help")) throw usage();
    else if (matches(opt, "-Version")) {
      console.log("bridge utility, iproute2-6.1.0 compatible (nlink)");
      throw new UsageError("", 0, true);
    } else if (matches(opt, "-stats") || matches(opt, "-statistics")) ctx.stats++;
    else if (matches(opt, "-details")) ctx.details++;
    else if (matches(opt, "-oneline")) ctx.oneline = true;
    else if (matches(opt, "-timestamp")) ctx.timestamp++;
    else if (matches(opt, "-family")) {
      if (++i >= args.length) throw usage();
      const f = args[i];
      if (f === "inet") ctx.family = 2;
      else if (f === "inet6") ctx.family = 10;
      else if (f === "help") throw usage();
      else throw new UsageError(`Error: argument "${f}" is wrong: invalid protocol family`);
    } else if (opt === "-4") ctx.family = 2;
    else if (opt === "-6") ctx.family = 10;
    else if (matches(opt, "-netns")) {
      if (++i >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
      ctx.netns = args[i];
    } else if (colorOption(opt)) ctx.color = colorOption(opt);
    else if (matches(opt, "-compressvlans")) ctx.compressVlans = true;
    else if (matches(opt, "-force")) ctx.force = true;
    else if (matches(opt, "-json")) ctx.json = true;
    else if (matches(opt, "-pretty")) ctx.pretty = true;
    else if (matches(opt, "-batch")) {
      if (++i >= args.length) throw usage();
      ctx.batch = args[i];
    } else throw new UsageError(`Option "${opt}" is unknown, try "bridge help".`);
  }
  return { ctx, rest: args.slice(i) };
}

/** Runs one command (`OBJECT ARGS…`) and returns its exit code; errors are thrown. */
async function runCommand(ctx: BridgeContext, words: string[]): Promise<number> {
  const [word, ...objectArgs] = words;
  const entry = OBJECTS.find(([name]) => matches(word, name));
  if (!entry) throw new CommandFailed(`Object "${word}" is unknown, try "bridge help".`);
  const [name, load] = entry;
  if (name === "help") throw usage();
  if (!load) throw new CommandFailed(`nlink: "bridge ${name}" is not implemented yet`, 1);
  const { run } = await load();
  return await run({ ...ctx }, objectArgs);
}

/**
 * A kernel error of a change (rtnl_talk): iproute2's text, and the command
 * returns -1 (exit 255). Input the library refuses before sending anything
 * (a value the kernel would refuse too) fails the same way, with the library's words.
 */
function reportCommand(e: unknown): number {
  if (e instanceof ValidationError) {
    console.error(`Error: ${e.message}.`);
    return 255;
  }
  if (e instanceof NetlinkError) {
    console.error(kernelMessage(e));
    return 255;
  }
  return report(e);
}

/** Splits a batch line into words as iproute2's makeargs does (quotes group, no escapes). */
function batchWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  const ws = " \t\r\n";
  while (i < line.length) {
    while (i < line.length && ws.includes(line[i])) i++;
    if (i >= line.length) break;
    if (line[i] === "'" || line[i] === '"') {
      const end = line.indexOf(line[i], i + 1);
      if (end < 0) throw new UsageError("Unterminated quoted string", 1);
      words.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < line.length && !ws.includes(line[end])) end++;
      words.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return words;
}

/** `-batch FILE`: one command per line (`#` comments, `\` continuations); stops at the first failure unless `-force`. */
async function batch(ctx: BridgeContext): Promise<number> {
  const name = ctx.batch!;
  let text: string;
  try {
    text = name === "-"
      ? new TextDecoder().decode(await new Response(Deno.stdin.readable).arrayBuffer())
      : await Deno.readTextFile(name);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "No such file or directory" : (e as Error).message;
    console.error(`Cannot open file "${name}" for reading: ${why}`);
    return 1;
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let code = 0;
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n];
    while (line.endsWith("\\") && n + 1 < lines.length) line = line.slice(0, -1) + lines[++n];
    const hash = line.indexOf("#");
    if (hash >= 0) line = line.slice(0, hash);
    const words = batchWords(line);
    if (words.length === 0) continue;
    let rc: number;
    try {
      rc = await runCommand(ctx, words);
    } catch (e) {
      // iproute2 exits on usage errors; only failures that return -1 let the batch go on.
      if (e instanceof UsageError && !(e instanceof CommandFailed)) return report(e);
      rc = reportCommand(e);
    }
    if (rc !== 0) {
      console.error(`Command failed ${name}:${n + 1}`);
      code = 1;
      if (!ctx.force) break;
    }
  }
  return code;
}

/**
 * Runs `bridge ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { main } from "./main.ts";
 * await main(["-j", "fdb", "show"]);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  try {
    const { ctx, rest } = parseGlobalOptions(args);
    startColor(ctx.color, ctx.json);
    if (ctx.batch !== undefined) return await batch(ctx);
    if (rest.length === 0) throw usage();
    return await runCommand(ctx, rest);
  } catch (e) {
    return reportCommand(e);
  }
}
