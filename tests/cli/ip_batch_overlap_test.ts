/**
 * `ip -batch` over several windows, each sent while the next is parsed (the
 * kernel applies it on Deno's blocking pool): against iproute2, the same
 * output, exit code and routes when a later window fails (without `-force`
 * nothing after the failing line takes effect, though the next window was
 * already parsed), with failures in several windows under `-force`, and with
 * a show between windows.
 */
import assert from "node:assert/strict";
import { addNetns, deleteNetns } from "../../mod.ts";
import { WINDOW_FORCE, WINDOW_SAFE } from "../../cli/ip/batch.ts";
import { kernelTest, uniqueNetnsName } from "../_lib/netns.ts";
import { CLI_MAIN, ip, type Result } from "./_run.ts";

const NEEDS = { needs: ["veth"] };

async function run(cmd: string, args: string[]): Promise<Result> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

async function setUp(ns: string): Promise<void> {
  await addNetns(ns);
  await ip(ns, "link add p0 type veth peer name p1");
  await ip(ns, "link set p0 up");
  await ip(ns, "link set p1 up");
  await ip(ns, "address add 10.0.0.1/16 dev p0");
}

/** Runs `lines` through both tools (fresh namespaces) and asserts the same output, exit code and routes. */
async function sameBatch(lines: string[], options: string[] = []): Promise<Result> {
  const theirsNs = uniqueNetnsName("X"), oursNs = uniqueNetnsName("X");
  const file = await Deno.makeTempFile({ prefix: "nlink-batch-" });
  try {
    await setUp(theirsNs);
    await setUp(oursNs);
    await Deno.writeTextFile(file, lines.join("\n") + "\n");
    const theirs = await run("ip", ["-n", theirsNs, ...options, "-batch", file]);
    const mine = await run(Deno.execPath(), [
      "run",
      "-A",
      "--no-check",
      CLI_MAIN,
      "ip",
      "-n",
      oursNs,
      ...options,
      "-batch",
      file,
    ]);
    assert.equal(mine.stdout, theirs.stdout, "stdout differs");
    assert.equal(mine.stderr, theirs.stderr, "stderr differs");
    assert.equal(mine.code, theirs.code, "exit code differs");
    assert.equal(await ip(oursNs, "route show"), await ip(theirsNs, "route show"), "routes differ");
    return theirs;
  } finally {
    await Deno.remove(file);
    await deleteNetns(theirsNs).catch(() => {});
    await deleteNetns(oursNs).catch(() => {});
  }
}

/** `count` route adds, fast-path lines, 172.16.0.0 on. */
function routeLines(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`route add 172.${16 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32 via 10.0.0.2 dev p0`);
  }
  return out;
}

await kernelTest(
  "ip -batch: a failure in the second window stops the batch; the third is never sent",
  NEEDS,
  async () => {
    const lines = routeLines(WINDOW_SAFE * 3 + 100);
    const at = WINDOW_SAFE + 500; // 0-based: line at+1 repeats line 8
    lines[at] = lines[7];
    const r = await sameBatch(lines);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^RTNETLINK answers: File exists\nCommand failed .*:${at + 1}\n$`));
  },
);

await kernelTest("ip -force -batch: failures in several windows, reported in line order", NEEDS, async () => {
  const lines = routeLines(WINDOW_FORCE * 2 + 300);
  for (const at of [20, WINDOW_FORCE + 7, WINDOW_FORCE * 2 + 299]) lines[at] = lines[3];
  const r = await sameBatch(lines, ["-force"]);
  assert.equal(r.stderr.match(/Command failed/g)?.length, 3);
});

await kernelTest("ip -batch: a show between windows sees every line before it", NEEDS, async () => {
  const lines = routeLines(WINDOW_SAFE * 2 + 10);
  lines.splice(WINDOW_SAFE * 2, 0, "route show", "address add 10.0.5.5/32 dev p1", "route get 172.16.1.5");
  const r = await sameBatch(lines);
  assert.equal(r.code, 0);
});
