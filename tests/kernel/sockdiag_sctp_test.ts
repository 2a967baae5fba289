/**
 * SCTP through sock_diag against the kernel (needs the sctp and sctp_diag
 * modules: this host's kernel has neither, the VM lane's has both): a
 * listener, a client and the accepted socket on loopback; the library must
 * report the endpoints and the associations, with decoded addresses and
 * sctp_info.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { kernelTest } from "../_lib/netns.ts";
import { openSctpPair } from "../_lib/sctp_sockets.ts";
import { SockDiagConnection } from "../../src/sockdiag/connection.ts";

await kernelTest(
  "sock_diag: SCTP endpoints and associations with local and peer addresses and sctp_info",
  { needs: ["sctp", "sctp_diag"] },
  async (conn, ns) => {
    await conn.setLinkUp("lo");
    const pair = openSctpPair(ns, 7000);
    try {
      const diag = SockDiagConnection.beside(conn);
      const all = await diag.getInetSockets({ protocol: "sctp", family: "inet", extensions: ["info", "skmeminfo"] });
      const listener = all.find((s) => s.state === "listen" && s.sport === 7000);
      ok(listener, `a listening endpoint on port 7000 in ${JSON.stringify(all.map((s) => [s.state, s.sport]))}`);
      assertEquals(listener.locals?.map((a) => a.address), ["127.0.0.1"]);
      assertEquals(listener.peers, undefined);
      const assocs = all.filter((s) => s.peers !== undefined);
      // The client's association (to port 7000) and the accepted one (from it).
      const client = assocs.find((s) => s.dport === 7000);
      const accepted = assocs.find((s) => s.sport === 7000);
      ok(client && accepted, "both associations");
      for (const a of [client, accepted]) {
        assertEquals(a.state, "established");
        assertEquals(a.peers!.map((p) => p.address), ["127.0.0.1"]);
        const i = a.sctpInfo;
        ok(i, "sctp_info");
        assertEquals(i.state, "established");
        ok(typeof i.tag === "number" && i.tag !== 0, "a verification tag");
        assertEquals(i.primaryAddress?.address, "127.0.0.1");
        ok(a.skmeminfo && a.skmeminfo.sndbuf > 0, "socket memory");
      }
      assertEquals(client.sctpInfo!.primaryAddress?.port, 7000);
      // Each side's tag is the other's peer tag.
      assertEquals([client.sctpInfo!.tag, client.sctpInfo!.peerTag], [
        accepted.sctpInfo!.peerTag,
        accepted.sctpInfo!.tag,
      ]);
    } finally {
      pair.close();
    }
  },
);
