/**
 * `ip tuntap` (and `ip tap`): add and delete persistent tun/tap devices, and
 * list them with their flags and, with `-d`, the processes holding them.
 * Parsing follows iproute2's ip/iptuntap.c: an unknown word is the name, the
 * mode is required, errors print as iproute2's perror lines.
 *
 * @module
 */
import { NetlinkError, ValidationError } from "@nlink/nlink/core";
import { createTun, findTunProcesses, listTunTap, TUN_FLAG, type TunOptions } from "@nlink/nlink/tuntap";
import { invalidArgument, matches, UsageError } from "../common/args.ts";
import { Kind, type Printer } from "../common/output.ts";
import { Color } from "../common/color.ts";
import { connect, type IpContext, printer } from "./context.ts";

const USAGE = `Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }`;

function usage(): never {
  console.error(USAGE);
  throw new UsageError("", 255, true);
}

/**
 * Runs `ip tuntap ARGS…` and returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./tuntap.ts";
 * await run(ctx, ["add", "mode", "tap", "name", "tap0"]);
 * ```
 */
export async function run(ctx: IpContext, args: string[]): Promise<number> {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return await show(ctx);
  if (matches(cmd, "add")) return add(ctx, rest);
  if (matches(cmd, "delete")) return del(ctx, rest);
  if (matches(cmd, "show") || matches(cmd, "lst") || matches(cmd, "list")) return await show(ctx);
  if (matches(cmd, "help")) usage();
  throw new UsageError(`Command "${cmd}" is unknown, try "ip tuntap help".`);
}

/** What the words of `add`/`del` ask for. */
interface Request {
  name: string;
  mode?: "tun" | "tap";
  packetInfo: boolean;
  oneQueue: boolean;
  vnetHdr: boolean;
  multiQueue: boolean;
  /** (uid_t)-1 when not given. */
  owner: number;
  group: number;
}

const NONE = 0xffffffff;

/** iproute2's parse_args; `ids` is false for `del`, where `user`/`group` are not keywords. */
function parse(words: string[], ids: boolean): Request {
  const r: Request = {
    name: "",
    packetInfo: false,
    oneQueue: false,
    vnetHdr: false,
    multiQueue: false,
    owner: NONE,
    group: NONE,
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const next = () => {
      if (++i >= words.length) throw new UsageError('Command line is not complete. Try option "help"');
      return words[i];
    };
    if (matches(w, "mode")) {
      const m = next();
      let mode: "tun" | "tap";
      if (matches(m, "tun")) mode = "tun";
      else if (matches(m, "tap")) mode = "tap";
      else throw new UsageError(`Unknown tunnel mode "${m}"`);
      if (r.mode !== undefined && r.mode !== mode) {
        throw new UsageError("You managed to ask for more than one tunnel mode.");
      }
      r.mode = mode;
    } else if (ids && matches(w, "user")) {
      r.owner = idOf(next(), "/etc/passwd", "user");
    } else if (ids && matches(w, "group")) {
      r.group = idOf(next(), "/etc/group", "group");
    } else if (matches(w, "pi")) r.packetInfo = true;
    else if (matches(w, "one_queue")) r.oneQueue = true;
    else if (matches(w, "vnet_hdr")) r.vnetHdr = true;
    else if (matches(w, "multi_queue")) r.multiQueue = true;
    else if (matches(w, "dev")) {
      const v = next();
      if (!validIfname(v)) throw invalidArgument('"dev" not a valid ifname', v);
      r.name = v;
    } else {
      let v = w;
      if (matches(w, "name")) v = next();
      else if (matches(w, "help")) usage();
      if (r.name !== "") throw new UsageError(`Error: either "name" is duplicate, or "${v}" is a garbage.`);
      if (!validIfname(v)) throw invalidArgument('"name" not a valid ifname', v);
      r.name = v;
    }
  }
  if (r.mode === undefined) throw new UsageError("You failed to specify a tunnel mode", 1);
  return r;
}

/** iproute2's check_ifname: 1..15 bytes, no '/' and no white space (the kernel checks the rest). */
function validIfname(name: string): boolean {
  return name !== "" && new TextEncoder().encode(name).length < 16 && !/[/\s]/.test(name);
}

/** A user or group: a decimal number (as strtol reads it), else a name from `file`. */
function idOf(word: string, file: string, what: string): number {
  const m = /^\s*([+-]?)(\d+)$/.exec(word);
  if (m) {
    const n = BigInt(m[2]);
    return Number(BigInt.asUintN(32, m[1] === "-" ? -n : n));
  }
  const id = idByName(file, word);
  if (id === undefined) throw new UsageError(`invalid ${what} "${word}"`);
  return id;
}

function idByName(file: string, name: string): number | undefined {
  try {
    for (const line of Deno.readTextFileSync(file).split("\n")) {
      const f = line.split(":");
      if (f.length >= 3 && f[0] === name && /^\d+$/.test(f[2])) return Number(f[2]);
    }
  } catch {
    // unreadable: no such name
  }
  return undefined;
}

