/**
 * IPv6 tokens against the kernel: read from the AF_INET6 link dump (its
 * IFLA_PROTINFO decoded as IPv6's per-link state), set, removed; bad input
 * refused before anything is sent.
 */
import { deepStrictEqual, equal, rejects, throws } from "node:assert/strict";
import { ValidationError } from "../../mod.ts";
import { ipv6TokenSetRequest } from "../../src/route/token.ts";
import { kernelTest } from "../_lib/netns.ts";

await kernelTest("IPv6 tokens: listed, set and removed", { needs: ["veth"] }, async (conn) => {
  await conn.addLink({ kind: "veth", name: "v0", up: true, peer: { name: "v1" } });
  const token = async (name: string) => (await conn.getIpv6Tokens()).find((t) => t.name === name)?.token;
  equal(await token("v0"), "::");
  await conn.setIpv6Token("v0", "::1:2/64");
  equal(await token("v0"), "::0.1.0.2"); // glibc's inet_ntop form, as iproute2 prints it
  const lo = (await conn.getIpv6Tokens()).find((t) => t.name === "lo");
  deepStrictEqual(lo?.flags.includes("LOOPBACK"), true);
  await conn.setIpv6Token("v0", "::");
  equal(await token("v0"), "::");
});

await kernelTest("IPv6 tokens: bad input is refused before anything is sent", {}, async (conn) => {
  throws(() => ipv6TokenSetRequest(1, "10.0.0.1"), ValidationError);
  throws(() => ipv6TokenSetRequest(1, "nonsense"), ValidationError);
  throws(() => ipv6TokenSetRequest(0, "::1"), ValidationError);
  await rejects(conn.setIpv6Token("lo", "10.0.0.1"), ValidationError);
});
