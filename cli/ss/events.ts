/**
 * `ss -E`: TCP and UDP sockets printed as the kernel destroys them, one
 * render per socket, until the process is killed. As in ss, the expression
 * is checked in user space (there is no dump to give the kernel a filter),
 * the state selection is not applied, and ports are named by any protocol.
 *
 * @module
 */
import { NetlinkError } from "@nlink/nlink/core";
import type { InetSocket, SockDiagConnection, SockDiagGroup } from "@nlink/nlink/sockdiag";
import type { SsContext } from "./context.ts";
import { type InetShow, printInet } from "./inet.ts";

/** What `-E` listens for and shows. */
export interface FollowShow {
  /** The destroy groups of the selected tables and families (none: ss exits 255 with nothing printed). */
  groups: SockDiagGroup[];
  /** Families shown (ss checks each socket's family against the selection). */
  show: { inet: boolean; inet6: boolean };
  /** ss's user-space check of the filter expression. */
  check?: (s: InetSocket) => boolean;
  /** Prints what the renderer holds (called after each socket). */
  flush: () => void;
}

/**
 * Follows destroy notifications until killed; returns the exit code when the
 * stream ends (a lost notification ends it as ss's receive error does).
 */
export async function followEvents(ctx: SsContext, diag: SockDiagConnection, f: FollowShow): Promise<number> {
  if (f.groups.length === 0) return 255;
  const services = new Map<number, string>();
  for await (const ev of diag.events({ groups: f.groups })) {
    if (ev.type === "overrun") {
      console.error("netlink receive error No buffer space available (105)");
      return 255;
    }
    if (!await show(ctx, diag, f, ev.socket, services)) return 255;
    // Every notification renders, shown or not (so the header appears with the first one); widths only grow.
    ctx.r.render();
    f.flush();
  }
  return 0;
}

/** Prints one destroyed socket if the selection and filter take it; false when `-K` failed for good. */
async function show(
  ctx: SsContext,
  diag: SockDiagConnection,
  f: FollowShow,
  s: InetSocket,
  services: Map<number, string>,
): Promise<boolean> {
  if (!f.show[s.family]) return true;
  if (f.check && !f.check(s)) return true;
  if (ctx.opts.kill) {
    try {
      await diag.destroySocket(s);
    } catch (e) {
      if (!(e instanceof NetlinkError)) throw e;
      if (e.isNotSupported() || e.isNotFound()) return true;
      console.error(`SOCK_DESTROY answers: ${e.reason}`);
      return false;
    }
  }
  if (s.ifindex !== 0) await ctx.loadLinks?.();
  if (ctx.opts.resolve) await ctx.lookUpHostNames?.([s.src, s.dst]); // as ss: each event's names before it prints
  const protocol = (typeof s.protocol === "string" ? s.protocol : "tcp") as InetShow["protocol"];
  printInet(ctx, s, { protocol, states: 0, families: [], show: f.show, serviceProto: undefined }, services);
  return true;
}
