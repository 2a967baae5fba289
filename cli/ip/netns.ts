/**
 * `ip netns`: named network namespaces (iproute2's ip/ipnetns.c) — list,
 * add, delete, set and list ids, identify, pids — through the library.
 *
 * Names are listed in directory order (iproute2 reads the directory as it comes,
 * unsorted). Messages name the directory `/run/netns`, as iproute2 6.1 is built.
 *
 * `exec` starts the command in the namespace without iproute2's private mount
 * namespace (no /sys remount, no /etc/netns/NAME binds: see spawnInNetns).
 * `monitor` lives in netns_monitor.ts. Not supported yet (exit 1 with a message): `list-id nsid N` /
 * `target-nsid N` (the library dumps ids without filters).
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import { addNetns, attachNetns, deleteNetns, NETNS_RUN_DIR, spawnInNetns } from "@nlink/nlink";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { parseInteger } from "../common/inet.ts";
import { Kind } from "../common/output.ts";
import { connect, type IpContext, printer } from "./context.ts";

/** The directory as iproute2 6.1 names it in messages (NETNS_RUN_DIR at its build). */
const RUN_DIR_TEXT = "/run/netns";

const USAGE = `Usage:\tip netns list
\tip netns add NAME
\tip netns attach NAME PID
\tip netns set NAME NETNSID
\tip [-all] netns delete [NAME]
\tip netns identify [PID]
\tip netns pids NAME
\tip [-all] netns exec [NAME] cmd ...
\tip netns monitor
\tip netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT`;

/** Prints the usage and exits like iproute2's usage(): status 255. */
function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/** A message on stderr and exit 1 (iproute2's `return -1`). */
function fail(message: string): UsageError {
  return new UsageError(message, 1);
}

function unsupported(what: string, why: string): UsageError {
  return new UsageError(`nlink: "ip netns ${what}" is not supported yet (${why})`, 1);
}

/** strerror's text for a failed file operation. */
function fileError(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (e instanceof Deno.errors.NotADirectory) return "Not a directory";
  if (e instanceof NetlinkError) return e.reason;
  return e instanceof Error ? e.message : String(e);
}

/** iproute2's invalid_name: empty, too long, with a slash, `.` or `..`. */
function invalidName(name: string): boolean {
  return name === "" || new TextEncoder().encode(name).length > 255 || name.includes("/") || name === "." ||
    name === "..";
}

/** The names under the namespace directory, in directory order; undefined when it cannot be read. */
async function namesInDir(): Promise<string[] | undefined> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(NETNS_RUN_DIR)) names.push(e.name);
  } catch {
    return undefined;
  }
  return names;
}

/**
 * Runs `ip netns ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./netns.ts";
 * await run(ctx, ["list"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0) return await list(ctx);
  const [cmd, ...rest] = args;
  if (!ctx.all && rest.length > 0 && invalidName(rest[0])) {
    throw new UsageError(`Invalid netns name "${rest[0]}"`, 255);
  }
  if (matches(cmd, "list") || matches(cmd, "show") || matches(cmd, "lst")) return await list(ctx);
  if (matches(cmd, "list-id")) return await listIds(ctx, rest);
  if (matches(cmd, "help")) usage();
  if (matches(cmd, "add")) return await add(rest);
  if (matches(cmd, "set")) return await set(ctx, rest);
  if (matches(cmd, "delete")) return await del(ctx, rest);
  if (matches(cmd, "identify")) return await identify(ctx, rest);
  if (matches(cmd, "pids")) return await pids(rest);
  if (matches(cmd, "exec")) {
    if (rest.length < 1 && !ctx.all) throw fail("No netns name specified");
    if ((rest.length < 2 && !ctx.all) || (rest.length < 1 && ctx.all)) throw fail("No command specified");
    return await exec(ctx, rest);
  }
  if (matches(cmd, "monitor")) return await (await import("./netns_monitor.ts")).monitorNetns();
  if (matches(cmd, "attach")) {
    if (rest.length < 2) throw fail("No netns name and PID specified");
    const pid = parseInteger(rest[1]);
    if (pid === undefined || pid === 0) throw fail(`Invalid PID: ${rest[1]}`);
    return await attach(rest[0], pid);
  }
  throw new UsageError(`Command "${cmd}" is unknown, try "ip netns help".`, 255);
}

/** `ip netns [list]`: each name, with ` (id: N)` when this namespace has an id for it. */
async function list(ctx: IpContext): Promise<number> {
  const names = await namesInDir();
  if (names === undefined) return 0; // no directory: nothing at all, not even JSON's []
  using conn = await connect(ctx);
  const p = printer(ctx);
  p.startList();
  for (const name of names) {
    p.openObject();
    p.string(Kind.Any, "name", "%s", name);
    const id = await nsidOf(conn, name);
    if (id !== undefined && id >= 0) p.int(Kind.Any, "id", " (id: %d)", id);
    p.write("\n");
    p.closeObject();
  }
  p.endList();
  p.flush();
  return 0;
}

