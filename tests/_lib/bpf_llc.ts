/**
 * Small eBPF object files for tests, compiled from LLVM IR with `llc -march=bpf` (clang is not needed). Each
 * object is written to a temporary directory (removed at exit); `NO_LLC` says why none can be made here.
 *
 * @module
 */

/** Two XDP programs: `xdp_pass_prog` (XDP_PASS) in section `xdp` and a long-named XDP_DROP in `xdp_drop`. */
export const XDP_PASS_DROP_IR = `
@_license = dso_local global [4 x i8] c"GPL\\00", section "license", align 1

define dso_local i32 @xdp_pass_prog(i8* %ctx) #0 section "xdp" {
  ret i32 2
}

define dso_local i32 @xdp_drop_a_very_long_name(i8* %ctx) #0 section "xdp_drop" {
  ret i32 1
}
`;

/** Temporary directories made here, removed when the test process ends. */
const made: string[] = [];
globalThis.addEventListener("unload", () => {
  for (const dir of made) Deno.removeSync(dir, { recursive: true });
});

/** Why no object can be compiled here (no `llc`, or it has no BPF target), if it cannot. */
export const NO_LLC: string | undefined = await (async () => {
  try {
    await compileBpf('define dso_local i32 @f(i8* %c) #0 section "xdp" { ret i32 2 }');
    return undefined;
  } catch (e) {
    return `llc cannot compile BPF objects here: ${e instanceof Error ? e.message : e}`;
  }
})();

/**
 * Compiles `ir` (function and global definitions; the target lines and a `nounwind` attribute group #0 are added)
 * into a BPF object file and returns its path, in a fresh temporary directory.
 *
 * @example
 * ```ts ignore
 * const path = await compileBpf(XDP_PASS_DROP_IR);
 * ```
 */
export async function compileBpf(ir: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "nlink-bpf-" });
  made.push(dir);
  const source = `${dir}/prog.ll`;
  const object = `${dir}/prog.o`;
  await Deno.writeTextFile(
    source,
    `target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"\ntarget triple = "bpf"\n${ir}\n` +
      "attributes #0 = { nounwind }\n",
  );
  const out = await new Deno.Command("llc", {
    args: ["-march=bpf", "-filetype=obj", source, "-o", object],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr).trim());
  return object;
}
