/**
 * Pinned BPF objects, opened for a request by their path.
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";

/**
 * Opens the BPF object pinned at `file` and returns its fd. (Placeholder: being written.)
 *
 * @example
 * ```ts ignore
 * const fd = openPinnedBpf("/sys/fs/bpf/prog", "pinned");
 * ```
 */
export function openPinnedBpf(file: string, field: string): number {
  throw new ValidationError(field, file, "pinned BPF objects are not supported yet");
}

/**
 * Closes an fd {@linkcode openPinnedBpf} returned.
 *
 * @example
 * ```ts ignore
 * closePinnedBpf(fd);
 * ```
 */
export function closePinnedBpf(_fd: number): void {}
