/**
 * Debian's stock kernel for the guest, cached per package version under
 * `<cache>/kernel/<package>_<version>/`:
 *
 * - `vmlinux`: the uncompressed ELF image taken out of vmlinuz. qemu boots
 *   it through its PVH entry point, which skips the kernel's own xz
 *   decompressor (about 4 s under TCG).
 * - `lib/modules/<release>/`: the whole module tree, `depmod`-ed (the .deb
 *   ships no modules.dep), shared with the guest as its /lib/modules.
 *
 * @module
 */
import { downloadPackage, type PackageRef, stockKernelPackage } from "./apt.ts";
import { cachedEntry, entryName, exists } from "./cache.ts";
import { exec, LaneUnavailable, which } from "./exec.ts";

/** A kernel ready to boot. */
export interface Kernel {
  /** The Debian package it came from. */
  package: PackageRef;
  /** `uname -r` in the guest, e.g. `6.1.0-50-amd64`. */
  release: string;
  /** The uncompressed ELF image. */
  vmlinux: string;
  /** The directory holding `<release>/`: the guest's /lib/modules. */
  modules: string;
}

/**
 * The current stock kernel, downloaded and prepared on first use. When apt
 * cannot say which kernel is current (offline), an already cached one is used.
 *
 * @example
 * ```ts ignore
 * const k = await ensureKernel(`${cacheRoot()}/kernel`);
 * k.release; // "6.1.0-50-amd64"
 * ```
 */
export async function ensureKernel(dir: string): Promise<Kernel & { built: boolean }> {
  let ref: PackageRef;
  try {
    ref = await stockKernelPackage();
  } catch (e) {
    const cached = await anyCachedKernel(dir);
    if (!(e instanceof LaneUnavailable) || !cached) throw e;
    console.log(`nlink-vm: ${e.message}; using the cached ${cached.package.name} ${cached.package.version}`);
    return { ...cached, built: false };
  }
  let entry;
  try {
    entry = await cachedEntry(dir, entryName(ref.name, ref.version), (tmp) => buildKernel(ref, tmp));
  } catch (e) {
    if (!(e instanceof LaneUnavailable)) throw e;
    // The lists named a version the archive no longer has: refresh them once.
    ref = await stockKernelPackage(true);
    entry = await cachedEntry(dir, entryName(ref.name, ref.version), (tmp) => buildKernel(ref, tmp));
  }
  return { ...(await readKernel(entry.path)), built: entry.built };
}

async function readKernel(path: string): Promise<Kernel> {
  const meta = JSON.parse(await Deno.readTextFile(`${path}/kernel.json`));
  return { package: meta.package, release: meta.release, vmlinux: `${path}/vmlinux`, modules: `${path}/lib/modules` };
}

async function anyCachedKernel(dir: string): Promise<Kernel | undefined> {
  if (!(await exists(dir))) return undefined;
  for await (const e of Deno.readDir(dir)) {
    if (!e.name.startsWith(".") && (await exists(`${dir}/${e.name}/kernel.json`))) {
      return readKernel(`${dir}/${e.name}`);
    }
  }
  return undefined;
}

async function buildKernel(ref: PackageRef, tmp: string): Promise<void> {
  console.log(`nlink-vm: downloading ${ref.name} ${ref.version}`);
  const deb = await downloadPackage(ref, tmp);
  await exec("dpkg-deb", ["-x", deb, `${tmp}/pkg`]);
  await Deno.remove(deb);
  // Debian moves /lib to /usr/lib over time: accept either.
  let tree = `${tmp}/pkg/lib/modules`;
  if (!(await exists(tree))) tree = `${tmp}/pkg/usr/lib/modules`;
  const releases = [];
  for await (const e of Deno.readDir(tree)) releases.push(e.name);
  if (releases.length !== 1) throw new Error(`${ref.name}: expected one module tree, found ${releases.join(", ")}`);
  const release = releases[0];
  await Deno.mkdir(`${tmp}/lib`);
  await Deno.rename(tree, `${tmp}/lib/modules`);
  await extractVmlinux(`${tmp}/pkg/boot/vmlinuz-${release}`, `${tmp}/vmlinux`);
  await Deno.remove(`${tmp}/pkg`, { recursive: true });
  const depmod = await which("depmod");
  if (!depmod) throw new Error("depmod not found (package kmod)");
  await exec(depmod, ["-b", tmp, release]);
  await Deno.writeTextFile(`${tmp}/kernel.json`, JSON.stringify({ package: ref, release }, null, 2) + "\n");
}

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

