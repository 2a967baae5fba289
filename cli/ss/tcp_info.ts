/**
 * The `-i` / `-m` line of a TCP (and MPTCP) socket, field for field as ss
 * prints tcp_info: options, window scales, rto/rtt, MSS and windows, byte
 * and segment counters, congestion-control info, rates and times.
 *
 * @module
 */
import type { InetSocket, MptcpInfo, TcpInfo } from "@nlink/nlink/sockdiag";
import { fmtG, skmemText, type SsContext, stateNumber } from "./context.ts";

/** sprint_bw: bits per second in ss's units (`1.31T`, `800k`), or whole with `-n`. */
function bw(numeric: boolean, x: number): string {
  if (numeric) return x.toFixed(0);
  if (x >= 1e12) return fmtG(x / 1e12, 3) + "T";
  if (x >= 1e9) return fmtG(x / 1e9, 3) + "G";
  if (x >= 1e6) return fmtG(x / 1e6, 3) + "M";
  if (x >= 1e3) return fmtG(x / 1e3, 3) + "k";
  return fmtG(x);
}

const U64_MAX = 0xffffffffffffffffn;

/** The memory part (`skmem:(…)`, or `mem:(…)` from the older counters). */
function memText(s: InetSocket): string {
  if (s.skmeminfo) return skmemText(s.skmeminfo);
  if (s.meminfo) return ` mem:(r${s.meminfo.rmem},w${s.meminfo.wmem},f${s.meminfo.fmem},t${s.meminfo.tmem})`;
  return "";
}

/** tcp_show_info: memory, then tcp_info's fields, then MD5 keys and the ULP. */
export function tcpInfoText(ctx: SsContext, s: InetSocket): string {
  let o = memText(s);
  const i = s.tcpInfo;
  if (i) o += tcpStats(ctx, s, i);
  if (s.ulp?.name) o += ` tcp-ulp-${s.ulp.name}`;
  if (s.ulp?.mptcp) o += subflowText(s.ulp.mptcp);
  return o;
}

const SUBFLOW_FLAGS: [string, number, string][] = [
  ["mcap_rem", 1, "M"],
  ["mcap_loc", 2, "m"],
  ["join_rem", 4, "J"],
  ["join_loc", 8, "j"],
  ["bkup_rem", 16, "B"],
  ["bkup_loc", 32, "b"],
  ["fully_established", 64, "e"],
  ["connected", 128, "c"],
  ["mapvalid", 256, "v"],
];

/** mptcp_subflow_info: an MPTCP subflow's flags, tokens and mapping. */
function subflowText(m: Record<string, unknown>): string {
  let o = "";
  const flags = m.flags;
  if (flags !== undefined) {
    const has = (name: string, bit: number) =>
      typeof flags === "number"
        ? (flags & bit) !== 0
        : Array.isArray(flags) && flags.some((f) => String(f).toLowerCase() === name);
    const caps = SUBFLOW_FLAGS.filter(([n, b]) => has(n, b)).map(([, , c]) => c).join("");
    if (caps) o += ` flags:${caps}`;
  }
  const hex = (x: unknown) => (typeof x === "bigint" ? x : BigInt(Number(x) >>> 0)).toString(16);
  if (
    m.tokenRemote !== undefined && m.tokenLocal !== undefined && m.idRemote !== undefined && m.idLocal !== undefined
  ) {
    o += ` token:${hex(m.tokenRemote).padStart(4, "0")}(id:${m.idRemote})/${
      hex(m.tokenLocal).padStart(4, "0")
    }(id:${m.idLocal})`;
  }
  if (m.mapSeq !== undefined) o += ` seq:${hex(m.mapSeq)}`;
  if (m.mapSubflowSeq !== undefined) o += ` sfseq:${hex(m.mapSubflowSeq)}`;
  if (m.ssnOffset !== undefined) o += ` ssnoff:${hex(m.ssnOffset)}`;
  if (m.mapDataLength !== undefined) o += ` maplen:${hex(m.mapDataLength)}`;
  return o;
}

