/**
 * The bpf(2) system call, the little of it nlink needs: opening a pinned
 * object (what tc(8)'s `object-pinned` does before it sends the fd), pinning
 * one, and loading a small program (for tests and tools that need a program
 * to pin). The only code that calls bpf(2); glibc has no wrapper, so it goes
 * through `syscall(SYS_bpf, …)`.
 *
 * Every fd returned is close-on-exec (the kernel makes BPF fds that way);
 * close it with {@linkcode bpfClose}. Failures are {@linkcode NetlinkError}s
 * with the errno's name.
 *
 * @module
 */
import { cTable } from "../src/core/ctable.ts";
import { NetlinkError, ValidationError } from "../src/core/errors.ts";
import { ERRNO } from "../src/core/errno.ts";
import { cString, errno, libc } from "./libc.ts";

/** The bpf(2) system call number of this machine's architecture (<sys/syscall.h>). */
const SYS = cTable("sys/syscall.h", "SYS_", { bpf: Deno.build.arch === "aarch64" ? 280 : 321 });

/** enum bpf_cmd: the commands used here. */
export const BPF_CMD: Readonly<
  Record<"PROG_LOAD" | "OBJ_PIN" | "OBJ_GET" | "PROG_ATTACH" | "PROG_GET_FD_BY_ID" | "OBJ_GET_INFO_BY_FD", number>
> = cTable(
  "linux/bpf.h",
  "BPF_",
  {
    PROG_LOAD: 5,
    OBJ_PIN: 6,
    OBJ_GET: 7,
    PROG_ATTACH: 8,
    PROG_GET_FD_BY_ID: 13,
    OBJ_GET_INFO_BY_FD: 15,
  },
);

/** enum bpf_prog_type: the program types traffic control runs, XDP's and `ip vrf exec`'s. */
export const BPF_PROG_TYPE: Readonly<
  Record<"SOCKET_FILTER" | "SCHED_CLS" | "SCHED_ACT" | "XDP" | "CGROUP_SOCK", number>
> = cTable(
  "linux/bpf.h",
  "BPF_PROG_TYPE_",
  {
    SOCKET_FILTER: 1,
    SCHED_CLS: 3,
    SCHED_ACT: 4,
    XDP: 6,
    CGROUP_SOCK: 9,
  },
);

/** enum bpf_attach_type: where {@linkcode bpfProgAttach} hooks a program (the one `ip vrf exec` uses). */
export const BPF_ATTACH_TYPE: Readonly<Record<"CGROUP_INET_SOCK_CREATE", number>> = cTable("linux/bpf.h", "BPF_", {
  CGROUP_INET_SOCK_CREATE: 2,
});

/**
 * Offsets inside union bpf_attr of the fields written here (the union has one
 * anonymous struct per command; audited with offsetof against linux/bpf.h).
 */
const ATTR = cTable("linux/bpf.h", "", {
  prog_type: 0,
  insn_cnt: 4,
  insns: 8,
  license: 16,
  log_level: 24,
  log_size: 28,
  log_buf: 32,
  prog_name: 48,
  pathname: 0,
  bpf_fd: 8,
  file_flags: 12,
  target_fd: 0,
  attach_bpf_fd: 4,
  attach_type: 8,
  prog_id: 0,
  info_bpf_fd: 0,
  info_len: 4,
  info: 8,
}, {
  prog_type: "offsetof(union bpf_attr, prog_type)",
  insn_cnt: "offsetof(union bpf_attr, insn_cnt)",
  insns: "offsetof(union bpf_attr, insns)",
  license: "offsetof(union bpf_attr, license)",
  log_level: "offsetof(union bpf_attr, log_level)",
  log_size: "offsetof(union bpf_attr, log_size)",
  log_buf: "offsetof(union bpf_attr, log_buf)",
  prog_name: "offsetof(union bpf_attr, prog_name)",
  pathname: "offsetof(union bpf_attr, pathname)",
  bpf_fd: "offsetof(union bpf_attr, bpf_fd)",
  file_flags: "offsetof(union bpf_attr, file_flags)",
  target_fd: "offsetof(union bpf_attr, target_fd)",
  attach_bpf_fd: "offsetof(union bpf_attr, attach_bpf_fd)",
  attach_type: "offsetof(union bpf_attr, attach_type)",
  prog_id: "offsetof(union bpf_attr, prog_id)",
  info_bpf_fd: "offsetof(union bpf_attr, info.bpf_fd)",
  info_len: "offsetof(union bpf_attr, info.info_len)",
  info: "offsetof(union bpf_attr, info.info)",
});

