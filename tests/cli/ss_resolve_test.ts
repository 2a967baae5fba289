/**
 * `ss -r` against iproute2's, in a private namespace where the sockdiag
 * helper holds listening and connected TCP sockets on 127.0.0.1 and ::1, on
 * 10.1.0.1 and 2001:db8::1 (which /etc/hosts does not name), and an
 * IPv4-mapped connection to a dual-stack listener. With `-N`, iproute2 asks
 * DNS from inside the namespace, which reaches no name server, and ours takes
 * names from /etc/hosts alone (see cli/ss/main.ts), so the two agree; names
 * from DNS are compared in ss_resolve_dns_test.ts. iproute2 6.1's ss has no
 * `-j`, so there is no JSON to compare.
 */
import assert from "node:assert/strict";
import { kernelTest, NO_NETNS_REASON } from "../_lib/netns.ts";
import { helperUnavailable, startSocketHelper } from "../_lib/sockdiag_sockets.ts";
import { hostName } from "../../cli/ss/hosts.ts";
import { assertSameResult, iproute2, nlink } from "./_run.ts";

const NO_HELPER = await helperUnavailable();

async function same(ns: string, args: string[]): Promise<string> {
  const [theirs, mine] = await Promise.all([iproute2(["-N", ns, ...args], "ss"), nlink(["-N", ns, ...args], "ss")]);
  const what = `ss -N ${ns} ${args.join(" ")}`;
  assert.equal(theirs.code, 0, `${what}: iproute2 failed: ${theirs.stderr}`);
  assertSameResult(mine, theirs, what);
  return theirs.stdout;
}

if (NO_HELPER !== undefined && NO_NETNS_REASON === undefined) {
  Deno.test({ name: `ss -r [skipped: ${NO_HELPER}]`, ignore: true, fn() {} });
} else {
  await kernelTest("ss -r: host names from /etc/hosts as iproute2 prints them", {}, async (_conn, ns) => {
    const helper = await startSocketHelper(ns);
    try {
      const cases = [["-tanr"], ["-tar"], ["-tlr"], ["-r", "-t"], ["-tanr4"], ["-tanr6"], ["-tanrO"], ["-uanr"], [
        "--resolve",
        "-tan",
        "dport",
        "=",
        ":2000",
      ]];
      let shown = "";
      for (const args of cases) shown += await same(ns, args);
      // Prove names were put in: 127.0.0.1 is named when /etc/hosts names it; 10.1.0.1 never is.
      const local = hostName("127.0.0.1");
      if (local !== undefined) assert.match(shown, new RegExp(` ${local}:2000 `));
      assert.match(shown, /10\.1\.0\.1:3000/);
      assert.match(shown, /\[::1\]:4000/);
    } finally {
      await helper.close();
    }
  });
}

Deno.test("ss -r: hostName reads /etc/hosts, first name of the first line, mapped addresses as IPv4", () => {
  let text = "";
  try {
    text = Deno.readTextFileSync("/etc/hosts");
  } catch {
    // no file: nothing is named
  }
  const first = /^\s*127\.0\.0\.1\s+(\S+)/m.exec(text.replace(/#.*/g, ""))?.[1];
  assert.equal(hostName("127.0.0.1"), first);
  assert.equal(hostName("::ffff:127.0.0.1"), first);
  assert.equal(hostName("192.0.2.77"), undefined);
});
