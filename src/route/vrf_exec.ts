/**
 * Running a command in a VRF, as `ip vrf exec` does: the process joins a cgroup
 * v2 group `…/[NETNS-ns/]vrf/NAME` whose BPF program (type cgroup_sock, hooked
 * on socket creation) sets every new socket's bound device to the VRF, then
 * replaces itself with the command. `default` is the group `…/vrf/` with no
 * program: sockets are bound to no device. `getVrfPids` lists the processes
 * in a VRF's group (`ip vrf pids`).
 *
 * The group lies under the caller's own cgroup, with the namespace's name as
 * a level when the connection's namespace has one under /var/run/netns, so
 * that VRFs of the same name in different namespaces stay apart.
 *
 * @example
 * ```ts ignore
 * import { Connection } from "../../mod.ts";
 * import { execInVrf } from "./vrf_exec.ts";
 * using conn = await Connection.open({ netns: "blue" });
 * await execInVrf(conn, "red", ["ping", "-c1", "10.0.0.1"]); // never returns on success
 * ```
 *
 * @module
 */
// bpf(2), execvp and mount are loaded when a VRF is entered, not with the library: most programs never do.
import type { EbpfInstruction } from "../../ffi/bpf.ts";
import { cTable } from "../core/ctable.ts";
import { NetlinkError, PermissionError, ValidationError } from "../core/errors.ts";
import { NETNS_RUN_DIR, type NetnsTarget, openNetns } from "../netns/mod.ts";
import type { Link } from "./link_types.ts";
import { readTextIfExists } from "../util/files.ts";

export type { EbpfInstruction } from "../../ffi/bpf.ts";

/** What these functions need of a connection: its namespace and link lookup. */
export interface VrfConnection {
  /** The namespace the connection works in (undefined: the caller's). */
  readonly netns?: NetnsTarget;
  /** Looks a link up by name. */
  getLink(dev: string): Promise<Link>;
}

/** The eBPF opcode parts of the socket program (<linux/bpf.h>, <linux/bpf_common.h>). */
const OP = cTable("linux/bpf.h", "BPF_", {
  ALU64: 0x07,
  MOV: 0xb0,
  X: 0x08,
  K: 0x00,
  STX: 0x03,
  W: 0x00,
  MEM: 0x60,
  JMP: 0x05,
  EXIT: 0x90,
});

/** Where the program writes: struct bpf_sock's bound_dev_if. */
const SOCK_FIELD = cTable("linux/bpf.h", "", { bound_dev_if: 0 }, {
  bound_dev_if: "offsetof(struct bpf_sock, bound_dev_if)",
});

/**
 * The instructions of the program that binds each new socket to `ifindex`
 * and lets the creation go on (the same program iproute2 loads).
 *
 * @example
 * ```ts
 * import { vrfSocketProgram } from "./vrf_exec.ts";
 * vrfSocketProgram(5).length; // 6
 * ```
 */
export function vrfSocketProgram(ifindex: number): EbpfInstruction[] {
  if (!Number.isInteger(ifindex) || ifindex <= 0 || ifindex > 0x7fffffff) {
    throw new ValidationError("ifindex", ifindex, "expected an interface index");
  }
  return [
    { code: OP.ALU64 | OP.MOV | OP.X, dst: 6, src: 1 }, // r6 = r1 (the socket)
    { code: OP.ALU64 | OP.MOV | OP.K, dst: 3, imm: ifindex }, // r3 = ifindex
    { code: OP.ALU64 | OP.MOV | OP.K, dst: 2, imm: SOCK_FIELD.bound_dev_if },
    { code: OP.STX | OP.W | OP.MEM, dst: 1, src: 3, off: SOCK_FIELD.bound_dev_if }, // sk->bound_dev_if = r3
    { code: OP.ALU64 | OP.MOV | OP.K, dst: 0, imm: 1 }, // allow the socket
    { code: OP.JMP | OP.EXIT },
  ];
}

/**
 * Where the cgroup v2 file system is mounted (the first such mount in
 * /proc/mounts), or undefined when none is.
 *
 * @example
 * ```ts ignore
 * import { cgroup2Mount } from "./vrf_exec.ts";
 * cgroup2Mount(); // "/sys/fs/cgroup"
 * ```
 */
export function cgroup2Mount(): string | undefined {
  for (const line of (readTextIfExists("/proc/mounts") ?? "").split("\n")) {
    const [, dir, type] = line.split(" ");
    // /proc/mounts spells spaces and the like as octal escapes.
    if (type === "cgroup2") return dir.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
  }
  return undefined;
}

/** Where iproute2 mounts cgroup2 when none is (e.g. inside `ip netns exec`, whose private /sys hides the host's). */
export const CGROUP2_FALLBACK_MOUNT = "/var/run/cgroup2";

