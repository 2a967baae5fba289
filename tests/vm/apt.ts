/**
 * The host's Debian packages: what the lane needs installed (qemu, busybox,
 * cpio, kmod, xz), their versions (the cache is keyed by them), and the
 * stock kernel package, fetched with `apt-get download` (never installed).
 *
 * @module
 */
import { exec, LaneUnavailable, which } from "./exec.ts";

/**
 * Packages the lane uses on the host. iproute2, dash and libc6 are copied
 * into the guest, so their versions key the initramfs too.
 */
export const HOST_PACKAGES = [
  "qemu-system-x86", // qemu-system-x86_64
  "busybox-static", // the guest's userland: a static binary needs no libraries
  "cpio", // packs the initramfs
  "kmod", // depmod: Debian's kernel package ships no modules.dep
  "xz-utils", // the kernel image inside vmlinuz is xz-compressed
  "iproute2", // the guest's ip and tc (busybox's applets lack -n, -j, tc flower…)
  "dash", // the guest's /bin/sh: busybox's sh would run its own ip applet ahead of $PATH
  "libc6",
] as const;

const APT_ENV = { DEBIAN_FRONTEND: "noninteractive" };
let updated = false;

/** `apt-get update`, at most once per run; the lane calls it only when apt's lists are missing or stale. */
async function aptUpdate(): Promise<void> {
  if (updated) return;
  updated = true;
  console.log("nlink-vm: apt-get update");
  const r = await exec("apt-get", ["update", "-q"], { env: APT_ENV, allowFail: true });
  if (r.code !== 0) throw new LaneUnavailable(`apt-get update failed: ${lastLines(r.stderr)}`);
}

/**
 * Installed versions of `packages` (missing ones are absent from the map).
 *
 * @example
 * ```ts ignore
 * (await installedVersions(["iproute2"])).get("iproute2"); // "6.1.0-3"
 * ```
 */
export async function installedVersions(packages: readonly string[]): Promise<Map<string, string>> {
  const r = await exec("dpkg-query", ["-W", "-f=${Package}\\t${db:Status-Status}\\t${Version}\\n", ...packages], {
    allowFail: true, // exits 1 when any package is unknown, and still lists the others
  });
  const versions = new Map<string, string>();
  for (const line of r.stdout.split("\n")) {
    const [name, status, version] = line.split("\t");
    if (status === "installed") versions.set(name, version);
  }
  return versions;
}

/**
 * Installs whichever of {@linkcode HOST_PACKAGES} are missing and returns every
 * one's version. Throws {@linkcode LaneUnavailable} when that cannot be done
 * here (no apt, not root, the archive unreachable).
 *
 * @example
 * ```ts ignore
 * const versions = await ensureHostPackages(); // { "qemu-system-x86": "1:7.2+dfsg-7+deb12u18+b3", … }
 * ```
 */
export async function ensureHostPackages(): Promise<Record<string, string>> {
  let versions = await installedVersions(HOST_PACKAGES);
  const missing = HOST_PACKAGES.filter((p) => !versions.has(p));
  if (missing.length > 0) {
    if (!(await which("apt-get"))) {
      throw new LaneUnavailable(`missing ${missing.join(", ")} and no apt-get (not Debian?)`);
    }
    if (Deno.uid() !== 0) throw new LaneUnavailable(`missing ${missing.join(", ")} and not root to install them`);
    console.log(`nlink-vm: installing ${missing.join(" ")} with apt`);
    const install = () =>
      exec("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], {
        env: APT_ENV,
        allowFail: true,
      });
    let r = await install();
    if (r.code !== 0) {
      // Stale or absent package lists are the usual cause in a fresh container.
      await aptUpdate();
      r = await install();
    }
    if (r.code !== 0) throw new LaneUnavailable(`cannot install ${missing.join(", ")}: ${lastLines(r.stderr)}`);
    versions = await installedVersions(HOST_PACKAGES);
  }
  return Object.fromEntries(HOST_PACKAGES.map((p) => [p, versions.get(p) ?? "?"]));
}

/** A Debian binary package at one version. */
export interface PackageRef {
  /** Package name, e.g. `linux-image-6.1.0-50-amd64`. */
  name: string;
  /** Its version, e.g. `6.1.176-1`. */
  version: string;
}

async function candidateOf(metaPackage: string): Promise<PackageRef | undefined> {
  // The meta package pins its kernel exactly: "Depends: linux-image-6.1.0-50-amd64 (= 6.1.176-1)".
  const show = await exec("apt-cache", ["show", "--no-all-versions", metaPackage], { allowFail: true });
  const m = show.stdout.match(/^Depends:.*?\b(linux-image-[^\s,]+) \(= ([^)\s]+)\)/m);
  return m ? { name: m[1], version: m[2] } : undefined;
}

/**
 * The package `linux-image-amd64` currently depends on: Debian's stock
 * kernel. Refreshes apt's lists once if they do not know it.
 *
 * @example
 * ```ts ignore
 * await stockKernelPackage(); // { name: "linux-image-6.1.0-50-amd64", version: "6.1.176-1" }
 * ```
 */
export async function stockKernelPackage(refresh = false): Promise<PackageRef> {
  if (refresh) await aptUpdate();
  let ref = await candidateOf("linux-image-amd64");
  if (!ref && !updated) {
    await aptUpdate();
    ref = await candidateOf("linux-image-amd64");
  }
  if (!ref) throw new LaneUnavailable("apt knows no linux-image-amd64 (is this Debian with its archive reachable?)");
  return ref;
}

/**
 * Downloads one package's .deb into `dir` (without installing it) and
 * returns its path.
 *
 * @example
 * ```ts ignore
 * const deb = await downloadPackage({ name: "linux-image-6.1.0-50-amd64", version: "6.1.176-1" }, "/tmp/k");
 * ```
 */
export async function downloadPackage(ref: PackageRef, dir: string): Promise<string> {
  // As root apt drops to the _apt user to download, which cannot write into a
  // private cache directory: tell it not to.
  const r = await exec("apt-get", ["download", "-q", "-o", "APT::Sandbox::User=root", `${ref.name}=${ref.version}`], {
    cwd: dir,
    allowFail: true,
  });
  if (r.code !== 0) throw new LaneUnavailable(`apt-get download ${ref.name}=${ref.version}: ${lastLines(r.stderr)}`);
  for await (const e of Deno.readDir(dir)) if (e.name.endsWith(".deb")) return `${dir}/${e.name}`;
  throw new Error(`apt-get download ${ref.name} left no .deb in ${dir}`);
}

function lastLines(text: string): string {
  return text.trim().split("\n").slice(-3).join(" / ");
}
