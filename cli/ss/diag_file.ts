/**
 * `ss -D FILE`: instead of printing, save the raw sock_diag replies of the
 * TCP dump — each datagram as received, the closing NLMSG_DONE included,
 * IPv4's then IPv6's — as iproute2's ss does. As there, the filter
 * expression plays no part (ss writes the file before it parses one): the
 * kernel is asked for the selected states and the extensions `-m`, `-i` and
 * `--tos` add. A FILE starting with `-` means standard output.
 *
 * @module
 */
import type { InetExtension, SockDiagConnection } from "@nlink/nlink/sockdiag";
import { UsageError } from "../common/args.ts";

/** What the dump asks the kernel for. */
export interface DiagFileRequest {
  /** The state mask. */
  states: number;
  /** The IP families dumped, in order. */
  families: ("inet" | "inet6")[];
  /** INET_DIAG extensions (`-m`, `-i`, `--tos`). */
  extensions: InetExtension[];
}

/**
 * Dumps TCP sockets and writes the replies to `path` (stdout for `-…`).
 *
 * @example
 * ```ts ignore
 * import { writeDiagFile } from "./diag_file.ts";
 * await writeDiagFile(diag, "tcp.diag", { states: 1 << 10, families: ["inet", "inet6"], extensions: [] });
 * ```
 */
export async function writeDiagFile(diag: SockDiagConnection, path: string, req: DiagFileRequest): Promise<void> {
  let file: Deno.FsFile | undefined;
  if (!path.startsWith("-")) {
    try {
      file = await Deno.open(path, { write: true, create: true, truncate: true });
    } catch (e) {
      // ss would crash here (it checks the wrong variable after fopen); we say why instead.
      throw new UsageError(`fopen dump file: ${e instanceof Error ? e.message : e}`, 255);
    }
  }
  try {
    for (const family of req.families) {
      const datagrams = await diag.rawInetDump({
        protocol: "tcp",
        states: req.states,
        ...(req.extensions.length ? { extensions: req.extensions } : {}),
      }, family);
      for (const d of datagrams) await writeAll(file, d);
    }
  } finally {
    file?.close();
  }
}

async function writeAll(file: Deno.FsFile | undefined, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    off += file ? await file.write(bytes.subarray(off)) : Deno.stdout.writeSync(bytes.subarray(off));
  }
}
