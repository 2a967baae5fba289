/**
 * `ip vrf`: list VRF devices and their tables, tell which VRF a process runs
 * in, list a VRF's processes (`pids`) and run a command in a VRF (`exec`: a
 * cgroup v2 group whose BPF program binds new sockets to the VRF device).
 *
 * @module
 */
import { RT_TABLE } from "@nlink/nlink/tables";
import { NetlinkError } from "@nlink/nlink/core";
import { type Connection, execInVrf, getProcessVrf, getVrfPids, type Link } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { parseUnsigned } from "../common/inet.ts";
import { Kind } from "../common/output.ts";
import { connect, type IpContext, printer } from "./context.ts";

const USAGE = `Usage:	ip vrf show [NAME] ...
	ip vrf exec [NAME] cmd ...
	ip vrf identify [PID]
	ip vrf pids [NAME]`;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/** The main table's id: `default` names it when no device of that name exists. */

/**
 * Runs `ip vrf ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./vrf.ts";
 * await run(ctx, ["show"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return await show(ctx, []);
  if (matches(cmd, "identify")) return await identify(rest);
  if (matches(cmd, "pids")) return await pids(ctx, rest);
  if (matches(cmd, "exec")) return await exec(ctx, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return await show(ctx, rest);
  if (matches(cmd, "help")) usage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip vrf help".`);
}

/** A VRF device's table, or 0 when the link is not a VRF. */
function vrfTable(link: Link): number {
  const info = link.linkinfo;
  if (info?.kind !== "vrf" || info.data === undefined || info.data instanceof Uint8Array) return 0;
  return (info.data as { table?: number }).table ?? 0;
}

/** The link of this name, or undefined when there is none. */
async function linkNamed(conn: Connection, name: string): Promise<Link | undefined> {
  try {
    return await conn.getLink(name);
  } catch (e) {
    if (e instanceof NetlinkError && (e.isNotFound() || e.errno === 19)) return undefined;
    throw e;
  }
}

async function show(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length > 1) usage();
  using conn = await connect(ctx);
  if (args.length === 1) {
    // One VRF: "NAME TABLE", plain text even with -j, as iproute2.
    const link = await linkNamed(conn, args[0]);
    const table = link ? vrfTable(link) : args[0] === "default" ? RT_TABLE.MAIN : 0;
    if (!table) throw new UsageError("Invalid VRF", 255);
    console.log(`${args[0]} ${table}`);
    return 0;
  }
  const p = printer(ctx);
  p.startList();
  p.printf("%-16s", "Name");
  p.printf("  %5s\n", "Table");
  p.printf("%s\n", "-----------------------");
  let count = 0;
  for (const link of await conn.getLinks({ kind: "vrf" })) {
    const table = vrfTable(link);
    if (!table || link.name === undefined) continue;
    p.openObject();
    p.string(Kind.Any, "name", "%-16s", link.name);
    p.uint(Kind.Any, "table", " %5u", table);
    p.write("\n");
    p.closeObject();
    count++;
  }
  if (count === 0) p.write("No VRF has been configured\n");
  p.endList();
  p.flush();
  return 0;
}

async function identify(args: string[]): Promise<number> {
  if (args.length > 1) throw invalidArgument("Extra arguments specified\n", args[1]);
  let pid = Deno.pid;
  if (args.length === 1) {
    const v = parseUnsigned(args[0], 0xffffffff, 10);
    if (v === undefined) throw invalidArgument("Invalid pid\n", args[0]);
    pid = v;
  }
  let vrf: string;
  try {
    vrf = await getProcessVrf(pid);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "No such file or directory" : (e as Error).message;
    throw new UsageError(`Failed to lookup vrf association: ${why}`, 1);
  }
  if (vrf !== "") console.log(vrf);
  return 0;
}

async function pids(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length !== 1) throw new UsageError("Invalid arguments", 1);
  using conn = await connect(ctx);
  const link = await linkNamed(conn, args[0]);
  if (!link || link.linkinfo?.kind !== "vrf") throw new UsageError("Invalid VRF name", 1);
  let out = "";
  for (const p of await getVrfPids(conn, args[0])) {
    out += `${String(p.pid).padStart(5)}  ${p.command ?? "<terminated?>"}\n`;
  }
  await Deno.stdout.write(new TextEncoder().encode(out));
  return 0;
}

/**
 * `ip vrf exec NAME CMD…`: the library moves this process into the VRF's
 * cgroup and replaces it with the command (execvp), so the command keeps our
 * stdio and its exit status is the one the caller sees; like iproute2, a
 * command that cannot be run is reported and exits 1.
 */
async function exec(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length < 1) throw new UsageError("No VRF name specified", 1);
  if (args.length < 2) throw new UsageError("No command specified", 1);
  using conn = await connect(ctx);
  if (args[0] !== "default") {
    const link = await linkNamed(conn, args[0]);
    if (!link || link.linkinfo?.kind !== "vrf") throw new UsageError("Invalid VRF name", 255);
  }
  try {
    return await execInVrf(conn, args[0], args.slice(1));
  } catch (e) {
    if (e instanceof NetlinkError && e.operation === "execvp") {
      throw new UsageError(`exec of "${args[1]}" failed: ${e.reason}`, 1);
    }
    if (e instanceof NetlinkError && e.operation?.startsWith("bpf(")) {
      throw new UsageError(`Failed to set up the VRF's BPF program: ${e.reason}`, 255);
    }
    throw e;
  }
}
