/**
 * `ip netns monitor` (iproute2's ip/ipnetns.c netns_monitor): prints `add NAME`
 * and `delete NAME` as named namespaces appear in and disappear from the
 * namespace directory, until killed.
 *
 * iproute2 watches the directory with inotify for creations and deletions only;
 * Deno.watchFs is inotify underneath, and its thread sleeps in the kernel while
 * nothing happens, so an idle monitor costs no CPU. Renames and modifications
 * are not reported, as iproute2 does not ask for them.
 *
 * @module
 */
import { NETNS_RUN_DIR } from "@nlink/nlink";
import { UsageError } from "../common/args.ts";

/** The directory as iproute2 6.1 names it in messages (NETNS_RUN_DIR at its build). */
const RUN_DIR_TEXT = "/run/netns";

/** strerror's text for what Deno reports. */
function errnoText(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "No such file or directory";
  if (e instanceof Deno.errors.PermissionDenied) return "Permission denied";
  if (e instanceof Deno.errors.NotADirectory) return "Not a directory";
  return e instanceof Error ? e.message : String(e);
}

/** The last component of a path the watcher reported. */
function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * Runs `ip netns monitor`: makes the directory if it is missing (mode 0755, as
 * iproute2 does), then prints one line per namespace added or deleted. Returns
 * only on failure (exit 1, iproute2's `return -1`).
 *
 * @example
 * ```ts ignore
 * import { monitorNetns } from "./netns_monitor.ts";
 * await monitorNetns(); // add ns1 / delete ns1 …
 * ```
 */
export async function monitorNetns(): Promise<number> {
  try {
    await Deno.mkdir(NETNS_RUN_DIR, { mode: 0o755 });
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) {
      throw new UsageError(`mkdir ${RUN_DIR_TEXT} failed: ${errnoText(e)}`, 1);
    }
  }
  let watcher: Deno.FsWatcher;
  try {
    watcher = Deno.watchFs(NETNS_RUN_DIR, { recursive: false });
  } catch (e) {
    throw new UsageError(`inotify_add_watch failed: ${errnoText(e)}`, 1);
  }
  const encoder = new TextEncoder();
  for await (const event of watcher) {
    const word = event.kind === "create" ? "add" : event.kind === "remove" ? "delete" : undefined;
    if (word === undefined) continue;
    let text = "";
    for (const path of event.paths) {
      // The directory's own removal comes as an event on itself: iproute2 prints nothing for it.
      if (path === NETNS_RUN_DIR || path.slice(0, path.lastIndexOf("/")) !== NETNS_RUN_DIR) continue;
      text += `${word} ${baseName(path)}\n`;
    }
    // Written at once, line by line, so that a reader through a pipe sees each change as it happens.
    if (text) await Deno.stdout.write(encoder.encode(text));
  }
  return 0;
}
