/**
 * Network namespaces: name them, create and delete them like `ip netns add/del`
 * (unshare + bind mount, no `ip` binary), list them, and open a handle that a
 * {@linkcode Connection} uses to create its sockets inside one — without moving
 * the calling process.
 *
 * @example
 * ```ts ignore
 * import { addNetns, deleteNetns, listNetns } from "./mod.ts";
 * await addNetns("blue");
 * console.log(await listNetns()); // ["blue"]
 * await deleteNetns("blue");
 * ```
 *
 * @module
 */
import {
  bindMount,
  closeFd,
  createFile,
  inNetns,
  inNewNetns,
  makeDirectory,
  makeShared,
  openNamespace,
  removeFile,
  THREAD_NETNS,
  unmountDetach,
} from "../../ffi/namespace.ts";
import { NetlinkError, PermissionError, ValidationError } from "../core/errors.ts";

/** Where named namespaces are bind-mounted (iproute2's NETNS_RUN_DIR). */
export const NETNS_RUN_DIR = "/var/run/netns";

/**
 * A network namespace: a name under /var/run/netns, a process id, a path to a
 * namespace file, or an already open file descriptor.
 */
export type NetnsTarget = string | { name: string } | { pid: number } | { path: string } | { fd: number };

/**
 * The namespace file of a target.
 *
 * @example
 * ```ts
 * import { netnsPath } from "./mod.ts";
 * netnsPath("blue");       // "/var/run/netns/blue"
 * netnsPath({ pid: 1 });   // "/proc/1/ns/net"
 * ```
 */
export function netnsPath(target: Exclude<NetnsTarget, { fd: number }>): string {
  if (typeof target === "string") return `${NETNS_RUN_DIR}/${checkName(target)}`;
  if ("name" in target) return `${NETNS_RUN_DIR}/${checkName(target.name)}`;
  if ("pid" in target) {
    if (!Number.isInteger(target.pid) || target.pid <= 0) {
      throw new ValidationError("netns.pid", target.pid, "expected a process id");
    }
    return `/proc/${target.pid}/ns/net`;
  }
  if (typeof target.path !== "string" || target.path === "") {
    throw new ValidationError("netns.path", target.path, "expected a namespace file path");
  }
  return target.path;
}

/**
 * Describes a target for messages, e.g. `netns blue`.
 *
 * @example
 * ```ts
 * import { describeNetns } from "./mod.ts";
 * describeNetns({ pid: 42 }); // "netns of pid 42"
 * ```
 */
export function describeNetns(target: NetnsTarget): string {
  if (typeof target === "string") return `netns ${target}`;
  if ("name" in target) return `netns ${target.name}`;
  if ("pid" in target) return `netns of pid ${target.pid}`;
  if ("fd" in target) return `netns fd ${target.fd}`;
  return `netns ${target.path}`;
}

function checkName(name: string): string {
  if (
    typeof name !== "string" || name === "" || name === "." || name === ".." || name.includes("/") ||
    name.includes("\0")
  ) {
    throw new ValidationError("netns name", name, "a namespace name is a non-empty file name without /");
  }
  return name;
}

/** An open namespace: pass `fd` to socket creation, then `close()` it. */
export interface NetnsHandle {
  /** The namespace file descriptor. */
  readonly fd: number;
  /** Closes the descriptor (a no-op for caller-owned `{ fd }` targets). */
  close(): void;
}

/**
 * Opens a namespace target for socket creation.
 *
 * @example
 * ```ts ignore
 * import { openNetns } from "./mod.ts";
 * const ns = openNetns("blue");
 * try { … } finally { ns.close(); }
 * ```
 */
export function openNetns(target: NetnsTarget): NetnsHandle {
  if (typeof target === "object" && "fd" in target) {
    if (!Number.isInteger(target.fd) || target.fd < 0) {
      throw new ValidationError("netns.fd", target.fd, "expected a file descriptor");
    }
    return { fd: target.fd, close() {} };
  }
  const path = netnsPath(target);
  let fd: number;
  try {
    fd = openNamespace(path);
  } catch (e) {
    if (e instanceof NetlinkError && e.errno === 2) {
      throw new NetlinkError(2, `${describeNetns(target)} does not exist (${path}: No such file or directory)`, {
        operation: "open netns",
        cause: e,
      });
    }
    throw e;
  }
  let open = true;
  return {
    fd,
    close() {
      if (open) closeFd(fd);
      open = false;
    },
  };
}

/**
 * Creates a named network namespace, like `ip netns add NAME`: makes
 * /var/run/netns a shared mount, creates NAME there, and bind-mounts a fresh
 * network namespace on it. The caller stays in its own namespace. Fails with
 * EEXIST if the name is taken.
 *
 * @example
 * ```ts ignore
 * import { addNetns } from "./mod.ts";
 * await addNetns("blue");
 * ```
 */
