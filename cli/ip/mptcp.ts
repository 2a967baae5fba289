/**
 * `ip mptcp`: the MPTCP path manager's endpoints, limits and events
 * (iproute2's ipmptcp.c), through the library's `mptcp_pm` methods.
 *
 * Where iproute2 would send attributes the kernel does not read for that
 * command (a device or flags with `delete`, a device with `change`, limits
 * with `limits show`), nlink sends the command without them.
 *
 * @module
 */
import type { Connection, MptcpEndpointFlag } from "@nlink/nlink";
import { MPTCP_PM_ADDR_FLAG } from "@nlink/nlink/genl";
import { Args, invalidArgument, matches, UsageError } from "../common/args.ts";
import { AF_UNSPEC, getAddr, parseUnsigned, prefixText } from "../common/inet.ts";
import { Printer } from "../common/output.ts";
import { connect, type IpContext, printer } from "./context.ts";
import { LinkCache, type LinkNames } from "./links.ts";
import { printEndpoint, printLimits } from "./mptcp_print.ts";
import { requireGenlFamily } from "./genl_family.ts";

const USAGE = `Usage:	ip mptcp endpoint add ADDRESS [ dev NAME ] [ id ID ]
				      [ port NR ] [ FLAG-LIST ]
	ip mptcp endpoint delete id ID [ ADDRESS ]
	ip mptcp endpoint change [ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT
	ip mptcp endpoint show [ id ID ]
	ip mptcp endpoint flush
	ip mptcp limits set [ subflows NR ] [ add_addr_accepted NR ]
	ip mptcp limits show
	ip mptcp monitor
FLAG-LIST := [ FLAG-LIST ] FLAG
FLAG  := [ signal | subflow | backup | fullmesh ]
CHANGE-OPT := [ backup | nobackup | fullmesh | nofullmesh ]`;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

function unknown(word: string | undefined): never {
  throw new UsageError(`Command "${word}" is unknown, try "ip mptcp help".`);
}

/** The words that set flags, as iproute2 takes them (whole words only); `no…` words add nothing. */
const FLAG_WORDS: Readonly<Record<string, string | undefined>> = {
  signal: "signal",
  subflow: "subflow",
  backup: "backup",
  fullmesh: "fullmesh",
  nobackup: undefined,
  nofullmesh: undefined,
};

/** The command an endpoint's words are read for. */
type Command = "add" | "delete" | "change" | "show";

/** What `mptcp_parse_opt` gathers. */
interface EndpointWords {
  id?: number;
  flags: string[];
  ifindex?: number;
  port: number;
  address?: string;
}

/** iproute2's check_ifname: 1 to 15 bytes, no '/' and no white space. */
function validIfname(name: string): boolean {
  return name !== "" && new TextEncoder().encode(name).length < 16 && !/[/\s]/.test(name);
}

/** Reads the words of `endpoint add|delete|change|show`, with iproute2's checks in its order. */
async function parseEndpoint(conn: Connection, cmd: Command, words: string[]): Promise<EndpointWords> {
  let links: LinkNames | undefined;
  const out: EndpointWords = { flags: [], port: 0 };
  const mask = () => out.flags.length === 0 ? 0 : MPTCP_PM_ADDR_FLAG.encode(out.flags);
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (Object.hasOwn(FLAG_WORDS, w)) {
      const flag = FLAG_WORDS[w];
      if (flag !== undefined && !out.flags.includes(flag)) out.flags.push(flag);
      const m = mask();
      if (cmd === "add" && (m & MPTCP_PM_ADDR_FLAG.bit("signal")) && (m & MPTCP_PM_ADDR_FLAG.bit("fullmesh"))) {
        throw invalidArgument("flags mustn't have both signal and fullmesh", w);
      }
      if (cmd === "change" && (m & ~MPTCP_PM_ADDR_FLAG.encode(["backup", "fullmesh"]))) {
        throw invalidArgument("invalid flags, backup and fullmesh only", w);
      }
    } else if (matches(w, "id")) {
      const v = a.value("id");
      const id = parseUnsigned(v, 0xff);
      if (id === undefined) throw invalidArgument("invalid ID\n", v);
      out.id = id;
    } else if (matches(w, "dev")) {
      const name = a.value("dev");
      if (!validIfname(name)) throw invalidArgument("invalid interface name\n", name);
      links ??= await LinkCache.loadNames(conn);
      const index = links.index(name);
      if (!index) throw invalidArgument("device does not exist\n", name);
      out.ifindex = index;
    } else if (matches(w, "port")) {
      const v = a.value("port");
      const port = parseUnsigned(v, 0xffff);
      if (port === undefined) throw invalidArgument("expected port", v);
      out.port = port;
    } else {
      out.address = prefixText(getAddr(w, AF_UNSPEC), false);
    }
  }
  if (out.address === undefined && cmd === "add") throw new UsageError('Error: argument "ADDRESS" is required');
  if (cmd === "delete") {
    if (out.id === undefined) throw new UsageError('Error: argument "ID" is required');
    if (out.id && out.address !== undefined) throw invalidArgument("invalid for non-zero id address\n", "ADDRESS");
    if (!out.id && out.address === undefined) {
      throw invalidArgument("address is needed for deleting id 0 address\n", "ID");
    }
  }
  if (cmd === "add" && out.port && !(mask() & MPTCP_PM_ADDR_FLAG.bit("signal"))) {
    throw invalidArgument("flags must have signal when using port", "port");
  }
  if (cmd === "change" && out.id !== undefined && out.port) throw invalidArgument("port can't be used with id", "port");
  return out;
}