/** The id `conn`'s namespace has for a named one (-1: none), or undefined when it cannot be asked. */
async function nsidOf(conn: Awaited<ReturnType<typeof connect>>, name: string): Promise<number | undefined> {
  try {
    return await conn.getNsid(name);
  } catch {
    return undefined; // not a namespace file: iproute2 prints no id either
  }
}

/** `ip netns list-id`: the ids this namespace assigned, with the first name (in directory order) of each. */
async function listIds(ctx: IpContext, args: string[]): Promise<number> {
  let target: number | undefined, nsid: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a !== "target-nsid" && a !== "nsid") usage();
    const seen = a === "nsid" ? nsid : target;
    if (seen !== undefined) throw new UsageError(`Error: duplicate "${a}": "${a}" is the second value.`);
    if (i + 1 >= args.length) throw new UsageError('Command line is not complete. Try option "help"');
    const v = args[++i];
    const n = parseInteger(v);
    if (n === undefined) throw invalidArgument(`"${a}" value is invalid`, v);
    // iproute2 names the word after the value here ("(null)" at the end of the line).
    if (n < 0) throw invalidArgument(`"${a}" value should be >= 0`, args[i + 1] ?? "(null)");
    if (a === "nsid") nsid = n;
    else target = n;
  }
  if (target !== undefined) throw unsupported("list-id target-nsid", "the library dumps ids without filters");
  if (nsid !== undefined) throw unsupported("list-id nsid", "the library dumps ids without filters");
  using conn = await connect(ctx);
  const ids = await conn.getNsids();
  const names = (await namesInDir()) ?? [];
  const nameOf = async (id: number) => {
    for (const name of names) if ((await nsidOf(conn, name)) === id) return name;
    return undefined;
  };
  const p = printer(ctx);
  p.startList();
  for (const { nsid, currentNsid } of ids) {
    p.openObject();
    if (nsid < 0) p.string(Kind.Text, null, "%s", "nsid unassigned ");
    else p.int(Kind.Any, "nsid", "nsid %d ", nsid);
    if (currentNsid !== undefined) {
      if (currentNsid < 0) p.string(Kind.Text, null, "%s", "current-nsid unassigned ");
      else p.int(Kind.Any, "current-nsid", "current-nsid %d ", currentNsid);
    }
    const name = await nameOf(currentNsid ?? nsid);
    if (name !== undefined) p.string(Kind.Any, "name", "(iproute2 netns name: %s)", name);
    p.write("\n");
    p.closeObject();
  }
  p.endList();
  p.flush();
  return 0;
}

/** `ip netns add NAME`. */
async function add(args: string[]): Promise<number> {
  if (args.length < 1) throw fail("No netns name specified");
  const name = args[0];
  try {
    await addNetns(name);
  } catch (e) {
    throw namingFailure(e, name, "/proc/self/ns/net");
  }
  return 0;
}

/** `ip netns attach NAME PID`. */
async function attach(name: string, pid: number): Promise<number> {
  try {
    await attachNetns(name, pid);
  } catch (e) {
    throw namingFailure(e, name, `/proc/${pid}/ns/net`);
  }
  return 0;
}

/**
 * A failed `ip netns add|attach` as netns_add reports it, by the step that
 * failed: the run directory, making it a shared mount (or a mount point),
 * the namespace file, the new namespace, or the bind mount of `source`.
 */
function namingFailure(e: unknown, name: string, source: string): unknown {
  if (!(e instanceof NetlinkError)) return e;
  const step = e.cause instanceof NetlinkError ? e.cause.operation ?? "" : e.operation ?? "";
  const why = fileError(e);
  const file = `${RUN_DIR_TEXT}/${name}`;
  if (step.startsWith("mkdir ")) return fail(`Cannot open netns runtime directory "${RUN_DIR_TEXT}": ${why}`);
  if (step.startsWith("mount --make-rshared ")) return fail(`mount --make-shared ${RUN_DIR_TEXT} failed: ${why}`);
  if (step.startsWith("unshare")) return fail(`Failed to create a new network namespace "${name}": ${why}`);
  if (step.startsWith("mount --bind ")) {
    const [, , from, to] = step.split(" ");
    // The run directory bound onto itself (to be a mount point), else the namespace onto its file.
    if (from === to) return fail(`mount --bind ${RUN_DIR_TEXT} ${RUN_DIR_TEXT} failed: ${why}`);
    return fail(`Bind ${source} -> ${file} failed: ${why}`);
  }
  return fail(`Cannot create namespace file "${file}": ${why}`);
}

