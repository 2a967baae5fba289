/**
 * `ip mptcp`'s change commands send iproute2's bytes (both captured with
 * nlcapture in a private namespace). Skipped with the reason on a kernel
 * without MPTCP (or with net.mptcp.enabled = 0).
 */
import { NO_NLCAPTURE, sameRequest } from "./_capture.ts";
import { ip } from "./_run.ts";
import { kernelTestUnless, NO_MPTCP } from "./_setup.ts";

const mptcpTest = (name: string, fn: (ns: string) => Promise<void>) =>
  kernelTestUnless(NO_MPTCP ?? NO_NLCAPTURE, name, { needs: ["veth"] }, fn);

/** A veth with addresses and three endpoints. */
async function lab(ns: string): Promise<void> {
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link set p0 up");
  await ip(ns, "addr add 10.0.0.1/24 dev p0");
  await ip(ns, "addr add 10.0.0.2/24 dev p0");
  await ip(ns, "mptcp endpoint add 10.0.0.1 dev p0 subflow");
  await ip(ns, "mptcp endpoint add 10.0.0.2 id 5 port 1234 signal backup");
  await ip(ns, "mptcp endpoint add 2001:db8::1 id 7 subflow fullmesh");
}

await mptcpTest("ip mptcp: endpoint and limit changes send iproute2's bytes", async (ns) => {
  await lab(ns);
  const undo = (cmd: string) => async () => void await ip(ns, cmd);
  /** Deletes the endpoint of an address, whatever id the kernel gave it. */
  const forget = (address: string) => async () => {
    const all = JSON.parse(await ip(ns, "-j mptcp endpoint show")) as { address: string; id: number }[];
    for (const e of all.filter((e) => e.address === address)) await ip(ns, `mptcp endpoint delete id ${e.id}`);
  };
  for (
    const [cmd, between] of [
      ["mptcp endpoint add 10.0.0.10 dev p0 subflow", forget("10.0.0.10")],
      ["mptcp endpoint add 10.0.0.11 id 20 subflow backup fullmesh", undo("mptcp endpoint delete id 20")],
      ["mptcp endpoint add 2001:db8::2 id 21 signal backup", undo("mptcp endpoint delete id 21")],
      ["mptcp endpoint add 10.0.0.2 id 22 port 2000 signal", undo("mptcp endpoint delete id 22")],
      ["mptcp endpoint add 10.0.0.12 id 0 nobackup", undefined],
      ["mptcp endpoint add 10.0.0.2 id 5", undefined], // refused by the kernel: the bytes still compare
      ["mptcp endpoint change id 5 backup", undefined],
      ["mptcp endpoint change id 5 nobackup fullmesh", undefined],
      ["mptcp endpoint change 10.0.0.2 port 1234 nofullmesh", undefined],
      ["mptcp endpoint change 2001:db8::1 backup", undefined],
      ["mptcp endpoint delete id 7", undo("mptcp endpoint add 2001:db8::1 id 7 subflow fullmesh")],
      ["mptcp endpoint delete id 0 10.0.0.1", undefined],
      ["mptcp endpoint flush", undo("mptcp endpoint add 10.0.0.2 id 5 port 1234 signal backup")],
      ["mptcp limits set subflows 3 add_addr_accepted 4", undefined],
      ["mptcp limits set add_addr_accepted 1", undefined],
      ["mptcp limits set", undefined],
      ["mptcp limits show", undefined],
      ["mptcp endpoint show id 5", undefined],
    ] as const
  ) await sameRequest(ns, cmd, { between });
  // Every message of a show: the family look-up (a plain GET, as libgenl sends it) included.
  await sameRequest(ns, "mptcp limits show", { all: true });
});
