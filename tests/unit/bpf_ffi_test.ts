/**
 * ffi/bpf.ts refuses bad input with a ValidationError naming the field before
 * it makes any system call (the calls themselves run in
 * tests/kernel/tc_bpf_pinned_test.ts).
 */
import { throws } from "node:assert/strict";
import { bpfObjGet, bpfObjPin, bpfProgLoad, type BpfProgLoadOptions } from "../../ffi/bpf.ts";
import { ValidationError } from "../../src/core/errors.ts";

const EXIT = { code: 0x95 };

Deno.test("bpf ffi: bad programs are refused before loading, naming the field", () => {
  const cases: [Partial<BpfProgLoadOptions>, string][] = [
    [{ type: "tracepoint" as "sched_cls" }, "type"],
    [{ type: -1 }, "type"],
    [{ instructions: [] }, "instructions"],
    [{ instructions: new Uint8Array(12) }, "instructions"],
    [{ instructions: [{ code: 0x100 }] }, "instructions[0].code"],
    [{ instructions: [{ code: 0xb7, dst: 16 }, EXIT] }, "instructions[0].dst"],
    [{ instructions: [{ code: 0xb7, off: 0x8000 }, EXIT] }, "instructions[0].off"],
    [{ instructions: [{ code: 0xb7, imm: 2 ** 32 }, EXIT] }, "instructions[0].imm"],
    [{ license: "G\0PL" }, "license"],
    [{ name: "a name with spaces" }, "name"],
    [{ name: "x".repeat(16) }, "name"],
  ];
  for (const [o, field] of cases) {
    const options = { type: "sched_cls", license: "GPL", instructions: [{ code: 0xb7 }, EXIT], ...o };
    throws(
      () => bpfProgLoad(options as BpfProgLoadOptions),
      (e: unknown) => e instanceof ValidationError && e.field === field,
      `${JSON.stringify(o)} should be refused naming ${field}`,
    );
  }
});

Deno.test("bpf ffi: bad paths and fds are refused before the call, naming the field", () => {
  throws(() => bpfObjGet(""), (e: unknown) => e instanceof ValidationError && e.field === "path");
  throws(() => bpfObjGet("/a\0b"), (e: unknown) => e instanceof ValidationError && e.field === "path");
  throws(() => bpfObjPin(-1, "/sys/fs/bpf/x"), (e: unknown) => e instanceof ValidationError && e.field === "fd");
  throws(() => bpfObjPin(1.5, "/sys/fs/bpf/x"), (e: unknown) => e instanceof ValidationError && e.field === "fd");
});