/** The cgroup2 mount, mounting one at {@linkcode CGROUP2_FALLBACK_MOUNT} when there is none. */
async function requireCgroup2(): Promise<string> {
  const mnt = cgroup2Mount();
  if (mnt !== undefined) return mnt;
  try {
    Deno.mkdirSync(CGROUP2_FALLBACK_MOUNT, { recursive: true, mode: 0o755 });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) {
      throw new PermissionError(`--allow-write=${CGROUP2_FALLBACK_MOUNT}`, `create ${CGROUP2_FALLBACK_MOUNT}`, e);
    }
    throw e;
  }
  const { mountCgroup2 } = await import("../../ffi/exec.ts");
  mountCgroup2(CGROUP2_FALLBACK_MOUNT);
  return CGROUP2_FALLBACK_MOUNT;
}

/** The name under /var/run/netns of the namespace `target` (default: the caller's), or "" when it has none. */
function namespaceName(target: NetnsTarget | undefined): string {
  if (typeof target === "string") return target;
  if (target !== undefined && "name" in target) return target.name;
  const path = target === undefined
    ? "/proc/thread-self/ns/net"
    : "pid" in target
    ? `/proc/${target.pid}/ns/net`
    : "path" in target
    ? target.path
    : `/proc/self/fd/${target.fd}`;
  let want: Deno.FileInfo;
  try {
    want = Deno.statSync(path);
    for (const entry of Deno.readDirSync(NETNS_RUN_DIR)) {
      const info = Deno.statSync(`${NETNS_RUN_DIR}/${entry.name}`);
      if (info.ino === want.ino && info.dev === want.dev) return entry.name;
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw new PermissionError("--allow-read", `read ${path}`, e);
    // No /var/run/netns (or an entry vanished): the namespace has no name.
  }
  return "";
}

/** The caller's own group in the unified hierarchy, without a `/vrf…` tail and "" for the root. */
function ownCgroup(): string {
  for (const line of (readTextIfExists("/proc/self/cgroup") ?? "").split("\n")) {
    const at = line.indexOf("::/");
    if (at < 0) continue;
    let path = line.slice(at + 2);
    const vrf = path.indexOf("/vrf");
    if (vrf >= 0) path = path.slice(0, vrf);
    return path === "/" ? "" : path;
  }
  return "";
}

/**
 * The cgroup v2 directory a process joins for VRF `name` (ifindex 0: the
 * default VRF, `…/vrf/`) with the connection's namespace named `netnsName`.
 */
function vrfGroupPath(mnt: string, name: string, ifindex: number, netnsName: string): string {
  let base = ownCgroup();
  let level = "";
  if (netnsName !== "") {
    level = `${netnsName}-ns/`;
    // Already inside the namespace's level (e.g. exec'd from a VRF there): do not nest it again.
    if (base.slice(base.lastIndexOf("/") + 1) === `${netnsName}-ns`) base = base.slice(0, base.lastIndexOf("/"));
  }
  return `${mnt}${base}/${level}vrf/${ifindex ? name : ""}`.replace(/\/+$/, "/");
}

/** The ifindex of VRF device `name` in the connection's namespace; 0 for `default`. */
async function vrfIndex(conn: VrfConnection, name: string, allowDefault: boolean): Promise<number> {
  if (typeof name !== "string" || name === "") throw new ValidationError("name", name, "expected a VRF name");
  if (allowDefault && name === "default") return 0;
  let link: Link | undefined;
  try {
    link = await conn.getLink(name);
  } catch (e) {
    if (!(e instanceof NetlinkError && (e.isNotFound() || e.errno === 19))) throw e;
  }
  if (link?.linkinfo?.kind !== "vrf") throw new ValidationError("name", name, "not a VRF device");
  return link.index;
}

/**
 * Moves the calling process (all its threads) into VRF `name`'s cgroup v2
 * group, creating the group and attaching its socket program first; sockets
 * the process creates from then on are bound to the VRF (for `default`: to no
 * device). Returns the group's directory. Rejects with a `ValidationError`
 * when `name` is not a VRF device in the connection's namespace, and a
 * `NetlinkError` when no cgroup2 file system is mounted and none can be
 * (one is mounted at {@linkcode CGROUP2_FALLBACK_MOUNT} if needed) or the kernel refuses
 * the program (it needs CONFIG_CGROUP_BPF and CAP_SYS_ADMIN).
 *
 * @example
 * ```ts ignore
 * import { enterVrf } from "./vrf_exec.ts";
 * await enterVrf(conn, "red"); // "/sys/fs/cgroup/vrf/red"
 * ```
 */
export async function enterVrf(conn: VrfConnection, name: string): Promise<string> {
  const ifindex = await vrfIndex(conn, name, true);
  const path = vrfGroupPath(await requireCgroup2(), name, ifindex, namespaceName(conn.netns));
  try {
    Deno.mkdirSync(path, { recursive: true, mode: 0o755 });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw new PermissionError(`--allow-write=${path}`, `create ${path}`, e);
    throw new NetlinkError(0, `cannot create the VRF's cgroup ${path}: ${(e as Error).message}`, { cause: e });
  }
  if (ifindex) {
    const { BPF_ATTACH_TYPE, bpfClose, bpfProgAttach, bpfProgLoad } = await import("../../ffi/bpf.ts");
    const { openDirectory } = await import("../../ffi/exec.ts");
    const group = openDirectory(path);
    try {
      const prog = bpfProgLoad({ type: "cgroup_sock", license: "GPL", instructions: vrfSocketProgram(ifindex) });
      try {
        bpfProgAttach(prog, group, BPF_ATTACH_TYPE.CGROUP_INET_SOCK_CREATE);
      } finally {
        bpfClose(prog);
      }
    } finally {
      bpfClose(group);
    }
  }
  const procs = `${path.replace(/\/$/, "")}/cgroup.procs`;
  try {
    Deno.writeTextFileSync(procs, String(Deno.pid), { append: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw new PermissionError(`--allow-write=${procs}`, `write ${procs}`, e);
    throw new NetlinkError(0, `cannot join the VRF's cgroup (${procs}): ${(e as Error).message}`, { cause: e });
  }
  return path;
}

/**
 * Runs `argv` in VRF `name` the way `ip vrf exec` does: {@linkcode enterVrf},
 * then the process is replaced by the command (found through PATH), which
 * keeps the caller's stdio and pid, runs in the connection's namespace, and
 * whose exit status becomes the process's. Settles only on failure: the
 * errors of {@linkcode enterVrf}, or a `NetlinkError` with operation
 * `execvp` when the command cannot be run (the process stays in the group).
 *
 * @example
 * ```ts ignore
 * import { execInVrf } from "./vrf_exec.ts";
 * await execInVrf(conn, "default", ["sh", "-c", "echo hi"]);
 * ```
 */
export async function execInVrf(conn: VrfConnection, name: string, argv: readonly string[]): Promise<never> {
  if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== "string" || a.includes("\0"))) {
    throw new ValidationError("argv", argv, "expected a non-empty list of strings without NUL");
  }
  await enterVrf(conn, name);
  const { execCommand } = await import("../../ffi/exec.ts");
  if (conn.netns === undefined) return execCommand(argv);
  const ns = openNetns(conn.netns);
  try {
    return execCommand(argv, ns.fd);
  } finally {
    ns.close();
  }
}

/** A process in a VRF's group. */
export interface VrfProcess {
  /** The process id. */
  pid: number;
  /** Its command name (/proc/PID/status `Name:`), or undefined when it has ended. */
  command?: string;
}

/** Each `…/vrf/NAME/cgroup.procs` under `dir`, depth first in directory order, not looking inside `vrf` itself. */
function findGroups(dir: string, name: string, level: string, out: string[]): void {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name === "vrf") {
      if (level === "" || dir.slice(dir.lastIndexOf("/") + 1) === level) out.push(`${dir}/vrf/${name}/cgroup.procs`);
      continue;
    }
    if (entry.isDirectory) findGroups(`${dir}/${entry.name}`, name, level, out);
  }
}