/** Offsets inside struct bpf_prog_info of the fields {@linkcode bpfProgInfo} reads. */
const PROG_INFO = cTable("linux/bpf.h", "", {
  type: 0,
  id: 4,
  tag: 8,
  jited_prog_len: 16,
  load_time: 40,
  created_by_uid: 48,
  name: 64,
  btf_id: 128,
}, {
  type: "offsetof(struct bpf_prog_info, type)",
  id: "offsetof(struct bpf_prog_info, id)",
  tag: "offsetof(struct bpf_prog_info, tag)",
  jited_prog_len: "offsetof(struct bpf_prog_info, jited_prog_len)",
  load_time: "offsetof(struct bpf_prog_info, load_time)",
  created_by_uid: "offsetof(struct bpf_prog_info, created_by_uid)",
  name: "offsetof(struct bpf_prog_info, name)",
  btf_id: "offsetof(struct bpf_prog_info, btf_id)",
});

/** BPF_TAG_SIZE: bytes of a program's tag (a hash of its instructions). */
const TAG_SIZE = cTable("linux/bpf.h", "BPF_", { TAG_SIZE: 8 }).TAG_SIZE;

/** BPF_OBJ_NAME_LEN: a program name's room, NUL included. */
const OBJ_NAME_LEN = cTable("linux/bpf.h", "BPF_", { OBJ_NAME_LEN: 16 }).OBJ_NAME_LEN;

/** Bytes of union bpf_attr sent for BPF_OBJ_GET/PIN (pathname, bpf_fd, file_flags). */
const OBJ_ATTR_SIZE = 16;
/** Bytes of union bpf_attr sent for BPF_PROG_GET_FD_BY_ID (prog_id, next_id, open_flags). */
const GET_FD_ATTR_SIZE = 12;
/** Bytes of union bpf_attr sent for BPF_OBJ_GET_INFO_BY_FD (bpf_fd, info_len, info). */
const INFO_ATTR_SIZE = 16;
/**
 * Bytes of struct bpf_prog_info asked for: through btf_id, all that is read. The kernel fills what it has of
 * the size given and says how much in info_len, so older and newer kernels both answer.
 */
const PROG_INFO_SIZE = 136;
/** Bytes of union bpf_attr sent for BPF_PROG_ATTACH (target_fd, attach_bpf_fd, attach_type, attach_flags). */
const ATTACH_ATTR_SIZE = 16;
/** Bytes sent for BPF_PROG_LOAD: through prog_name (older kernels refuse unknown non-zero bytes only). */
const PROG_ATTR_SIZE = ATTR.prog_name + OBJ_NAME_LEN;
/** Room for the verifier's log when a load fails. */
const LOG_SIZE = 64 * 1024;

/**
 * A buffer whose address stays put: pointers to it go inside bpf_attr, so it
 * must not be one of V8's small on-heap typed arrays, which the GC moves.
 */
function pinnedBytes(size: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new ArrayBuffer(size));
}

/** The address of `bytes` as a u64 for bpf_attr. */
function addressOf(bytes: Uint8Array<ArrayBuffer>): bigint {
  return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes)));
}

/** A NUL-terminated string in a buffer that does not move. */
function fixedCString(s: string): Uint8Array<ArrayBuffer> {
  const c = cString(s);
  const out = pinnedBytes(c.length);
  out.set(c);
  return out;
}

/** Runs bpf(cmd, attr); a failure becomes a NetlinkError for `operation` (errno read at once). */
function bpf(cmd: number, attr: Uint8Array<ArrayBuffer>, operation: string, extra?: () => string): number {
  const r = Number(libc().syscall(BigInt(SYS.bpf), BigInt(cmd), attr, attr.length));
  if (r < 0) {
    const e = errno();
    const message = extra?.();
    throw NetlinkError.fromErrno(e, { operation, extAck: message ? { message } : undefined });
  }
  return r;
}

function checkPath(path: unknown, field: string): string {
  if (typeof path !== "string" || path.length === 0 || path.includes("\0")) {
    throw new ValidationError(field, path, "expected a path");
  }
  return path;
}

function checkFd(fd: unknown, field: string): number {
  if (typeof fd !== "number" || !Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
    throw new ValidationError(field, fd, "expected a file descriptor");
  }
  return fd;
}

