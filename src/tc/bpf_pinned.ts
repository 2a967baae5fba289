/**
 * Pinned BPF objects, opened for a request by their path: tc(8)'s
 * `object-pinned FILE` opens the object with bpf(BPF_OBJ_GET) and sends the
 * fd it got; the kernel takes its own reference while handling the request,
 * so the fd is closed once the request is sent. Loaded only when a request
 * names a pinned object (it opens the FFI library).
 *
 * @module
 */
import { bpfClose, bpfObjGet } from "../../ffi/bpf.ts";
import { NetlinkError, ValidationError } from "../core/errors.ts";

/**
 * Opens the BPF object pinned at `file` (an absolute path on a bpf file
 * system) and returns its fd. A bad path is a {@linkcode ValidationError}
 * naming `field`; a refusal from the kernel (no such file, not a BPF object,
 * no permission) a {@linkcode NetlinkError} naming the field and the path.
 *
 * @example
 * ```ts ignore
 * import { closePinnedBpf, openPinnedBpf } from "./bpf_pinned.ts";
 * const fd = openPinnedBpf("/sys/fs/bpf/prog", "pinned");
 * closePinnedBpf(fd);
 * ```
 */
export function openPinnedBpf(file: string, field: string): number {
  if (typeof file !== "string" || !file.startsWith("/") || file.includes("\0")) {
    throw new ValidationError(field, file, "expected the absolute path of a pinned BPF object");
  }
  try {
    return bpfObjGet(file);
  } catch (e) {
    if (!(e instanceof NetlinkError) || e instanceof ValidationError) throw e;
    const where = field === file ? file : `${field} ${file}`;
    throw NetlinkError.fromErrno(e.errno, { operation: `open pinned BPF object ${where}`, cause: e });
  }
}

/**
 * Closes an fd {@linkcode openPinnedBpf} returned.
 *
 * @example
 * ```ts ignore
 * import { closePinnedBpf, openPinnedBpf } from "./bpf_pinned.ts";
 * closePinnedBpf(openPinnedBpf("/sys/fs/bpf/prog", "pinned"));
 * ```
 */
export function closePinnedBpf(fd: number): void {
  bpfClose(fd);
}
