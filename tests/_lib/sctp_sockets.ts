/**
 * SCTP sockets for kernel tests: a listener on 127.0.0.1, a client connected
 * to it and the accepted socket, all made inside a test's namespace. Neither
 * Deno nor nlink opens SCTP sockets, and the VM lane's guest has no python3,
 * so this test helper calls libc itself (the one place in tests/ that does,
 * as bench/floors/ss_dump.ts does for the benchmarks): socket, bind, listen,
 * connect, accept, close.
 *
 * @module
 */
import { closeFd, inNetns, openNamespace } from "../../ffi/namespace.ts";

const SYMBOLS = {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  listen: { parameters: ["i32", "i32"], result: "i32" },
  connect: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  accept: { parameters: ["i32", "pointer", "pointer"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
} as const;

const AF_INET = 2, SOCK_STREAM = 1, IPPROTO_SCTP = 132;

/** struct sockaddr_in for 127.0.0.1:`port`. */
function loopback(port: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, AF_INET, true);
  v.setUint16(2, port, false);
  b.set([127, 0, 0, 1], 4);
  return b;
}

/** Three open SCTP sockets; `close()` closes them. */
export interface SctpSockets {
  /** The listening port. */
  port: number;
  /** Closes every socket. */
  close(): void;
}

/**
 * Opens, inside namespace `ns` (its `lo` up), a one-to-one SCTP listener on
 * 127.0.0.1:`port`, connects a client to it and accepts the association.
 *
 * @example
 * ```ts ignore
 * const s = openSctpPair(ns, 7000);
 * try { ... } finally { s.close(); }
 * ```
 */
export function openSctpPair(ns: string, port: number): SctpSockets {
  const libc = Deno.dlopen("libc.so.6", SYMBOLS);
  const c = libc.symbols;
  const fds: number[] = [];
  const must = (r: number, what: string) => {
    if (r < 0) throw new Error(`SCTP ${what} failed`);
    return r;
  };
  const nsFd = openNamespace(`/run/netns/${ns}`);
  try {
    inNetns(nsFd, () => {
      const listener = must(c.socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP), "socket");
      fds.push(listener);
      const addr = loopback(port);
      must(c.bind(listener, addr, addr.length), "bind");
      must(c.listen(listener, 4), "listen");
      const client = must(c.socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP), "socket");
      fds.push(client);
      must(c.connect(client, addr, addr.length), "connect"); // loopback: established within the call
      fds.push(must(c.accept(listener, null, null), "accept"));
    });
  } catch (e) {
    for (const fd of fds) c.close(fd);
    libc.close();
    throw e;
  } finally {
    closeFd(nsFd);
  }
  return {
    port,
    close() {
      for (const fd of fds) c.close(fd);
      libc.close();
    },
  };
}