/**
 * Opens the BPF object (program or map) pinned at `path` on a bpf file system
 * (BPF_OBJ_GET) and returns a new fd for it.
 *
 * @example
 * ```ts ignore
 * import { bpfClose, bpfObjGet } from "./bpf.ts";
 * const fd = bpfObjGet("/sys/fs/bpf/tc/prog");
 * bpfClose(fd);
 * ```
 */
export function bpfObjGet(path: string): number {
  const file = fixedCString(checkPath(path, "path"));
  const attr = pinnedBytes(OBJ_ATTR_SIZE);
  new DataView(attr.buffer).setBigUint64(ATTR.pathname, addressOf(file), true);
  return bpf(BPF_CMD.OBJ_GET, attr, `bpf(BPF_OBJ_GET) ${path}`);
}

/**
 * Pins the BPF object `fd` at `path` (BPF_OBJ_PIN): a new name on a bpf file
 * system that keeps the object alive after its fds are closed. Remove the
 * pin with unlink.
 *
 * @example
 * ```ts ignore
 * import { bpfObjPin } from "./bpf.ts";
 * bpfObjPin(progFd, "/sys/fs/bpf/prog");
 * ```
 */
export function bpfObjPin(fd: number, path: string): void {
  const file = fixedCString(checkPath(path, "path"));
  const attr = pinnedBytes(OBJ_ATTR_SIZE);
  const view = new DataView(attr.buffer);
  view.setBigUint64(ATTR.pathname, addressOf(file), true);
  view.setUint32(ATTR.bpf_fd, checkFd(fd, "fd"), true);
  bpf(BPF_CMD.OBJ_PIN, attr, `bpf(BPF_OBJ_PIN) fd ${fd} at ${path}`);
}

/** One eBPF instruction (struct bpf_insn). */
export interface EbpfInstruction {
  /** The opcode (class | size/op | source), e.g. 0xb7 for `r = imm`, 0x95 for `exit`. */
  code: number;
  /** The destination register, 0–10 (default 0). */
  dst?: number;
  /** The source register, 0–10 (default 0). */
  src?: number;
  /** The signed 16-bit offset (default 0). */
  off?: number;
  /** The signed 32-bit immediate (default 0). */
  imm?: number;
}

/** What {@linkcode bpfProgLoad} loads. */
export interface BpfProgLoadOptions {
  /**
   * The program type: `"sched_cls"` (tc filters), `"sched_act"` (tc actions), `"socket_filter"`, `"cgroup_sock"`
   * (run on a cgroup's socket creation, as `ip vrf exec`'s), `"xdp"` (run on a device's received packets), or a
   * number.
   */
  type: "sched_cls" | "sched_act" | "socket_filter" | "cgroup_sock" | "xdp" | number;
  /** The instructions: a list, or their bytes (8 per instruction, as struct bpf_insn). */
  instructions: readonly EbpfInstruction[] | Uint8Array;
  /** The license: `"GPL"` lets the program call GPL-only helpers. */
  license: string;
  /** The program's name (at most 15 characters: letters, digits, `_` and `.`). */
  name?: string;
}

const TYPES: Record<string, number> = {
  sched_cls: BPF_PROG_TYPE.SCHED_CLS,
  sched_act: BPF_PROG_TYPE.SCHED_ACT,
  socket_filter: BPF_PROG_TYPE.SOCKET_FILTER,
  cgroup_sock: BPF_PROG_TYPE.CGROUP_SOCK,
  xdp: BPF_PROG_TYPE.XDP,
};

function intIn(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, value, `expected an integer ${min}..${max}`);
  }
  return value;
}

/** struct bpf_insn bytes for a list of instructions, checked. */
function instructionBytes(list: BpfProgLoadOptions["instructions"]): Uint8Array<ArrayBuffer> {
  if (list instanceof Uint8Array) {
    if (list.length === 0 || list.length % 8 !== 0) {
      throw new ValidationError("instructions", list.length, "expected 8 bytes per instruction");
    }
    const out = pinnedBytes(list.length);
    out.set(list);
    return out;
  }
  if (!Array.isArray(list) || list.length === 0) {
    throw new ValidationError("instructions", list, "expected a non-empty list of instructions");
  }
  const out = pinnedBytes(list.length * 8);
  const view = new DataView(out.buffer);
  list.forEach((insn: EbpfInstruction, i) => {
    const at = `instructions[${i}]`;
    if (insn === null || typeof insn !== "object") throw new ValidationError(at, insn, "expected { code, … }");
    view.setUint8(i * 8, intIn(insn.code, 0, 0xff, `${at}.code`));
    // dst_reg is the low nibble, src_reg the high one (little-endian bitfields).
    view.setUint8(i * 8 + 1, intIn(insn.dst ?? 0, 0, 15, `${at}.dst`) | intIn(insn.src ?? 0, 0, 15, `${at}.src`) << 4);
    view.setInt16(i * 8 + 2, intIn(insn.off ?? 0, -0x8000, 0x7fff, `${at}.off`), true);
    view.setInt32(i * 8 + 4, intIn(insn.imm ?? 0, -0x80000000, 0xffffffff, `${at}.imm`) | 0, true);
  });
  return out;
}