function tcpStats(ctx: SsContext, s: InetSocket, i: TcpInfo): string {
  const numeric = ctx.opts.numeric;
  const has = (opt: string) => i.options.includes(opt);
  let o = "";
  if (ctx.opts.showOptions) {
    if (has("timestamps")) o += " ts";
    if (has("sack")) o += " sack";
    if (has("ecn")) o += " ecn";
    if (has("ecn_seen")) o += " ecnseen";
    if (has("syn_data")) o += " fastopen";
  }
  if (s.congestion) o += ` ${s.congestion.slice(0, 15)}`;
  if (has("wscale")) o += ` wscale:${i.sndWscale},${i.rcvWscale}`;
  if (i.rto && i.rto !== 3000000) o += ` rto:${fmtG(i.rto / 1000)}`;
  if (i.backoff) o += ` backoff:${i.backoff}`;
  if (i.rtt) o += ` rtt:${fmtG(i.rtt / 1000)}/${fmtG(i.rttvar / 1000)}`;
  if (i.ato) o += ` ato:${fmtG(i.ato / 1000)}`;
  if (i.sndMss) o += ` mss:${i.sndMss}`;
  if (i.pmtu) o += ` pmtu:${i.pmtu}`;
  if (i.rcvMss) o += ` rcvmss:${i.rcvMss}`;
  if (i.advmss) o += ` advmss:${i.advmss}`;
  if (i.sndCwnd) o += ` cwnd:${i.sndCwnd}`;
  if (i.sndSsthresh < 0xffff && i.sndSsthresh) o += ` ssthresh:${i.sndSsthresh}`;
  if (i.bytesSent) o += ` bytes_sent:${i.bytesSent}`;
  if (i.bytesRetrans) o += ` bytes_retrans:${i.bytesRetrans}`;
  if (i.bytesAcked) o += ` bytes_acked:${i.bytesAcked}`;
  if (i.bytesReceived) o += ` bytes_received:${i.bytesReceived}`;
  if (i.segsOut) o += ` segs_out:${i.segsOut}`;
  if (i.segsIn) o += ` segs_in:${i.segsIn}`;
  if (i.dataSegsOut) o += ` data_segs_out:${i.dataSegsOut}`;
  if (i.dataSegsIn) o += ` data_segs_in:${i.dataSegsIn}`;
  const d = s.dctcpInfo;
  if (d && d.enabled) o += ` dctcp:(ce_state:${d.ceState},alpha:${d.alpha},ab_ecn:${d.abEcn},ab_tot:${d.abTot})`;
  else if (d) o += " dctcp:fallback_mode";
  const b = s.bbrInfo;
  if (b) {
    o += ` bbr:(bw:${bw(numeric, Number(b.bw) * 8)}bps,mrtt:${fmtG(b.minRtt / 1000)}`;
    if (b.pacingGain) o += `,pacing_gain:${fmtG(b.pacingGain / 256)}`;
    if (b.cwndGain) o += `,cwnd_gain:${fmtG(b.cwndGain / 256)}`;
    o += ")";
  }
  let rtt = i.rtt;
  const v = s.vegasInfo;
  if (v && v.enabled && v.rtt && v.rtt !== 0x7fffffff) rtt = v.rtt;
  if (rtt > 0 && i.sndMss && i.sndCwnd) o += ` send ${bw(numeric, (i.sndCwnd * i.sndMss * 8000000) / rtt)}bps`;
  if (i.lastDataSent) o += ` lastsnd:${i.lastDataSent}`;
  if (i.lastDataRecv) o += ` lastrcv:${i.lastDataRecv}`;
  if (i.lastAckRecv) o += ` lastack:${i.lastAckRecv}`;
  if (i.pacingRate && i.pacingRate !== U64_MAX) {
    o += ` pacing_rate ${bw(numeric, Number(i.pacingRate) * 8)}bps`;
    if (i.maxPacingRate && i.maxPacingRate !== U64_MAX) o += `/${bw(numeric, Number(i.maxPacingRate) * 8)}bps`;
  }
  if (i.deliveryRate) o += ` delivery_rate ${bw(numeric, Number(i.deliveryRate) * 8)}bps`;
  if (i.delivered) o += ` delivered:${i.delivered}`;
  if (i.deliveredCe) o += ` delivered_ce:${i.deliveredCe}`;
  if (i.deliveryRateAppLimited) o += " app_limited";
  if (i.busyTime) {
    const busy = Number(i.busyTime);
    o += ` busy:${i.busyTime / 1000n}ms`;
    if (i.rwndLimited) {
      o += ` rwnd_limited:${i.rwndLimited / 1000n}ms(${((100 * Number(i.rwndLimited)) / busy).toFixed(1)}%)`;
    }
    if (i.sndbufLimited) {
      o += ` sndbuf_limited:${i.sndbufLimited / 1000n}ms(${((100 * Number(i.sndbufLimited)) / busy).toFixed(1)}%)`;
    }
  }
  if (i.unacked) o += ` unacked:${i.unacked}`;
  if (i.retrans || i.totalRetrans) o += ` retrans:${i.retrans}/${i.totalRetrans}`;
  if (i.lost) o += ` lost:${i.lost}`;
  if (i.sacked && stateNumber(s.state) !== 10) o += ` sacked:${i.sacked}`;
  if (i.dsackDups) o += ` dsack_dups:${i.dsackDups}`;
  if (i.fackets) o += ` fackets:${i.fackets}`;
  if (i.reordering !== 3) o += ` reordering:${i.reordering | 0}`;
  if (i.reordSeen) o += ` reord_seen:${i.reordSeen | 0}`;
  if (i.rcvRtt) o += ` rcv_rtt:${fmtG(i.rcvRtt / 1000)}`;
  if (i.rcvSpace) o += ` rcv_space:${i.rcvSpace | 0}`;
  if (i.rcvSsthresh) o += ` rcv_ssthresh:${i.rcvSsthresh}`;
  if (i.notsentBytes) o += ` notsent:${i.notsentBytes}`;
  if (i.minRtt && i.minRtt !== 0xffffffff) o += ` minrtt:${fmtG(i.minRtt / 1000)}`;
  if (i.rcvOoopack) o += ` rcv_ooopack:${i.rcvOoopack}`;
  if (i.sndWnd) o += ` snd_wnd:${i.sndWnd}`;
  return o;
}