export function addNetns(name: string): Promise<void> {
  const path = netnsPath(name);
  try {
    prepareRunDir();
    createFile(path);
  } catch (e) {
    return Promise.reject(withOperation(e, `add netns ${name}`));
  }
  try {
    inNewNetns(() => bindMount(THREAD_NETNS, path));
  } catch (e) {
    removeFile(path);
    return Promise.reject(withOperation(e, `add netns ${name}`));
  }
  return Promise.resolve();
}

/**
 * Names the network namespace of process `pid`, like `ip netns attach NAME
 * PID`: creates NAME under /var/run/netns and bind-mounts the process's
 * namespace on it. Fails with EEXIST if the name is taken.
 *
 * @example
 * ```ts ignore
 * import { attachNetns } from "./mod.ts";
 * await attachNetns("container1", 4242);
 * ```
 */
export function attachNetns(name: string, pid: number): Promise<void> {
  const path = netnsPath(name);
  const source = netnsPath({ pid });
  try {
    prepareRunDir();
    createFile(path);
  } catch (e) {
    return Promise.reject(withOperation(e, `attach netns ${name}`));
  }
  try {
    bindMount(source, path);
  } catch (e) {
    removeFile(path);
    return Promise.reject(withOperation(e, `attach netns ${name}`));
  }
  return Promise.resolve();
}

/**
 * Starts a process whose network namespace is `target`, like `ip netns exec
 * NAME COMMAND`: the spawning thread enters the namespace just for the spawn,
 * so the child is born there and the caller never moves. Unlike iproute2 it
 * does not give the child a mount namespace with /sys remounted and
 * /etc/netns/NAME bound over /etc (a multi-threaded process cannot unshare
 * its mounts); tools that talk netlink or read /proc/net see the namespace.
 *
 * @example
 * ```ts ignore
 * import { spawnInNetns } from "./mod.ts";
 * const child = spawnInNetns("blue", "ip", { args: ["link"] });
 * await child.status;
 * ```
 */
export function spawnInNetns(
  target: NetnsTarget,
  command: string,
  options: Deno.CommandOptions = {},
): Deno.ChildProcess {
  const ns = openNetns(target);
  try {
    return inNetns(ns.fd, () => new Deno.Command(command, options).spawn());
  } finally {
    ns.close();
  }
}

/**
 * Deletes a named network namespace, like `ip netns del NAME`: unmounts and
 * removes the file. The namespace itself lives on while anything still uses it.
 *
 * @example
 * ```ts ignore
 * import { deleteNetns } from "./mod.ts";
 * await deleteNetns("blue");
 * ```
 */
export function deleteNetns(name: string): Promise<void> {
  const path = netnsPath(name);
  try {
    unmountDetach(path);
    const e = removeFile(path);
    if (e !== 0) throw NetlinkError.fromErrno(e, { operation: `delete netns ${name}` });
  } catch (e) {
    return Promise.reject(withOperation(e, `delete netns ${name}`));
  }
  return Promise.resolve();
}

/**
 * Lists the named namespaces (the entries of /var/run/netns), sorted.
 * Needs `--allow-read` for that directory.
 *
 * @example
 * ```ts ignore
 * import { listNetns } from "./mod.ts";
 * for (const name of await listNetns()) console.log(name);
 * ```
 */
export async function listNetns(): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(NETNS_RUN_DIR)) if (!e.isDirectory) names.push(e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    if (e instanceof Deno.errors.NotCapable) {
      throw new PermissionError(`--allow-read=${NETNS_RUN_DIR}`, "list network namespaces", e);
    }
    throw e;
  }
  return names.sort();
}

/**
 * Whether a named namespace exists.
 *
 * @example
 * ```ts ignore
 * import { netnsExists } from "./mod.ts";
 * await netnsExists("blue"); // false
 * ```
 */
export async function netnsExists(name: string): Promise<boolean> {
  return (await listNetns()).includes(checkName(name));
}

/**
 * Creates /var/run/netns as a shared mount point: mounts made under it must
 * propagate to every mount namespace (iproute2 does the same), so the first
 * time it is bind-mounted onto itself.
 */
function prepareRunDir(): void {
  makeDirectory(NETNS_RUN_DIR, 0o755);
  if (!makeShared(NETNS_RUN_DIR)) {
    bindMount(NETNS_RUN_DIR, NETNS_RUN_DIR, true);
    makeShared(NETNS_RUN_DIR);
  }
}

function withOperation(e: unknown, operation: string): unknown {
  if (e instanceof NetlinkError && !e.message.startsWith(operation)) {
    return new NetlinkError(e.errno, `${operation}: ${e.message}`, { operation, extAck: e.extAck, cause: e });
  }
  return e;
}