/**
 * Loads an eBPF program (BPF_PROG_LOAD) and returns its fd. When the kernel
 * refuses it, the load is retried with the verifier's log on, and the error
 * carries the log's last lines.
 *
 * @example
 * ```ts ignore
 * import { bpfClose, bpfProgLoad } from "./bpf.ts";
 * // r0 = 2 (TC_ACT_SHOT); exit
 * const fd = bpfProgLoad({ type: "sched_cls", license: "GPL", instructions: [{ code: 0xb7, imm: 2 }, { code: 0x95 }] });
 * bpfClose(fd);
 * ```
 */
export function bpfProgLoad(o: BpfProgLoadOptions): number {
  const type = typeof o.type === "string" ? TYPES[o.type] : o.type;
  if (type === undefined) throw new ValidationError("type", o.type, `expected ${Object.keys(TYPES).join(", ")}`);
  intIn(type, 0, 0xffffffff, "type");
  const insns = instructionBytes(o.instructions);
  if (typeof o.license !== "string" || o.license.includes("\0")) {
    throw new ValidationError("license", o.license, "expected a license name");
  }
  const license = fixedCString(o.license);
  const attr = pinnedBytes(PROG_ATTR_SIZE);
  const view = new DataView(attr.buffer);
  view.setUint32(ATTR.prog_type, type, true);
  view.setUint32(ATTR.insn_cnt, insns.length / 8, true);
  view.setBigUint64(ATTR.insns, addressOf(insns), true);
  view.setBigUint64(ATTR.license, addressOf(license), true);
  if (o.name !== undefined) {
    if (typeof o.name !== "string" || !/^[A-Za-z0-9_.]{0,15}$/.test(o.name)) {
      throw new ValidationError("name", o.name, "expected at most 15 letters, digits, _ or .");
    }
    attr.set(cString(o.name), ATTR.prog_name);
  }
  const operation = `bpf(BPF_PROG_LOAD) ${o.name ?? `type ${type}`}`;
  const first = Number(libc().syscall(BigInt(SYS.bpf), BigInt(BPF_CMD.PROG_LOAD), attr, attr.length));
  if (first >= 0) return first;
  const e = errno();
  // Only the verifier explains EACCES/EINVAL; other errors (EPERM, ENOMEM, …) say enough themselves.
  if (e !== ERRNO.EACCES && e !== ERRNO.EINVAL) throw NetlinkError.fromErrno(e, { operation });
  const log = pinnedBytes(LOG_SIZE);
  view.setUint32(ATTR.log_level, 1, true);
  view.setUint32(ATTR.log_size, LOG_SIZE, true);
  view.setBigUint64(ATTR.log_buf, addressOf(log), true);
  return bpf(BPF_CMD.PROG_LOAD, attr, operation, () => {
    const end = log.indexOf(0);
    const text = new TextDecoder().decode(log.subarray(0, end < 0 ? log.length : end)).trim();
    return text.split("\n").slice(-3).join(" / ");
  });
}

/**
 * Attaches the program `progFd` to the object `targetFd` (BPF_PROG_ATTACH),
 * e.g. a cgroup v2 directory opened read-only with the attach type
 * `BPF_ATTACH_TYPE.CGROUP_INET_SOCK_CREATE`. The attachment lives as long as
 * the cgroup, whatever happens to the fds.
 *
 * @example
 * ```ts ignore
 * import { BPF_ATTACH_TYPE, bpfProgAttach } from "./bpf.ts";
 * bpfProgAttach(progFd, cgroupFd, BPF_ATTACH_TYPE.CGROUP_INET_SOCK_CREATE);
 * ```
 */
export function bpfProgAttach(progFd: number, targetFd: number, attachType: number): void {
  const attr = pinnedBytes(ATTACH_ATTR_SIZE);
  const view = new DataView(attr.buffer);
  view.setUint32(ATTR.target_fd, checkFd(targetFd, "targetFd"), true);
  view.setUint32(ATTR.attach_bpf_fd, checkFd(progFd, "progFd"), true);
  view.setUint32(ATTR.attach_type, intIn(attachType, 0, 0xffffffff, "attachType"), true);
  bpf(BPF_CMD.PROG_ATTACH, attr, `bpf(BPF_PROG_ATTACH) fd ${progFd} to fd ${targetFd}`);
}

