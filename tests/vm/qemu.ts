/**
 * Boots the guest under qemu and streams its console. KVM is not assumed (it
 * does not work on every host, e.g. nested or PVM ones): TCG with `-cpu max`.
 *
 * @module
 */
import { which } from "./exec.ts";

/** A host directory the guest mounts over 9p (virtio). */
export interface Share {
  /** The 9p mount tag the guest mounts by. */
  tag: string;
  /** The host directory. */
  path: string;
  /** Refuse the guest's writes. */
  readonly?: boolean;
}

/** Options for {@linkcode bootGuest}. */
export interface GuestOptions {
  /** An uncompressed ELF kernel (booted through PVH). */
  vmlinux: string;
  /** An uncompressed newc cpio archive; its /init runs as PID 1. */
  initramfs: string;
  /** Host directories to share. */
  shares: Share[];
  /** Virtual CPUs (multi-threaded TCG runs each on a host thread). */
  cpus: number;
  /** Guest memory in MiB. */
  memoryMiB: number;
  /** Kill the guest after this many seconds. */
  timeoutSeconds: number;
  /** Called with each console line (without line ending), as it arrives. */
  onLine: (line: string) => void;
}

/** How the guest ended. */
export interface GuestEnd {
  /** qemu's exit status. */
  status: Deno.CommandStatus;
  /** Whether it was killed for taking longer than the timeout. */
  timedOut: boolean;
}

/**
 * Boots the guest and waits until it powers off (or the timeout kills it).
 *
 * @example
 * ```ts ignore
 * const end = await bootGuest({
 *   vmlinux, initramfs, shares: [{ tag: "ctl", path: ctl }], cpus: 2, memoryMiB: 2048, timeoutSeconds: 600,
 *   onLine: (l) => console.log(l),
 * });
 * ```
 */
export async function bootGuest(o: GuestOptions): Promise<GuestEnd> {
  const qemu = await which("qemu-system-x86_64");
  if (!qemu) throw new Error("qemu-system-x86_64 not found (package qemu-system-x86)");
  const args = [
    ...["-accel", "tcg", "-cpu", "max", "-smp", String(o.cpus), "-m", String(o.memoryMiB)],
    // No default devices (NIC, VGA, floppy…): the serial console and the 9p shares are all the guest needs.
    ...["-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-no-reboot"],
    ...["-kernel", o.vmlinux, "-initrd", o.initramfs],
    // quiet: only errors on the console, so it carries the tests' output. panic=-1: a dying
    // /init reboots at once, which -no-reboot turns into qemu exiting.
    ...["-append", "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init"],
  ];
  for (const s of o.shares) {
    const ro = s.readonly ? ",readonly=on" : "";
    const path = s.path.replaceAll(",", ",,"); // qemu's escape for a comma inside an option value
    args.push("-virtfs", `local,path=${path},mount_tag=${s.tag},security_model=none,id=${s.tag}${ro}`);
  }
  const child = new Deno.Command(qemu, { args, stdin: "null", stdout: "piped", stderr: "inherit" }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, o.timeoutSeconds * 1000);
  try {
    const decoder = new TextDecoder();
    let pending = "";
    for await (const chunk of child.stdout) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) o.onLine(line.replace(/\r$/, ""));
    }
    if (pending) o.onLine(pending.replace(/\r$/, ""));
    return { status: await child.status, timedOut };
  } finally {
    clearTimeout(timer);
  }
}
