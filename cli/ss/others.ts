/**
 * The families ss filters in user space only: Unix, packet, netlink, vsock
 * and XDP sockets, dumped through the library and printed in ss's columns.
 *
 * @module
 */
import type { SockDiagConnection, UnixSocket } from "@nlink/nlink/sockdiag";
import {
  printAddr,
  printDetails,
  printState,
  printUsers,
  shutdownText,
  skmemText,
  type SsContext,
  stateNumber,
} from "./context.ts";
import { AF, type Expr, matchesPlain, type PlainSocket } from "./filter.ts";
import { llProtocolName, netlinkProtocolName, taskName } from "./names.ts";

/** The filter of a run, and which socket types are shown. */
export interface OtherShow {
  states: number;
  expr?: Expr;
  /** unix: stream, dgram, seqpacket; vsock: stream, dgram. */
  types: Set<string>;
}

const pass = (ctx: SsContext, show: OtherShow, s: PlainSocket) =>
  show.expr === undefined || matchesPlain(show.expr, s, ctx.ephemeral);

/** ss's unix_show (netlink path). */
export async function showUnix(ctx: SsContext, diag: SockDiagConnection, show: OtherShow): Promise<void> {
  const o = ctx.opts;
  const list: UnixSocket[] = await diag.getUnixSockets({
    states: show.states,
    show: [
      "name",
      "peer",
      "rqlen",
      ...(o.mem ? ["meminfo" as const] : []),
      ...(o.details ? ["vfs", "icons"] as const : []),
    ],
  }).catch(() => []);
  for (const s of list) {
    const type = typeof s.type === "string" ? s.type : "dgram";
    if ((type === "stream" || type === "dgram" || type === "seqpacket") && !show.types.has(type)) continue;
    if (ctx.own?.has(s.inode)) continue; // the Deno runtime's socketpair
    const name = s.name === undefined ? undefined : s.name.replaceAll("\0", "@");
    const peer = s.peer ?? 0;
    if (!pass(ctx, show, { family: AF.UNIX, lport: s.inode, rport: peer, name })) continue;
    const r = ctx.r;
    const netid = type === "stream" ? "u_str" : type === "seqpacket" ? "u_seq" : "u_dgr";
    printState(r, netid, stateNumber(s.state), s.rqlen?.rqueue ?? 0, s.rqlen?.wqueue ?? 0);
    printAddr(r, name ?? "*", " ", String(s.inode));
    printAddr(r, "*", " ", String(peer));
    printUsers(ctx, s.inode);
    if (o.mem && s.skmeminfo) r.out(skmemText(s.skmeminfo));
    if (o.details) {
      if (s.shutdown !== undefined) r.out(shutdownText(s.shutdown));
      if (s.vfs) r.out(` ino:${s.vfs.ino} dev:${major(s.vfs.dev)}/${minor(s.vfs.dev)}`);
      if (s.icons) r.out(" peers:" + s.icons.map((p) => ` ${p}`).join(""));
    }
  }
}

/** glibc's major()/minor() of a dev_t. */
function major(dev: number): number {
  return ((dev >>> 8) & 0xfff) >>> 0;
}
function minor(dev: number): number {
  return ((dev & 0xff) | ((dev >>> 12) & 0xfff00)) >>> 0;
}

const FANOUT = ["hash", "lb", "cpu", "roll", "random", "qm"];

/** ss's packet_show (netlink path). */
export async function showPacket(ctx: SsContext, diag: SockDiagConnection, show: OtherShow): Promise<void> {
  const o = ctx.opts;
  const list = await diag.getPacketSockets({ show: ["info", "meminfo", "filter", "ring_cfg", "fanout"] })
    .catch(() => []);
  if (list.some((s) => s.info?.index)) await ctx.loadLinks?.();
  const r = ctx.r;
  for (const s of list) {
    if (!s.skmeminfo) continue;
    const iface = s.info?.index ?? 0;
    if (!pass(ctx, show, { family: AF.PACKET, lport: iface, rport: 0, number: s.protocol, iface })) continue;
    printState(r, s.type === "raw" ? "p_raw" : "p_dgr", 7, s.skmeminfo.rmemAlloc, 0);
    printAddr(
      r,
      s.protocol === 3 ? "*" : llProtocolName(s.protocol, o.numeric),
      ":",
      iface ? ctx.linkName(iface) : "*",
    );
    printAddr(r, "", "*", "");
    printUsers(ctx, s.inode);
    if (o.details) printDetails(ctx, { uid: s.uid, inode: s.inode, cookie: s.cookie });
    if (o.details) {
      const nl = o.oneline ? " " : "\n\t";
      if (s.info) {
        const f = s.info.flags;
        let t = `${nl}ver:${s.info.version} cpy_thresh:${s.info.copyThresh} flags( `;
        if (f.includes("running")) t += "running";
        if (f.includes("auxdata")) t += " auxdata";
        if (f.includes("origdev")) t += " origdev";
        if (f.includes("vnethdr")) t += " vnethdr";
        if (f.includes("loss")) t += " loss";
        if (f.length === 0) t += "0";
        r.out(t + " )");
      }
      for (const [name, ring] of [["ring_rx", s.rxRing], ["ring_tx", s.txRing]] as const) {
        if (!ring) continue;
        r.out(
          `${nl}${name}(blk_size:${ring.blockSize},blk_nr:${ring.blockNr},frm_size:${ring.frameSize},` +
            `frm_nr:${ring.frameNr},tmo:${ring.retireTmo},features:0x${ring.features.toString(16)})`,
        );
      }
      if (s.fanout) {
        const type = s.fanout.type;
        r.out(`${nl}fanout(id:${s.fanout.id},type:${FANOUT[type] ?? `0x${type.toString(16)}`})`);
      }
    }
    if (o.bpf && s.filter) {
      let t = `${o.oneline ? " " : "\n\t"}bpf filter (${s.filter.length}): `;
      for (const f of s.filter) t += ` 0x${f.code.toString(16).padStart(2, "0")} ${f.jt} ${f.jf} ${f.k >>> 0},`;
      r.out(t);
    }
    if (o.mem) r.out(skmemText(s.skmeminfo));
  }
}

