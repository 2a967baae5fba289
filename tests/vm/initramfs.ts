/**
 * The guest's initramfs, cached under `<cache>/initramfs/<release>_<key>/`
 * where the key hashes everything copied into it: the kernel package
 * (for the 9p modules), busybox-static, iproute2, dash, libc6, the Deno
 * version (whose libraries are copied) and guest_init.sh.
 *
 * It holds only a small userland: busybox, dash as /bin/sh, iproute2's ip
 * and tc, the shared libraries of those and of deno, and the modules that
 * mount 9p. Deno itself, its cache, the checkout and the module tree come
 * from the host over 9p at boot.
 *
 * @module
 */
import { cachedEntry, exists } from "./cache.ts";
import { exec } from "./exec.ts";
import { type Kernel, moduleLoadOrder } from "./kernel.ts";

/** Bump when the initramfs layout changes, so old cache entries are rebuilt. */
const LAYOUT = 2; // 2: iproute2's bridge tool
const GUEST_INIT = new URL("./guest_init.sh", import.meta.url);
/** What /init needs before it can mount anything from the host. */
const BOOT_MODULES = ["virtio_pci", "9pnet_virtio", "9p"];
/** busybox applets the guest must not have: iproute2 and dash provide them. */
const SHADOWED_APPLETS = new Set(["busybox", "sh", "ip", "tc", "bridge"]);

/** Inputs of {@linkcode ensureInitramfs}. */
export interface InitramfsInputs {
  /** The kernel whose 9p modules go in. */
  kernel: Kernel;
  /** Host package versions ({@linkcode ensureHostPackages}'s result). */
  packages: Record<string, string>;
  /** The deno binary whose libraries the guest needs. */
  deno: string;
}

/**
 * The initramfs image for these inputs, built on first use.
 *
 * @example
 * ```ts ignore
 * const { path } = await ensureInitramfs(`${cacheRoot()}/initramfs`, { kernel, packages, deno: Deno.execPath() });
 * ```
 */
export async function ensureInitramfs(
  dir: string,
  inputs: InitramfsInputs,
): Promise<{ path: string; built: boolean }> {
  const key = {
    layout: LAYOUT,
    kernel: inputs.kernel.package,
    packages: ["busybox-static", "iproute2", "dash", "libc6"].map((p) => `${p}=${inputs.packages[p]}`),
    deno: Deno.version.deno,
    init: await sha256(await Deno.readFile(GUEST_INIT)),
  };
  const name = `${inputs.kernel.release}_${(await sha256(new TextEncoder().encode(JSON.stringify(key)))).slice(0, 16)}`;
  const entry = await cachedEntry(dir, name, async (tmp) => {
    console.log(`nlink-vm: building the initramfs (${name})`);
    await buildRootfs(`${tmp}/root`, inputs);
    // -R 0:0: root-owned files in the guest, whoever builds it.
    await exec("sh", ["-c", "cd root && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet > ../initramfs.cpio"], {
      cwd: tmp,
    });
    await Deno.remove(`${tmp}/root`, { recursive: true });
    await Deno.writeTextFile(`${tmp}/manifest.json`, JSON.stringify(key, null, 2) + "\n");
  });
  return { path: `${entry.path}/initramfs.cpio`, built: entry.built };
}

async function buildRootfs(root: string, { kernel, deno }: InitramfsInputs): Promise<void> {
  for (const d of ["bin", "sbin", "usr/sbin", "etc/modprobe.d", "proc", "sys", "dev", "tmp", "run", "root", "var"]) {
    await Deno.mkdir(`${root}/${d}`, { recursive: true });
  }
  await Deno.symlink("../run", `${root}/var/run`);

  await Deno.copyFile("/bin/busybox", `${root}/bin/busybox`);
  const applets = (await exec("/bin/busybox", ["--list"])).stdout.split("\n").filter(Boolean);
  for (const a of applets.filter((a) => !SHADOWED_APPLETS.has(a))) await Deno.symlink("busybox", `${root}/bin/${a}`);
  await Deno.symlink("../bin/busybox", `${root}/sbin/modprobe`); // the kernel's modprobe_path, for autoloading
  await Deno.copyFile("/bin/dash", `${root}/bin/dash`);
  await Deno.symlink("dash", `${root}/bin/sh`);

  const ip = await hostProgram("ip");
  const tc = await hostProgram("tc");
  const bridge = await hostProgram("bridge");
  await Deno.copyFile(ip, `${root}/usr/sbin/ip`);
  await Deno.copyFile(tc, `${root}/usr/sbin/tc`);
  await Deno.copyFile(bridge, `${root}/usr/sbin/bridge`);
  // tc's netem delay distributions, and ip's name tables.
  await copyTree("/usr/lib/x86_64-linux-gnu/tc", `${root}/usr/lib/x86_64-linux-gnu/tc`);
  await copyTree("/etc/iproute2", `${root}/etc/iproute2`);
  await copyTree("/usr/share/iproute2", `${root}/usr/share/iproute2`);

  for (const lib of await sharedLibraries(["/bin/dash", ip, tc, bridge, deno])) {
    await Deno.mkdir(`${root}${lib.slice(0, lib.lastIndexOf("/"))}`, { recursive: true });
    await Deno.copyFile(await Deno.realPath(lib), `${root}${lib}`);
  }
  await Deno.writeTextFile(`${root}/etc/passwd`, "root:x:0:0:root:/root:/bin/sh\n");
  await Deno.writeTextFile(`${root}/etc/group`, "root:x:0:\n");

  await Deno.mkdir(`${root}/boot-modules`);
  const order = await moduleLoadOrder(kernel, BOOT_MODULES);
  for (const m of order) {
    await Deno.copyFile(`${kernel.modules}/${kernel.release}/${m}`, `${root}/boot-modules/${base(m)}`);
  }
  await Deno.writeTextFile(`${root}/boot-modules/order`, order.map((m) => base(m) + "\n").join(""));

  await Deno.copyFile(GUEST_INIT, `${root}/init`);
  await Deno.chmod(`${root}/init`, 0o755);
}

/** Every library path `ldd` names for these programs (the loader included). */
async function sharedLibraries(programs: string[]): Promise<string[]> {
  const libs = new Set<string>();
  for (const p of programs) {
    for (const m of (await exec("ldd", [p])).stdout.matchAll(/(?:=> |^\s*)(\/\S+)/gm)) libs.add(m[1]);
  }
  return [...libs];
}

/** iproute2's program, wherever this Debian release puts it (/bin, /sbin or /usr/sbin). */
async function hostProgram(name: string): Promise<string> {
  for (const dir of ["/usr/sbin", "/sbin", "/bin", "/usr/bin"]) {
    if (await exists(`${dir}/${name}`)) return await Deno.realPath(`${dir}/${name}`);
  }
  throw new Error(`${name} not found (package iproute2)`);
}

async function copyTree(from: string, to: string): Promise<void> {
  if (!(await exists(from))) return;
  await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
  await exec("cp", ["-a", from, to]);
}

function base(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