/**
 * Opens the loaded program whose id is `id` (BPF_PROG_GET_FD_BY_ID) and returns a new fd for it; ENOENT when
 * no program has that id (any more).
 *
 * @example
 * ```ts ignore
 * import { bpfClose, bpfProgGetFdById } from "./bpf.ts";
 * bpfClose(bpfProgGetFdById(42));
 * ```
 */
export function bpfProgGetFdById(id: number): number {
  const attr = pinnedBytes(GET_FD_ATTR_SIZE);
  new DataView(attr.buffer).setUint32(ATTR.prog_id, intIn(id, 1, 0xffffffff, "id"), true);
  return bpf(BPF_CMD.PROG_GET_FD_BY_ID, attr, `bpf(BPF_PROG_GET_FD_BY_ID) id ${id}`);
}

/** What the kernel says about a loaded program (the part of struct bpf_prog_info {@linkcode bpfProgInfo} reads). */
export interface BpfProgInfo {
  /** enum bpf_prog_type, e.g. 6 for XDP, 3 for tc classifiers. */
  type: number;
  /** The program's id (the one IFLA_XDP_PROG_ID and tc filters report). */
  id: number;
  /** The program's name as loaded (may be empty). */
  name: string;
  /** The tag: a hash of the instructions, as 16 hex digits. */
  tag: string;
  /** Whether the program was compiled to machine code (its JIT image has a length). */
  jited: boolean;
  /** When it was loaded, in nanoseconds since boot (0 when the kernel does not say). */
  loadTime: bigint;
  /** The uid that loaded it. */
  createdByUid: number;
  /** The id of its BTF type information, 0 when it has none. */
  btfId: number;
}

/**
 * Reads what the kernel says about the program open as `fd` (BPF_OBJ_GET_INFO_BY_FD). Fields past the end of
 * what the kernel filled in are 0.
 *
 * @example
 * ```ts ignore
 * import { bpfClose, bpfProgGetFdById, bpfProgInfo } from "./bpf.ts";
 * const fd = bpfProgGetFdById(42);
 * console.log(bpfProgInfo(fd).name);
 * bpfClose(fd);
 * ```
 */
export function bpfProgInfo(fd: number): BpfProgInfo {
  const info = pinnedBytes(PROG_INFO_SIZE);
  const attr = pinnedBytes(INFO_ATTR_SIZE);
  const view = new DataView(attr.buffer);
  view.setUint32(ATTR.info_bpf_fd, checkFd(fd, "fd"), true);
  view.setUint32(ATTR.info_len, PROG_INFO_SIZE, true);
  view.setBigUint64(ATTR.info, addressOf(info), true);
  bpf(BPF_CMD.OBJ_GET_INFO_BY_FD, attr, `bpf(BPF_OBJ_GET_INFO_BY_FD) fd ${fd}`);
  const v = new DataView(info.buffer);
  const nameBytes = info.subarray(PROG_INFO.name, PROG_INFO.name + OBJ_NAME_LEN);
  const end = nameBytes.indexOf(0);
  return {
    type: v.getUint32(PROG_INFO.type, true),
    id: v.getUint32(PROG_INFO.id, true),
    name: new TextDecoder().decode(end < 0 ? nameBytes : nameBytes.subarray(0, end)),
    tag: Array.from(info.subarray(PROG_INFO.tag, PROG_INFO.tag + TAG_SIZE), (b) => b.toString(16).padStart(2, "0"))
      .join(""),
    jited: v.getUint32(PROG_INFO.jited_prog_len, true) !== 0,
    loadTime: v.getBigUint64(PROG_INFO.load_time, true),
    createdByUid: v.getUint32(PROG_INFO.created_by_uid, true),
    btfId: v.getUint32(PROG_INFO.btf_id, true),
  };
}

/**
 * Closes an fd the functions here returned.
 *
 * @example
 * ```ts ignore
 * import { bpfClose, bpfObjGet } from "./bpf.ts";
 * bpfClose(bpfObjGet("/sys/fs/bpf/prog"));
 * ```
 */
export function bpfClose(fd: number): void {
  if (libc().close(checkFd(fd, "fd")) < 0) throw NetlinkError.fromErrno(errno(), { operation: `close fd ${fd}` });
}
