/**
 * The SEG6 generic netlink family against the kernel, in a private
 * namespace: the tunnel source address set, read back and cleared, and HMAC
 * keys added, listed, replaced and deleted, with iproute2 reading the same
 * state. Skipped with the reason on a kernel without SRv6 (no `SEG6` family).
 */
import { deepStrictEqual, equal, rejects } from "node:assert/strict";
import { NetlinkError, ValidationError } from "../../mod.ts";
import { GenlConnection } from "../../src/genl/mod.ts";
import { kernelTest } from "../_lib/netns.ts";

/** Why SEG6 cannot be used here, if it cannot. */
const NO_SEG6: string | undefined = await (async () => {
  try {
    using genl = GenlConnection.open();
    await genl.family("SEG6");
    return undefined;
  } catch (e) {
    return `kernel lacks SRv6 (no SEG6 generic netlink family: ${e instanceof Error ? e.message : String(e)})`;
  }
})();

async function seg6Test(name: string, fn: Parameters<typeof kernelTest>[2]): Promise<void> {
  if (NO_SEG6 !== undefined) Deno.test({ name: `${name} [skipped: ${NO_SEG6}]`, ignore: true, fn() {} });
  else await kernelTest(name, {}, fn);
}

/** iproute2's view of the namespace's SEG6 state, as JSON. */
async function iproute2(ns: string, ...args: string[]): Promise<unknown> {
  const out = await new Deno.Command("ip", { args: ["-n", ns, "-j", "sr", ...args], stdout: "piped" }).output();
  equal(out.code, 0, `ip -n ${ns} -j sr ${args.join(" ")} failed`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

const bytes = (s: string) => new TextEncoder().encode(s);

await seg6Test("SEG6 tunsrc: unset is ::, set, read back (and by iproute2), cleared", async (conn, ns) => {
  equal(await conn.getSeg6Tunsrc(), "::");
  await conn.setSeg6Tunsrc("fc00::1");
  equal(await conn.getSeg6Tunsrc(), "fc00::1");
  deepStrictEqual(await iproute2(ns, "tunsrc", "show"), [{ tunsrc: "fc00::1" }]);
  await conn.setSeg6Tunsrc("::");
  equal(await conn.getSeg6Tunsrc(), "::");
  // Refused before anything is sent.
  await rejects(conn.setSeg6Tunsrc("10.0.0.1"), (e) => e instanceof ValidationError && e.field === "address");
});

await seg6Test("SEG6 HMAC keys: added, listed, replaced, deleted; errors typed", async (conn, ns) => {
  deepStrictEqual(await conn.getSeg6Hmacs(), []);
  await conn.setSeg6Hmac({ keyId: 7, algorithm: "sha256", secret: "s3cret" });
  await conn.setSeg6Hmac({ keyId: 0xffffffff, algorithm: "sha1", secret: bytes("x".repeat(64)) });
  const sorted = async () => (await conn.getSeg6Hmacs()).sort((a, b) => a.keyId - b.keyId);
  deepStrictEqual(await sorted(), [
    { keyId: 7, algorithm: "sha256", secret: bytes("s3cret") },
    { keyId: 0xffffffff, algorithm: "sha1", secret: bytes("x".repeat(64)) },
  ]);
  deepStrictEqual(
    (await iproute2(ns, "hmac", "show") as { hmac: number }[]).find((k) => k.hmac === 7),
    { hmac: 7, algo: "sha256", secret: "s3cret" },
  );
  // Setting an existing key replaces it.
  await conn.setSeg6Hmac({ keyId: 7, algorithm: "sha1", secret: "other" });
  deepStrictEqual((await sorted())[0], { keyId: 7, algorithm: "sha1", secret: bytes("other") });
  await conn.delSeg6Hmac(0xffffffff);
  await conn.setSeg6Hmac({ keyId: 7, algorithm: "sha1", secret: "" }); // an empty secret deletes too
  deepStrictEqual(await conn.getSeg6Hmacs(), []);
  // Deleting a key that is not there: the kernel's ENOENT.
  await rejects(conn.delSeg6Hmac(7), (e) => e instanceof NetlinkError && e.isNotFound());
  // Refused before anything is sent.
  await rejects(
    conn.setSeg6Hmac({ keyId: 1, algorithm: "sha1", secret: "x".repeat(65) }),
    (e) => e instanceof ValidationError && e.field === "secret",
  );
  await rejects(
    conn.setSeg6Hmac({ keyId: 0, algorithm: "sha1", secret: "x" }),
    (e) => e instanceof ValidationError && e.field === "keyId",
  );
});
