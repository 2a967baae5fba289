/**
 * `ip link set DEV xdp… object FILE [section NAME | program NAME] [verbose]` against iproute2 (built with libbpf):
 * an object with an XDP_PASS program in section `xdp` and an XDP_DROP one in `xdp_drop` is compiled with `llc`,
 * iproute2 attaches it to one veth and nlink to another (generic mode), and the programs the kernel reports (name,
 * tag, jited; the id and load time differ) must be the same, by section and by program name. Errors — no such
 * section or program, the default section `prog` missing, a missing file, a file that is not ELF or not BPF, a
 * second attach without `-force` — must match iproute2's text and exit code. Skipped with the reason where `llc`
 * cannot build BPF objects or the kernel refuses to load an XDP program.
 */
import assert from "node:assert/strict";
import { compileBpf, NO_LLC, XDP_PASS_DROP_IR } from "../_lib/bpf_llc.ts";
import { ip, iproute2, nlink, ours, sameError, sameText } from "./_run.ts";
import { kernelTestUnless } from "./_setup.ts";
import { xdpLoadUnavailable } from "../_lib/bpffs.ts";

const NEEDS = { needs: ["veth"] };

const SKIP = NO_LLC ?? xdpLoadUnavailable();

/** The `prog/xdp …` line of `ip -d link show DEV` (iproute2's), its id and load time masked. */
async function progLine(ns: string, dev: string): Promise<string> {
  const shown = await ip(ns, `-d link show ${dev}`);
  const line = shown.split("\n").find((l) => l.includes("prog/xdp"));
  assert.ok(line, `no XDP program on ${dev}:\n${shown}`);
  return line.replace(/ id \d+ /, " id N ").replace(/ load_time \d+ /, " load_time T ");
}

/** Attaches with both tools (`-force`, generic mode): iproute2 on v0, nlink on v2; returns the masked lines. */
async function attachBoth(ns: string, words: string): Promise<string> {
  const args = ["-force", "-n", ns, "link", "set", "DEV", "xdpgeneric", ...words.split(" ")];
  const theirs = await iproute2(args.map((a) => a === "DEV" ? "v0" : a));
  assert.equal(theirs.code, 0, `iproute2 ${words}: ${theirs.stderr}`);
  const mine = await nlink(args.map((a) => a === "DEV" ? "v2" : a));
  assert.equal(mine.code, 0, `nlink ${words}: ${mine.stderr}`);
  assert.equal(mine.stdout, theirs.stdout);
  const line = await progLine(ns, "v0");
  assert.equal(await progLine(ns, "v2"), line, words);
  return line;
}

await kernelTestUnless(SKIP, "ip link set xdpgeneric object: the same program as iproute2's", NEEDS, async (ns) => {
  const obj = await compileBpf(XDP_PASS_DROP_IR);
  await ip(ns, "link add v0 type veth peer name v1");
  await ip(ns, "link add v2 type veth peer name v3");
  assert.match(await attachBoth(ns, `object ${obj} section xdp`), /name xdp_pass_prog tag [0-9a-f]{16} /);
  // The kernel keeps 15 characters of the function's name, as libbpf passes it.
  const drop = await attachBoth(ns, `obj ${obj} section xdp_drop verbose`);
  assert.match(drop, /name xdp_drop_a_very tag /);
  await ip(ns, `link set v0 xdpgeneric off`);
  await ours(ns, `link set v2 xdpgeneric off`);
  assert.equal(await attachBoth(ns, `object-file ${obj} program xdp_drop_a_very_long_name`), drop);
  // A program name wins over a section.
  assert.equal(await attachBoth(ns, `object ${obj} section xdp program xdp_drop_a_very_long_name`), drop);
  await sameText(ns, ["-d", "link", "show", "v2"]);
  // Without -force, the kernel refuses to replace the program, the same way for both.
  await sameError(ns, `link set v2 xdpgeneric object ${obj} section xdp`);
});

await kernelTestUnless(NO_LLC, "ip link set xdp object: errors as iproute2's", NEEDS, async (ns) => {
  const obj = await compileBpf(XDP_PASS_DROP_IR);
  await ip(ns, "link add v0 type veth peer name v1");
  for (
    const c of [
      `link set v0 xdpgeneric object ${obj}`, // iproute2's default section, "prog", is not there
      `link set v0 xdpgeneric object ${obj} section nope`,
      `link set v0 xdp obj ${obj} program nope`,
      `link set v0 xdp obj ${obj} section xdp program nope`,
      "link set v0 xdp object /nonexistent/prog.o",
      `link set v0 xdpdrv object ${obj.replace(/\.o$/, ".ll")}`, // not ELF
      "link set v0 xdpgeneric object /bin/true", // ELF, not BPF
      `link set v0 xdp object ${obj} section`,
      "link set v0 xdp object",
    ]
  ) await sameError(ns, c);
  assert.doesNotMatch(await ip(ns, "link show v0"), /xdp/);
  // Objects that need maps or global data are refused (iproute2's libbpf would create the maps).
  const data = await compileBpf(`@seed = dso_local global i32 7, align 4
define dso_local i32 @f(i8* %c) #0 section "xdp" { %v = load i32, i32* @seed
  ret i32 %v }`);
  const r = await ours(ns, `link set v0 xdpgeneric object ${data} section xdp`);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /"\.data" holds maps or global data is not supported/);
});