/**
 * `ip [-all] netns exec [NAME] COMMAND…`: the command runs in the namespace and
 * its exit status is ours (128 + N when signal N ended it). With `-all` it runs in each namespace in turn, announced by
 * `netns: NAME`, and the statuses are not kept, as iproute2 does.
 */
async function exec(ctx: IpContext, args: string[]): Promise<number> {
  const runIn = async (name: string, argv: string[]): Promise<number> => {
    let child: Deno.ChildProcess;
    try {
      child = spawnInNetns(name, argv[0], {
        args: argv.slice(1),
        stdin: "inherit",
        stdout: "inherit",
        stderr: "inherit",
      });
    } catch (e) {
      if (e instanceof NetlinkError) {
        throw new UsageError(`Cannot open network namespace "${name}": ${fileError(e)}`, 255);
      }
      if (e instanceof Deno.errors.NotFound) {
        console.error(`exec of "${argv[0]}" failed: No such file or directory`);
        return 1;
      }
      if (e instanceof Deno.errors.PermissionDenied) {
        console.error(`exec of "${argv[0]}" failed: Permission denied`);
        return 1;
      }
      throw e;
    }
    // A signal's end comes as 128 + N already, the way a shell reports it.
    return (await child.status).code;
  };
  if (!ctx.all) return await runIn(args[0], args.slice(1));
  for (const name of (await namesInDir()) ?? []) {
    console.log(`\nnetns: ${name}`);
    await runIn(name, args);
  }
  return 0;
}

/** `ip [-all] netns delete [NAME]`. */
async function del(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length < 1 && !ctx.all) throw fail("No netns name specified");
  const one = async (name: string) => {
    try {
      await deleteNetns(name);
      return true;
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      console.error(`Cannot remove namespace file "${RUN_DIR_TEXT}/${name}": ${fileError(e)}`);
      return false;
    }
  };
  if (!ctx.all) return (await one(args[0])) ? 0 : 1;
  // Like iproute2's netns_foreach: stop at the first failure, succeed anyway.
  for (const name of (await namesInDir()) ?? []) if (!(await one(name))) break;
  return 0;
}

/** `ip netns set NAME NETNSID`. */
async function set(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length < 1) throw fail("No netns name specified");
  if (args.length < 2) throw fail("No nsid specified");
  const [name, v] = args;
  let nsid: number;
  if (v === "auto") nsid = -1; // the kernel picks
  else {
    const n = parseInteger(v);
    if (n === undefined) throw invalidArgument('Invalid "netnsid" value', v);
    if (n < 0) throw invalidArgument('"netnsid" value should be >= 0', v);
    nsid = n;
  }
  try {
    (await Deno.open(`${NETNS_RUN_DIR}/${name}`, { read: true })).close();
  } catch (e) {
    throw fail(`Cannot open network namespace "${name}": ${fileError(e)}`);
  }
  using conn = await connect(ctx);
  await conn.setNsid(name, nsid);
  return 0;
}

/** The device and inode of a namespace file (what tells namespaces apart). */
async function identity(path: string): Promise<string> {
  const st = await Deno.stat(path);
  return `${st.dev}:${st.ino}`;
}

/** `ip netns identify [PID]`: the name bound to that process's namespace (the last one found), or an empty line. */
async function identify(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length > 1) throw fail("extra arguments specified");
  const pid = args[0];
  if (pid !== undefined && !/^\d*$/.test(pid)) throw fail(`Specified string '${pid}' is not a pid`);
  // iproute2 under `-n NETNS` has itself moved there, so "self" is that namespace.
  const path = pid !== undefined
    ? `/proc/${pid}/ns/net`
    : ctx.netns !== undefined
    ? `${NETNS_RUN_DIR}/${ctx.netns}`
    : "/proc/self/ns/net";
  let want: string;
  try {
    want = await identity(path);
  } catch (e) {
    throw fail(`Cannot open network namespace: ${fileError(e)}`);
  }
  let found = "";
  for (const name of (await namesInDir()) ?? []) {
    try {
      if ((await identity(`${NETNS_RUN_DIR}/${name}`)) === want) found = name;
    } catch {
      // gone, or not a file we may read: skipped
    }
  }
  console.log(found);
  return 0;
}

/** `ip netns pids NAME`: the processes in that namespace, in /proc's order. */
async function pids(args: string[]): Promise<number> {
  if (args.length < 1) throw fail("No netns name specified");
  if (args.length > 1) throw fail("extra arguments specified");
  let want: string;
  try {
    want = await identity(`${NETNS_RUN_DIR}/${args[0]}`);
  } catch (e) {
    throw fail(`Cannot open network namespace: ${fileError(e)}`);
  }
  const out: string[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d*$/.test(e.name)) continue;
    try {
      if ((await identity(`/proc/${e.name}/ns/net`)) === want) out.push(e.name);
    } catch {
      // the process ended meanwhile
    }
  }
  if (out.length) console.log(out.join("\n"));
  return 0;
}
