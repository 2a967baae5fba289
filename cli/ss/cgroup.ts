/**
 * cgroup v2 ids ⇄ paths for `cgroup PATH` filters and `-e` / `--cgroup`
 * output, as ss finds them: under the first cgroup2 mount of /proc/mounts,
 * where a cgroup's id is its directory's inode number.
 *
 * ss -N remounts /sys in a mount namespace of its own, so a cgroup2 mount
 * under /sys is gone for it: it then says "Failed to find cgroup2 mount"
 * (once when it builds its map, once per look-up) and prints
 * `unreachable:ID`. With `-N` this does the same, so the outputs agree.
 *
 * @module
 */

/** The first cgroup2 mount point, skipping those under /sys when `hideSys` (ss -N). */
function cgroup2Mount(hideSys: boolean): string | undefined {
  let mounts: string;
  try {
    mounts = Deno.readTextFileSync("/proc/mounts");
  } catch {
    return undefined;
  }
  for (const line of mounts.split("\n")) {
    const [, path, type] = line.split(" ");
    if (type !== "cgroup2") continue;
    if (hideSys && (path === "/sys" || path.startsWith("/sys/"))) continue;
    return path;
  }
  return undefined;
}

/**
 * A resolver of cgroup ids to paths (`/`, `/user.slice/…`), or
 * `unreachable:HEX` when not found (with ss's complaint on stderr).
 */
export function cgroupPathResolver(netnsSwitched: boolean): (id: bigint) => string {
  let map: Map<bigint, string> | undefined;
  const complain = () => console.error("Failed to find cgroup2 mount");
  return (id) => {
    if (!map) {
      map = new Map();
      const mnt = cgroup2Mount(netnsSwitched);
      if (mnt === undefined) complain();
      else walk(mnt, "", map);
    }
    const path = map.get(id);
    if (path !== undefined) return path;
    if (cgroup2Mount(netnsSwitched) === undefined) complain();
    return `unreachable:${id.toString(16)}`;
  };
}

function walk(root: string, rel: string, map: Map<bigint, string>): void {
  let ino: number | null;
  try {
    ino = Deno.statSync(root + rel).ino;
  } catch {
    return;
  }
  if (ino !== null) map.set(BigInt(ino), rel === "" ? "/" : rel);
  try {
    for (const e of Deno.readDirSync(root + rel)) {
      if (e.isDirectory) walk(root, `${rel}/${e.name}`, map);
    }
  } catch {
    // unreadable: skipped, as nftw's callers see it
  }
}

/** get_cgroup2_id: a path (absolute, or relative to the cgroup2 mount) → its id, 0n when not found. */
export function cgroupIdOf(path: string): bigint {
  const tryStat = (p: string) => {
    try {
      const ino = Deno.statSync(p).ino;
      return ino === null ? undefined : BigInt(ino);
    } catch {
      return undefined;
    }
  };
  const direct = tryStat(path);
  if (direct !== undefined) return direct;
  const rel = path.replace(/^\/+/, "");
  if (rel === "") {
    console.error("Invalid cgroup2 path");
    return 0n;
  }
  const mnt = cgroup2Mount(false);
  if (mnt === undefined) {
    console.error("Failed to find cgroup2 mount");
    return 0n;
  }
  const id = tryStat(`${mnt}/${rel}`);
  if (id === undefined) console.error("Failed to get cgroup2 ID: No such file or directory");
  return id ?? 0n;
}
