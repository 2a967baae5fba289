/**
 * The ELF BPF object reader (src/util/bpf_object.ts) on objects compiled with `llc -march=bpf`: sections, symbols,
 * license, programs and their selection by section or name, and the objects it refuses (maps, global data,
 * relocations, calls between functions, static entry points, non-BPF ELF files). Skipped with the reason where
 * llc cannot build BPF objects.
 */
import assert from "node:assert/strict";
import { BpfObjectError, parseBpfObject, readBpfObject, selectBpfProgram } from "../../src/util/bpf_object.ts";
import { compileBpf, NO_LLC, XDP_PASS_DROP_IR } from "../_lib/bpf_llc.ts";

function llcTest(name: string, fn: () => Promise<void>): void {
  if (NO_LLC) Deno.test({ name: `${name} [skipped: ${NO_LLC}]`, ignore: true, fn() {} });
  else Deno.test(name, fn);
}

/** Runs `fn`, expecting a BpfObjectError with `problem`; returns it. */
async function refused(problem: string, fn: () => unknown): Promise<BpfObjectError> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof BpfObjectError, String(e));
    assert.equal(e.problem, problem, e.message);
    return e;
  }
  assert.fail(`expected a ${problem} BpfObjectError`);
}

// r0 = imm; exit
const mov = (imm: number) => [0xb7, 0, 0, 0, imm, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0];

llcTest("bpf object: sections, symbols, license and programs", async () => {
  const obj = await readBpfObject(await compileBpf(XDP_PASS_DROP_IR));
  const names = obj.sections.map((s) => s.name);
  for (const n of ["xdp", "xdp_drop", "license", ".symtab", ".strtab"]) assert.ok(names.includes(n), n);
  assert.equal(obj.sections[0].type, 0);
  const xdp = obj.sections.find((s) => s.name === "xdp")!;
  assert.equal(xdp.type, 1); // SHT_PROGBITS
  assert.equal(xdp.flags & 4, 4); // SHF_EXECINSTR
  assert.equal(xdp.size, 16);
  const funcs = obj.symbols.filter((s) => s.type === 2).map((s) => [s.name, obj.sections[s.section].name, s.size]);
  assert.deepEqual(funcs, [["xdp_pass_prog", "xdp", 16], ["xdp_drop_a_very_long_name", "xdp_drop", 16]]);
  assert.equal(obj.license, "GPL");
  assert.deepEqual(
    obj.programs.map((p) => [p.name, p.section, Array.from(p.instructions)]),
    [["xdp_pass_prog", "xdp", mov(2)], ["xdp_drop_a_very_long_name", "xdp_drop", mov(1)]],
  );
});

llcTest("bpf object: choosing a program by section, by name, or the first", async () => {
  const obj = parseBpfObject(await Deno.readFile(await compileBpf(XDP_PASS_DROP_IR)));
  assert.equal(selectBpfProgram(obj).name, "xdp_pass_prog");
  assert.equal(selectBpfProgram(obj, { section: "xdp_drop" }).name, "xdp_drop_a_very_long_name");
  // A program name wins over a section, as in iproute2.
  assert.equal(selectBpfProgram(obj, { section: "xdp", program: "xdp_drop_a_very_long_name" }).section, "xdp_drop");
  const s = await refused("no-section", () => selectBpfProgram(obj, { section: "prog" }, "xdp"));
  assert.equal(s.field, "xdp.section");
  assert.match(s.message, /xdp, xdp_drop/);
  const p = await refused("no-program", () => selectBpfProgram(obj, { program: "xdp_drop" }));
  assert.equal(p.field, "program");
  assert.match(p.message, /xdp_pass_prog, xdp_drop_a_very_long_name/);
});

llcTest("bpf object: two programs in one section, and no license", async () => {
  const obj = await readBpfObject(
    await compileBpf(`
define dso_local i32 @first(i8* %c) #0 section "xdp" { ret i32 2 }
define dso_local i32 @second(i8* %c) #0 section "xdp" { ret i32 1 }`),
  );
  assert.equal(obj.license, "");
  assert.deepEqual(obj.programs.map((p) => [p.name, Array.from(p.instructions)]), [
    ["first", mov(2)],
    ["second", mov(1)],
  ]);
  assert.equal(selectBpfProgram(obj, { section: "xdp" }).name, "first");
});

llcTest("bpf object: refuses what needs a loader's linking", async () => {
  for (
    const [ir, why] of [
      [
        `@counter = dso_local global i32 0, align 4
define dso_local i32 @f(i8* %c) #0 section "xdp" { %v = load i32, i32* @counter
  ret i32 %v }`,
        /\.bss|relocations/,
      ],
      [
        `@seed = dso_local global i32 7, align 4
define dso_local i32 @f(i8* %c) #0 section "xdp" { %v = load i32, i32* @seed
  ret i32 %v }`,
        /"\.data" holds maps or global data/,
      ],
      [
        `define internal i32 @helper(i32 %x) #1 { %y = add i32 %x, 1
  ret i32 %y }
define dso_local i32 @f(i8* %c) #0 section "xdp" { %r = call i32 @helper(i32 1)
  ret i32 %r }
attributes #1 = { noinline nounwind }`,
        /\.text|calls/,
      ],
      [
        `define internal i32 @f(i8* %c) #0 section "xdp" { ret i32 2 }
@llvm.used = appending global [1 x i8*] [i8* bitcast (i32 (i8*)* @f to i8*)], section "llvm.metadata"`,
        /static/,
      ],
    ] as const
  ) {
    const path = await compileBpf(ir);
    const e = await refused("unsupported", () => readBpfObject(path, "xdp.object"));
    assert.equal(e.field, "xdp.object");
    assert.equal(e.value, path);
    assert.match(e.message, why);
  }
});

llcTest("bpf object: not an object, not BPF, missing", async () => {
  const bytes = await Deno.readFile(await compileBpf(XDP_PASS_DROP_IR));
  await refused("unreadable", () => parseBpfObject(new TextEncoder().encode("; not ELF\n")));
  const x86 = bytes.slice();
  x86[18] = 62; // EM_X86_64
  assert.match((await refused("not-bpf", () => parseBpfObject(x86, "x.o"))).message, /machine 62 is not BPF/);
  const none = bytes.slice();
  none[18] = 0; // EM_NONE passes, as in libbpf
  assert.equal(parseBpfObject(none).programs.length, 2);
  const exec = bytes.slice();
  exec[16] = 2; // ET_EXEC
  await refused("not-bpf", () => parseBpfObject(exec));
  await refused("not-bpf", () => parseBpfObject(bytes.subarray(0, 100)));
  const missing = await refused("unreadable", () => readBpfObject("/nonexistent/prog.o", "xdp.object"));
  assert.equal(missing.field, "xdp.object");
});