function options(ctx: IpContext, r: Request): TunOptions {
  return {
    mode: r.mode!,
    name: r.name === "" ? undefined : r.name,
    packetInfo: r.packetInfo,
    oneQueue: r.oneQueue,
    vnetHdr: r.vnetHdr,
    multiQueue: r.multiQueue,
    netns: ctx.netns,
  };
}

function add(ctx: IpContext, words: string[]): number {
  const r = parse(words, true);
  return tunIoctls(ctx, () => {
    using dev = createTun({
      ...options(ctx, r),
      exclusive: true,
      owner: r.owner === NONE ? undefined : r.owner,
      group: r.group === NONE ? undefined : r.group,
      persist: true,
    });
    void dev;
  });
}

function del(ctx: IpContext, words: string[]): number {
  const r = parse(words, false);
  return tunIoctls(ctx, () => {
    using dev = createTun(options(ctx, r));
    dev.setPersist(false);
  });
}

/** Runs the device's ioctls; failures print as iproute2's perror lines (exit 1). */
function tunIoctls(ctx: IpContext, fn: () => void): number {
  try {
    fn();
    return 0;
  } catch (e) {
    if (e instanceof ValidationError && e.field === "name") {
      // iproute2 hands such a name (':' in it, a bad % pattern, . or ..) to the kernel, which refuses it.
      console.error("ioctl(TUNSETIFF): Invalid argument");
      return 1;
    }
    if (e instanceof NetlinkError && e.operation !== undefined && !(e instanceof ValidationError)) {
      if (e.operation.startsWith("open netns") || e.message.includes("netns")) {
        if (e.errno === 2) {
          throw new UsageError(`Cannot open network namespace "${ctx.netns}": No such file or directory`, 255);
        }
        throw e;
      }
      const op = e.operation.startsWith("open ") ? "open" : e.operation;
      console.error(`${op}: ${e.reason}`);
      return 1;
    }
    throw e;
  }
}

/** The flag words, in iproute2's order. */
const FLAG_WORDS: [number, string][] = [
  [TUN_FLAG.TUN, "tun"],
  [TUN_FLAG.TAP, "tap"],
];

function printFlags(p: Printer, flags: number): void {
  p.openArray(Kind.Json, "flags");
  for (const [bit, word] of FLAG_WORDS) if (flags & bit) p.string(Kind.Any, null, " %s", word);
  // IFF_NO_PI and IFF_NOFILTER are the same bit: a device with packet info also shows "filter".
  if (!(flags & TUN_FLAG.NO_PI)) p.string(Kind.Any, null, " %s", "pi");
  if (flags & TUN_FLAG.ONE_QUEUE) p.string(Kind.Any, null, " %s", "one_queue");
  if (flags & TUN_FLAG.MULTI_QUEUE) p.string(Kind.Any, null, " %s", "multi_queue");
  if (flags & TUN_FLAG.VNET_HDR) p.string(Kind.Any, null, " %s", "vnet_hdr");
  if (flags & TUN_FLAG.PERSIST) p.string(Kind.Any, null, " %s", "persist");
  if (!(flags & TUN_FLAG.NO_PI)) p.string(Kind.Any, null, " %s", "filter");
  const known = TUN_FLAG.TUN | TUN_FLAG.TAP | TUN_FLAG.NO_PI | TUN_FLAG.ONE_QUEUE | TUN_FLAG.MULTI_QUEUE |
    TUN_FLAG.VNET_HDR | TUN_FLAG.PERSIST;
  const rest = flags & ~known;
  if (rest) p.hex0x(Kind.Any, null, " %#llx", rest);
  p.closeArray(Kind.Json);
}

async function show(ctx: IpContext): Promise<number> {
  using conn = await connect(ctx);
  const details = ctx.details > 0;
  const devices = await listTunTap(conn);
  // One scan of /proc serves every device; iproute2 scans once per device, and says so for each fd it may not read.
  const scan = details ? findTunProcesses() : undefined;
  const p = printer(ctx);
  p.startList();
  for (const d of devices) {
    // iproute2 lists only devices of hardware type none (tun) and ether (tap).
    if (d.linkType !== "none" && d.linkType !== "ether") continue;
    p.openObject();
    p.colorString(Kind.Any, Color.Ifname, "ifname", "%s:", d.name);
    printFlags(p, d.flags);
    if (d.owner !== undefined) p.uint(Kind.Any, "user", " user %ld", d.owner);
    if (d.group !== undefined) p.uint(Kind.Any, "group", " group %ld", d.group);
    if (details) {
      p.string(Kind.Text, null, "%s\tAttached to processes:", p.sl);
      p.openArray(Kind.Json, "processes");
      for (let i = 0; i < scan!.unreadable; i++) console.error("readlink: Permission denied");
      for (const q of scan!.queues) {
        if (q.device !== d.name || q.pid === Deno.pid) continue; // iproute2 leaves itself out
        p.string(Kind.Any, "name", "%s", q.name ?? "<NULL>");
        p.uint(Kind.Any, "pid", "(%d)", q.pid);
      }
      p.closeArray(Kind.Json);
    }
    p.closeObject();
    p.string(Kind.Text, null, "%s", "\n");
  }
  p.endList();
  p.flush();
  return 0;
}
