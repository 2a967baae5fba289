/**
 * What the kernel says about a loaded eBPF program, by id: what `ip link`
 * prints after `prog/xdp id N` (name, tag, whether it is JIT-compiled). The
 * bpf(2) module loads on the first call only, so importing this costs nothing
 * to programs that never ask.
 *
 * @module
 */
import { NetlinkError, ValidationError } from "../core/errors.ts";
import type { BpfProgInfo } from "../../ffi/bpf.ts";

/** A loaded eBPF program as BPF_OBJ_GET_INFO_BY_FD describes it (read by ffi/bpf.ts). */
export type { BpfProgInfo };

/**
 * Looks up the loaded eBPF program `id` (BPF_PROG_GET_FD_BY_ID, then
 * BPF_OBJ_GET_INFO_BY_FD). Resolves to `undefined` when no program has that id
 * any more; other failures (EPERM without CAP_SYS_ADMIN, …) reject with a
 * {@linkcode NetlinkError}. A bad id is a `ValidationError`.
 *
 * @example
 * ```ts ignore
 * import { Connection, getBpfProgInfo } from "@nlink/nlink";
 * using conn = await Connection.open();
 * const link = await conn.getLink("eth0");
 * if (link.xdp?.progId) console.log((await getBpfProgInfo(link.xdp.progId))?.name);
 * ```
 */
export async function getBpfProgInfo(id: number): Promise<BpfProgInfo | undefined> {
  if (typeof id !== "number" || !Number.isInteger(id) || id < 1 || id > 0xffffffff) {
    throw new ValidationError("id", id, "expected a program id 1..4294967295");
  }
  const { bpfClose, bpfProgGetFdById, bpfProgInfo } = await import("../../ffi/bpf.ts");
  let fd: number;
  try {
    fd = bpfProgGetFdById(id);
  } catch (e) {
    if (e instanceof NetlinkError && e.isNotFound()) return undefined;
    throw e;
  }
  try {
    const info = bpfProgInfo(fd);
    return { ...info, id: info.id || id };
  } finally {
    bpfClose(fd);
  }
}
