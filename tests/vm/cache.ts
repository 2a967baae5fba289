/**
 * The lane's cache, outside the repository: `~/.cache/nlink-vm/` (or
 * `$XDG_CACHE_HOME/nlink-vm/`). Each entry is a directory named after the
 * versions it was built from, built in a temporary sibling and renamed into
 * place, so an interrupted build is never mistaken for a finished one.
 *
 * @module
 */

/**
 * The cache root for the lane.
 *
 * @example
 * ```ts ignore
 * cacheRoot(); // "/root/.cache/nlink-vm"
 * ```
 */
export function cacheRoot(): string {
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  const home = Deno.env.get("HOME") ?? "/root";
  return `${xdg || `${home}/.cache`}/nlink-vm`;
}

/**
 * A version string made safe as a file name (`1:1.35.0-4` → `1_1.35.0-4`).
 *
 * @example
 * ```ts ignore
 * entryName("busybox", "1:1.35.0-4+deb12u1"); // "busybox_1_1.35.0-4+deb12u1"
 * ```
 */
export function entryName(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9.+-]/g, "_")).join("_");
}

/** A temporary build this old was abandoned (a build takes well under a minute). */
const STALE_BUILD_MS = 60 * 60 * 1000;

/**
 * Returns `dir/name`, building it with `build(tmp)` first when it is missing.
 * Older entries in `dir` (other versions) are removed once the new one is in
 * place: a kernel tree is ~400 MB.
 *
 * @example
 * ```ts ignore
 * const { path, built } = await cachedEntry(`${cacheRoot()}/kernel`, "linux-image_6.1.0", async (tmp) => {
 *   await Deno.writeTextFile(`${tmp}/hello`, "hi");
 * });
 * ```
 */
export async function cachedEntry(
  dir: string,
  name: string,
  build: (tmp: string) => Promise<void>,
): Promise<{ path: string; built: boolean }> {
  const path = `${dir}/${name}`;
  if (await exists(path)) return { path, built: false };
  await Deno.mkdir(dir, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir, prefix: ".tmp-" });
  try {
    await build(tmp);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
  for await (const entry of Deno.readDir(dir)) {
    // A temporary entry is another run's build in progress, unless it is old:
    // then a run was killed while building it.
    const stale = !entry.name.startsWith(".") ||
      Date.now() - ((await Deno.lstat(`${dir}/${entry.name}`)).mtime?.getTime() ?? 0) > STALE_BUILD_MS;
    if (entry.name !== name && stale) await Deno.remove(`${dir}/${entry.name}`, { recursive: true }).catch(() => {});
  }
  return { path, built: true };
}

/**
 * Whether a path exists.
 *
 * @example
 * ```ts ignore
 * await exists("/dev/kvm"); // false on this host
 * ```
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