/**
 * Runs `ip mptcp ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./mptcp.ts";
 * await run(ctx, ["endpoint", "add", "10.0.0.1", "dev", "p0", "subflow"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  if (args.length === 0 || matches(args[0], "help")) usage();
  using conn = await connect(ctx);
  await requireGenlFamily(conn, "mptcp_pm");
  const [object, sub, ...rest] = args;
  if (matches(object, "endpoint")) {
    if (sub === undefined) return await showEndpoints(ctx, conn, []);
    if (matches(sub, "add")) return await modify(conn, "add", rest);
    if (matches(sub, "change")) return await modify(conn, "change", rest);
    if (matches(sub, "delete")) return await modify(conn, "delete", rest);
    if (matches(sub, "show")) return await showEndpoints(ctx, conn, rest);
    if (matches(sub, "flush")) {
      await conn.flushMptcpEndpoints();
      return 0;
    }
    unknown(sub);
  }
  let words = args;
  if (matches(object, "limits")) {
    if (sub === undefined) return await showLimits(conn);
    if (matches(sub, "set")) return await setLimits(conn, rest);
    if (matches(sub, "show")) return await showLimits(conn);
    // iproute2 goes on to look for "monitor" in the word after "limits".
    words = args.slice(1);
  }
  if (matches(words[0], "monitor")) {
    if (words.length > 1) unknown(words[1]);
    return await monitor(ctx, conn);
  }
  unknown(words[0]);
}

async function modify(conn: Connection, cmd: "add" | "change" | "delete", words: string[]): Promise<number> {
  const w = await parseEndpoint(conn, cmd, words);
  if (cmd === "add") {
    await conn.addMptcpEndpoint({
      address: w.address!,
      id: w.id,
      flags: w.flags as MptcpEndpointFlag[],
      dev: w.ifindex,
      port: w.port || undefined,
    });
  } else if (cmd === "delete") {
    await conn.delMptcpEndpoint({ id: w.id!, address: w.address });
  } else {
    await conn.setMptcpEndpointFlags({
      id: w.id,
      address: w.address,
      port: w.port || undefined,
      flags: w.flags as ("backup" | "fullmesh")[],
    });
  }
  return 0;
}

async function showEndpoints(ctx: IpContext, conn: Connection, words: string[]): Promise<number> {
  const endpoints = words.length === 0
    ? await conn.getMptcpEndpoints()
    : [await conn.getMptcpEndpoint((await parseEndpoint(conn, "show", words)).id ?? 0)];
  const links = endpoints.some((e) => e.ifindex) ? await LinkCache.loadNames(conn) : undefined;
  const p = printer(ctx);
  p.startList();
  for (const e of endpoints) printEndpoint(p, e, links);
  p.endList();
  p.flush();
  return 0;
}

async function setLimits(conn: Connection, words: string[]): Promise<number> {
  const limits: { subflows?: number; addAddrAccepted?: number } = {};
  const a = new Args(words);
  while (a.more) {
    const w = a.next()!;
    if (matches(w, "subflows")) {
      const v = a.value("subflows");
      limits.subflows = parseUnsigned(v);
      if (limits.subflows === undefined) throw invalidArgument("invalid subflows\n", v);
    } else if (matches(w, "add_addr_accepted")) {
      const v = a.value("add_addr_accepted");
      limits.addAddrAccepted = parseUnsigned(v);
      if (limits.addAddrAccepted === undefined) throw invalidArgument("invalid add_addr_accepted\n", v);
    } else throw invalidArgument("unknown limit", w);
  }
  await conn.setMptcpLimits(limits);
  return 0;
}

async function showLimits(conn: Connection): Promise<number> {
  const limits = await conn.getMptcpLimits();
  // iproute2 prints the limits as text even with -j (no JSON writer is open there).
  const p = new Printer({ json: false, pretty: false });
  printLimits(p, limits);
  p.flush();
  return 0;
}

async function monitor(ctx: IpContext, conn: Connection): Promise<number> {
  const { eventLine } = await import("./mptcp_print.ts");
  const stamp = ctx.timestamp ? (await import("./monitor_print.ts")).timestampText : undefined;
  const encoder = new TextEncoder();
  for await (const ev of conn.mptcpEvents()) {
    if (ev.type === "overrun") {
      console.error("netlink receive error No buffer space available (105)");
      continue;
    }
    const line = (stamp ? stamp(ctx.timestamp === 2) : "") + eventLine(ev);
    const bytes = encoder.encode(line);
    for (let off = 0; off < bytes.length;) off += Deno.stdout.writeSync(bytes.subarray(off));
  }
  return 0;
}