/** ss's netlink_show (netlink path). */
export async function showNetlink(ctx: SsContext, diag: SockDiagConnection, show: OtherShow): Promise<void> {
  const o = ctx.opts;
  const list = await diag.getNetlinkSockets({ show: ["groups", "meminfo"] }).catch(() => []);
  const r = ctx.r;
  for (const s of list) {
    const pid = s.portid | 0;
    if (
      show.expr !== undefined &&
      !matchesPlain(show.expr, { family: AF.NETLINK, lport: pid, rport: -1, number: s.protocol }, ctx.ephemeral)
    ) continue;
    printState(r, "nl", 7, s.skmeminfo?.rmemAlloc ?? 0, s.skmeminfo?.wmemAlloc ?? 0);
    let proc: string;
    if (pid === -1) proc = "*";
    else if (!o.numeric && pid === 0) proc = "kernel";
    else if (!o.numeric && pid > 0) {
      const task = taskName(pid);
      proc = task !== undefined ? `${task}/${pid}` : String(pid);
    } else proc = String(pid);
    printAddr(r, netlinkProtocolName(s.protocol, o.numeric), ":", proc);
    if (stateNumber(s.state) === 1) printAddr(r, String(s.dstGroup), ":", String(s.dstPortid | 0));
    else printAddr(r, "", "*", "");
    if (o.details) {
      let groups = 0;
      for (const g of s.groups ?? []) if (g >= 1 && g <= 32) groups |= 1 << (g - 1);
      r.out(` sk=0 cb=0 groups=0x${(groups >>> 0).toString(16).padStart(8, "0")}`);
    }
    if (o.mem) {
      r.out("\t");
      if (s.skmeminfo) r.out(skmemText(s.skmeminfo));
    }
  }
}

/** ss's vsock_show. */
export async function showVsock(ctx: SsContext, diag: SockDiagConnection, show: OtherShow): Promise<void> {
  const list = await diag.getVsockSockets({ states: show.states }).catch(() => []);
  const r = ctx.r;
  const text = (n: number) => (n >>> 0 === 0xffffffff ? "*" : String(n >>> 0));
  for (const s of list) {
    const type = s.type === "stream" ? "stream" : s.type === "dgram" ? "dgram" : "other";
    if (type !== "other" && !show.types.has(type)) continue;
    const plain = { family: AF.VSOCK, lport: s.srcPort, rport: s.dstPort, number: s.srcCid, remoteNumber: s.dstCid };
    if (!pass(ctx, show, plain)) continue;
    printState(r, type === "stream" ? "v_str" : type === "dgram" ? "v_dgr" : "???", stateNumber(s.state), 0, 0);
    printAddr(r, text(s.srcCid), ":", text(s.srcPort));
    printAddr(r, text(s.dstCid), ":", text(s.dstPort));
    printUsers(ctx, s.inode);
  }
}

/** ss's xdp_show: the socket line and details (rings and umem are not printed). */
export async function showXdp(ctx: SsContext, diag: SockDiagConnection, show: OtherShow): Promise<void> {
  const list = await diag.getXdpSockets().catch(() => []);
  if (list.length) await ctx.loadLinks?.();
  const r = ctx.r;
  for (const s of list) {
    const iface = s.info?.ifindex ?? 0, queue = s.info?.queueId ?? 0;
    if (!pass(ctx, show, { family: AF.XDP, lport: queue, rport: 0, iface })) continue;
    printState(r, "xdp", 7, s.skmeminfo?.rmemAlloc ?? 0, 0);
    if (iface) printAddr(r, ctx.linkName(iface), ":", `q${queue}`);
    else printAddr(r, "", "*", "");
    printAddr(r, "", "*", "");
    printUsers(ctx, s.inode);
    if (ctx.opts.details) printDetails(ctx, { uid: s.uid, inode: s.inode, cookie: s.cookie });
    if (ctx.opts.mem && s.skmeminfo) r.out(skmemText(s.skmeminfo));
  }
}