/**
 * Writes the ELF kernel inside a bzImage: the payload is the first xz stream.
 *
 * @example
 * ```ts ignore
 * await extractVmlinux("/boot/vmlinuz-6.1.0-50-amd64", "/tmp/vmlinux");
 * ```
 */
export async function extractVmlinux(vmlinuz: string, out: string): Promise<void> {
  const image = await Deno.readFile(vmlinuz);
  const at = indexOf(image, XZ_MAGIC);
  if (at < 0) throw new Error(`${vmlinuz}: no xz payload (is it compressed otherwise?)`);
  const xz = new Deno.Command("xz", { args: ["-dc", "--single-stream"], stdin: "piped", stdout: "piped" }).spawn();
  const file = await Deno.open(out, { write: true, create: true, truncate: true });
  const written = xz.stdout.pipeTo(file.writable);
  const input = xz.stdin.getWriter();
  // xz stops reading at the end of the stream; the bytes after it may meet a closed pipe.
  await input.write(image.subarray(at)).catch(() => {});
  await input.close().catch(() => {});
  const [status] = await Promise.all([xz.status, written]);
  if (!status.success) throw new Error(`xz could not decompress the payload of ${vmlinuz}`);
  const head = new Uint8Array(4);
  using f = await Deno.open(out);
  await f.read(head);
  if (head.join() !== "127,69,76,70") throw new Error(`${vmlinuz}: its payload is not an ELF image`);
}

function indexOf(haystack: Uint8Array, needle: number[]): number {
  for (let i = haystack.indexOf(needle[0]); i >= 0; i = haystack.indexOf(needle[0], i + 1)) {
    if (needle.every((b, j) => haystack[i + j] === b)) return i;
  }
  return -1;
}

/**
 * The module files (relative to the release directory) to load, in order,
 * so that `names` are loaded; built-in ones are left out.
 *
 * @example
 * ```ts ignore
 * await moduleLoadOrder(kernel, ["9pnet_virtio", "9p"]); // ["kernel/fs/netfs/netfs.ko", …, "kernel/fs/9p/9p.ko"]
 * ```
 */
export async function moduleLoadOrder(kernel: Kernel, names: string[]): Promise<string[]> {
  const base = `${kernel.modules}/${kernel.release}`;
  const norm = (s: string) => s.replace(/^.*\//, "").replace(/\.ko(\.\w+)?$/, "").replaceAll("-", "_");
  const deps = new Map<string, string[]>();
  const byName = new Map<string, string>();
  for (const line of (await Deno.readTextFile(`${base}/modules.dep`)).split("\n")) {
    const [path, rest] = line.split(":");
    if (rest === undefined) continue; // the empty last line
    deps.set(path, rest.trim().split(/\s+/).filter(Boolean));
    byName.set(norm(path), path);
  }
  const builtin = new Set((await Deno.readTextFile(`${base}/modules.builtin`)).split("\n").map(norm));
  const order: string[] = [];
  const visit = (path: string) => {
    if (order.includes(path)) return;
    for (const d of deps.get(path) ?? []) visit(d);
    order.push(path);
  };
  for (const name of names) {
    const path = byName.get(norm(name));
    if (path) visit(path);
    else if (!builtin.has(norm(name))) throw new Error(`kernel ${kernel.release} has no module ${name}`);
  }
  return order;
}