/** mptcp_show_info: memory and the MPTCP connection's counters. */
export function mptcpInfoText(s: InetSocket): string {
  let o = memText(s);
  const m: MptcpInfo | undefined = s.mptcpInfo;
  if (!m) return o;
  if (m.subflows) o += ` subflows:${m.subflows}`;
  if (m.addAddrSignal) o += ` add_addr_signal:${m.addAddrSignal}`;
  if (m.addAddrAccepted) o += ` add_addr_accepted:${m.addAddrAccepted}`;
  if (m.subflowsMax) o += ` subflows_max:${m.subflowsMax}`;
  if (m.addAddrSignalMax) o += ` add_addr_signal_max:${m.addAddrSignalMax}`;
  if (m.addAddrAcceptedMax) o += ` add_addr_accepted_max:${m.addAddrAcceptedMax}`;
  if (m.flags & 1) o += " fallback";
  if (m.flags & 2) o += " remote_key";
  if (m.token) o += ` token:${(m.token >>> 0).toString(16)}`;
  if (m.writeSeq) o += ` write_seq:${m.writeSeq.toString(16)}`;
  if (m.sndUna) o += ` snd_una:${m.sndUna.toString(16)}`;
  if (m.rcvNxt) o += ` rcv_nxt:${m.rcvNxt.toString(16)}`;
  return o;
}