/**
 * The processes in VRF `name`'s groups (`ip vrf pids`): every `vrf/NAME`
 * group in the cgroup v2 tree, restricted, when the connection's namespace
 * has a name, to groups under that namespace's level. Rejects with a
 * `ValidationError` when `name` is not a VRF device.
 *
 * @example
 * ```ts ignore
 * import { getVrfPids } from "./vrf_exec.ts";
 * for (const p of await getVrfPids(conn, "red")) console.log(p.pid, p.command);
 * ```
 */
export async function getVrfPids(conn: VrfConnection, name: string): Promise<VrfProcess[]> {
  await vrfIndex(conn, name, false);
  const mnt = await requireCgroup2();
  const netnsName = namespaceName(conn.netns);
  const files: string[] = [];
  findGroups(mnt.replace(/\/$/, ""), name, netnsName === "" ? "" : `${netnsName}-ns`, files);
  const out: VrfProcess[] = [];
  for (const file of files) {
    for (const line of (readTextIfExists(file) ?? "").split("\n")) {
      if (line === "") continue;
      const status = readTextIfExists(`/proc/${line}/status`);
      const command = status?.match(/^Name:\s*(.*)$/m)?.[1];
      out.push(command === undefined ? { pid: Number(line) } : { pid: Number(line), command });
    }
  }
  return out;
}
