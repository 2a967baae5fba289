/**
 * A bpf file system for tests: mounted in a helper's private mount namespace
 * (so nothing is left on the host's /sys/fs/bpf), where programs are loaded
 * and pinned; alive until disposed.
 *
 * @module
 */
import { bpfClose, bpfObjPin, bpfProgLoad, type BpfProgLoadOptions } from "../../ffi/bpf.ts";

/** A program for {@linkcode Bpffs.pin}. */
export type PinnedProgram = Pick<BpfProgLoadOptions, "type" | "instructions">;

/** A private bpf file system; `dir` is where it is seen from this process. */
export class Bpffs implements AsyncDisposable {
  private constructor(private readonly child: Deno.ChildProcess, readonly dir: string) {}

  /** Mounts one (throws when unshare, mount or the bpf file system is unavailable). */
  static async open(): Promise<Bpffs> {
    const child = new Deno.Command("unshare", {
      args: ["--mount", "--propagation", "private", "sh", "-c", "mount -t bpf bpf /mnt && echo ready && exec cat"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.getReader();
    const first = await reader.read();
    reader.releaseLock();
    if (new TextDecoder().decode(first.value ?? new Uint8Array()).trim() !== "ready") {
      await child.stdin.close().catch(() => {});
      const out = await child.output();
      throw new Error(`mount -t bpf: ${new TextDecoder().decode(out.stderr).trim() || "failed"}`);
    }
    return new Bpffs(child, `/proc/${child.pid}/root/mnt`);
  }

  /** Loads `program`, pins it as `name` and returns the pinned path (the loading fd is closed). */
  pin(name: string, program: PinnedProgram): string {
    const fd = bpfProgLoad({ ...program, license: "GPL", name });
    try {
      bpfObjPin(fd, `${this.dir}/${name}`);
    } finally {
      bpfClose(fd);
    }
    return `${this.dir}/${name}`;
  }

  /** Unmounts (the helper exits, and its mount namespace with it). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.child.stdin.close().catch(() => {});
    await this.child.stdout.cancel().catch(() => {});
    await this.child.stderr.cancel().catch(() => {});
    await this.child.status;
  }
}

/** An XDP program that passes every packet: `r0 = 2 (XDP_PASS); exit`, of type BPF_PROG_TYPE_XDP (6, linux/bpf.h). */
export const XDP_PASS: PinnedProgram = { type: 6, instructions: [{ code: 0xb7, imm: 2 }, { code: 0x95 }] };

/**
 * Why XDP programs cannot be loaded and pinned here (no bpf file system, no bpf(2), …), or undefined when they can:
 * the reason a test that needs one is skipped with.
 *
 * @example
 * ```ts ignore
 * const NO_BPF = await xdpPinUnavailable();
 * ```
 */
export async function xdpPinUnavailable(): Promise<string | undefined> {
  try {
    await using fs = await Bpffs.open();
    fs.pin("probe", XDP_PASS);
    return undefined;
  } catch (e) {
    return `cannot load and pin an XDP program here: ${e instanceof Error ? e.message : e}`;
  }
}

/**
 * Loads {@linkcode XDP_PASS} under `name` (GPL) and returns its descriptor (close it with bpfClose).
 *
 * @example
 * ```ts ignore
 * const fd = loadXdpPass("pass_fd");
 * ```
 */
export function loadXdpPass(name?: string): number {
  return bpfProgLoad({ ...XDP_PASS, license: "GPL", ...(name === undefined ? {} : { name }) });
}

/**
 * Why an XDP program cannot be loaded here (bpf(2) refused, …), or undefined when it can.
 *
 * @example
 * ```ts ignore
 * const NO_BPF = xdpLoadUnavailable();
 * ```
 */
export function xdpLoadUnavailable(): string | undefined {
  try {
    bpfClose(loadXdpPass("probe"));
    return undefined;
  } catch (e) {
    return `cannot load an XDP program here: ${e instanceof Error ? e.message : e}`;
  }
}
