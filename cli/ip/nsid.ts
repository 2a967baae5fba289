/**
 * Names for namespace ids (iproute2's get_name_from_nsid): `link-netns blue`
 * instead of `link-netnsid 0` when a named namespace has that id here.
 *
 * The library has no RTM_GETNSID operation yet, so this asks the kernel with a
 * raw request through the library's connection. RTM_GETNSID identifies a
 * namespace by file descriptor, and Deno does not expose a file's descriptor
 * number, so the descriptor is found in /proc/self/fd by the namespace's device and inode.
 *
 * @module
 */
import { type Connection, listNetns, MessageWriter, NETNS_RUN_DIR } from "@nlink/nlink";

const RTM_NEWNSID = 88;
const RTM_GETNSID = 90;
const NETNSA_NSID = 1;
const NETNSA_FD = 3;
const NLM_F_REQUEST = 1;

/** The descriptor number of an open namespace file, found by its device and inode. */
function fdOfInode(dev: number, ino: number): number | undefined {
  for (const e of Deno.readDirSync("/proc/self/fd")) {
    try {
      const st = Deno.statSync(`/proc/self/fd/${e.name}`);
      if (st.ino === ino && st.dev === dev) return Number(e.name);
    } catch {
      // closed while listing
    }
  }
  return undefined;
}

/** The id the connection's namespace gives the namespace open at `fd` (-1: none). */
async function nsidOfFd(conn: Connection, fd: number): Promise<number> {
  const w = new MessageWriter(32);
  const m = w.beginMessage(RTM_GETNSID, NLM_F_REQUEST);
  w.zeros(4); // struct rtgenmsg, padded
  w.attrU32(NETNSA_FD, fd);
  w.endMessage(m);
  return await conn.get(w.bytes(), (msg) => {
    if (msg.type !== RTM_NEWNSID) return undefined;
    let off = msg.offset + 16 + 4;
    const end = msg.offset + msg.length;
    while (off + 4 <= end) {
      const len = msg.view.getUint16(off, true);
      if (len < 4) break;
      if ((msg.view.getUint16(off + 2, true) & 0x3fff) === NETNSA_NSID && len >= 8) {
        return msg.view.getInt32(off + 4, true);
      }
      off += (len + 3) & ~3;
    }
    return -1;
  }, "getNsid");
}

/**
 * Maps namespace ids (as seen from the connection's namespace) to the names
 * under /var/run/netns; empty when they cannot be read.
 *
 * @example
 * ```ts ignore
 * const names = await nsidNames(conn);
 * names.get(0); // "blue"
 * ```
 */
export async function nsidNames(conn: Connection): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  let names: string[];
  try {
    names = await listNetns();
  } catch {
    return out;
  }
  for (const name of names) {
    const path = `${NETNS_RUN_DIR}/${name}`;
    let file: Deno.FsFile | undefined;
    try {
      const st = Deno.statSync(path);
      if (st.ino === null) continue;
      file = Deno.openSync(path);
      const fd = fdOfInode(st.dev, st.ino);
      if (fd === undefined) continue;
      const id = await nsidOfFd(conn, fd);
      if (id >= 0 && !out.has(id)) out.set(id, name);
    } catch {
      // not a namespace, or gone: iproute2 skips it too
    } finally {
      file?.close();
    }
  }
  return out;
}
