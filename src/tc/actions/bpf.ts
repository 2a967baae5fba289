/**
 * bpf: run a BPF program on each packet — classic BPF given as bytecode
 * (`bpf bytecode "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0"`), or an
 * eBPF program of type BPF_PROG_TYPE_SCHED_ACT already loaded, by its file
 * descriptor or by the path it is pinned at on a bpf file system
 * (`bpf object-pinned /sys/fs/bpf/prog`). Its verdict is the program's
 * return value where that is one.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { structList } from "../../core/struct_list.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import type { Verdict } from "../constants.ts";
import type { TcContext, TcKindCodec, TcOptions } from "../kind.ts";
import { TC_GEN, TCF_T, tcGen } from "./common.ts";
import type { TcfTData, TcGenData } from "./gact.ts";

/** struct sock_filter: one classic BPF instruction. */
export const SOCK_FILTER: StructDef = cStruct("linux/filter.h", "struct sock_filter", [
  { c: "code", type: "u16" },
  { c: "jt", type: "u8" },
  { c: "jf", type: "u8" },
  { c: "k", type: "u32" },
]);

/** One classic BPF instruction (struct sock_filter). */
export interface BpfInstruction {
  /** The opcode. */
  code: number;
  /** Instructions skipped when a jump's test is true. */
  jt: number;
  /** Instructions skipped when it is false. */
  jf: number;
  /** The operand. */
  k: number;
}

/** BPF_MAXINSNS: the most instructions a classic program has. */
const BPF_MAXINSNS = 4096;

/**
 * A classic BPF program: a list of instructions (struct sock_filter, 8 bytes
 * each, back to back), as TCA_ACT_BPF_OPS and TCA_BPF_OPS carry it.
 *
 * @example
 * ```ts ignore
 * const S = attrSchema("TCA_BPF_", "linux/pkt_cls.h", { OPS: { id: 4, type: "custom", codec: BPF_OPS } });
 * ```
 */
export const BPF_OPS: CustomCodec = structList({ element: SOCK_FILTER, exact: true });

/**
 * A classic BPF program from tc(8)'s bytecode text (`"N,code jt jf k,…"`,
 * decimal: what `tcpdump -ddd` prints, its lines joined with commas)
 * or from a list of instructions, checked.
 *
 * @example
 * ```ts
 * import { bpfBytecode } from "./bpf.ts";
 * bpfBytecode("1,6 0 0 4294967295", "bytecode"); // [{ code: 6, jt: 0, jf: 0, k: 4294967295 }]
 * ```
 */
export function bpfBytecode(value: unknown, field: string): BpfInstruction[] {
  let ops: unknown[];
  if (typeof value === "string") {
    const parts = value.split(",");
    if (parts.at(-1) === "") parts.pop();
    const count = /^\d+$/.test(parts[0]) ? Number(parts[0]) : NaN;
    const body = parts.slice(1);
    if (!(count >= 1) || count !== body.length) {
      throw new ValidationError(field, value, 'expected "N,code jt jf k,…" with N instructions');
    }
    ops = body.map((text, i) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(text);
      if (!m) throw new ValidationError(`${field}[${i}]`, text, 'expected "code jt jf k" in decimal');
      return { code: Number(m[1]), jt: Number(m[2]), jf: Number(m[3]), k: Number(m[4]) };
    });
  } else if (Array.isArray(value)) {
    ops = value;
  } else {
    throw new ValidationError(field, value, "expected bytecode text or a list of instructions");
  }
  if (ops.length === 0 || ops.length > BPF_MAXINSNS) {
    throw new ValidationError(field, value, `a program has 1 to ${BPF_MAXINSNS} instructions`);
  }
  const limits: Record<keyof BpfInstruction, number> = { code: 0xffff, jt: 0xff, jf: 0xff, k: 0xffffffff };
  return ops.map((op, i) => {
    if (op === null || typeof op !== "object") {
      throw new ValidationError(`${field}[${i}]`, op, "expected { code, jt, jf, k }");
    }
    const x = op as Record<string, unknown>;
    for (const [key, max] of Object.entries(limits)) {
      const n = x[key];
      if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > max) {
        throw new ValidationError(`${field}[${i}].${key}`, n, `expected an integer 0..${max}`);
      }
    }
    return { code: x.code as number, jt: x.jt as number, jf: x.jf as number, k: x.k as number };
  });
}

/** Bytes tc(8) has for a program's name (`char annotation[256]`, NUL included). */
const ANNOTATION_SIZE = 256;

/**
 * The name tc(8) sends with a pinned program: the path's last component
 * (what follows the last `/`, as GNU basename reads it) and `:[*fsobj]`, cut
 * to the 255 bytes tc has room for (at a character boundary).
 *
 * @example
 * ```ts
 * import { pinnedName } from "./bpf.ts";
 * pinnedName("/sys/fs/bpf/tc/drop"); // "drop:[*fsobj]"
 * ```
 */
export function pinnedName(file: string): string {
  const name = `${file.slice(file.lastIndexOf("/") + 1)}:[*fsobj]`;
  const bytes = new TextEncoder().encode(name);
  if (bytes.length < ANNOTATION_SIZE) return name;
  let end = ANNOTATION_SIZE - 1;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/**
 * The program part of a bpf filter's or action's options, checked: `ops`
 * for classic bytecode, or `fd` and `name` for an eBPF program given by fd or
 * by pinned path (opened through `ctx`). Keys in the order tc(8) writes them.
 *
 * @example
 * ```ts ignore
 * bpfProgram({ pinned: "/sys/fs/bpf/drop" }, ctx, true); // { fd: 7, name: "drop:[*fsobj]" }
 * ```
 */
export function bpfProgram(o: TcOptions, ctx: TcContext, required: boolean): Record<string, unknown> {
  const given = (["bytecode", "fd", "pinned"] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) {
    throw new ValidationError(given[1], o[given[1]], `give one of bytecode, fd or pinned, not ${given.join(" and ")}`);
  }
  if (given.length === 0 && required) {
    throw new ValidationError("bytecode", undefined, "a BPF program is needed: bytecode, fd or pinned");
  }
  if (o.name !== undefined && (given.length === 0 || o.bytecode !== undefined)) {
    throw new ValidationError("name", o.name, "a name goes with an eBPF program (fd or pinned)");
  }
  if (
    o.name !== undefined && (typeof o.name !== "string" || new TextEncoder().encode(o.name).length >= ANNOTATION_SIZE)
  ) {
    throw new ValidationError("name", o.name, "expected a string of at most 255 bytes");
  }
  const out: Record<string, unknown> = {};
  if (o.bytecode !== undefined) {
    const ops = bpfBytecode(o.bytecode, "bytecode");
    out.opsLen = ops.length;
    out.ops = ops;
    return out;
  }
  if (o.fd !== undefined) {
    if (typeof o.fd !== "number" || !Number.isInteger(o.fd) || o.fd < 0 || o.fd > 0x7fffffff) {
      throw new ValidationError("fd", o.fd, "expected a file descriptor");
    }
    out.fd = o.fd;
  } else if (o.pinned !== undefined) {
    if (typeof o.pinned !== "string" || !o.pinned.startsWith("/")) {
      throw new ValidationError("pinned", o.pinned, "expected the absolute path of a pinned BPF object");
    }
    out.fd = ctx.pinnedBpf("pinned", o.pinned);
  }
  if (o.name !== undefined) out.name = o.name;
  else if (o.pinned !== undefined) {
    out.name = pinnedName(o.pinned as string);
  }
  return out;
}

/** struct tc_act_bpf. */
const TC_ACT_BPF = cStruct("linux/tc_act/tc_bpf.h", "struct tc_act_bpf", [...TC_GEN]);

/** TCA_ACT_BPF_*. */
export const ACT_BPF_ATTRS: AttrSchema = attrSchema("TCA_ACT_BPF_", "linux/tc_act/tc_bpf.h", {
  TM: { id: 1, type: "struct", struct: TCF_T },
  PARMS: { id: 2, type: "struct", struct: TC_ACT_BPF },
  OPS_LEN: { id: 3, type: "u16" },
  OPS: { id: 4, type: "custom", codec: BPF_OPS },
  FD: { id: 5, type: "u32" },
  NAME: { id: 6, type: "string" },
  PAD: { id: 7, type: "pad" },
  TAG: { id: 8, type: "binary" },
  ID: { id: 9, type: "u32" },
});

/**
 * Run a BPF program (`bpf bytecode …`, or an eBPF program by file
 * descriptor or pinned path). Give one of `bytecode`, `fd` or `pinned`, or
 * only `index` to bind an existing action.
 *
 * @example
 * ```ts
 * import type { BpfActionOptions } from "./bpf.ts";
 * const a: BpfActionOptions = { kind: "bpf", pinned: "/sys/fs/bpf/tc/act", control: "ok" };
 * ```
 */
export interface BpfActionOptions {
  /** The kind. */
  kind: "bpf";
  /** A classic BPF program: tc(8)'s bytecode text or the instructions (`bytecode`). */
  bytecode?: string | BpfInstruction[];
  /** The file descriptor of a loaded eBPF program of type BPF_PROG_TYPE_SCHED_ACT (`object-file`/`object-pinned` load one). */
  fd?: number;
  /**
   * The path of an eBPF program of type BPF_PROG_TYPE_SCHED_ACT pinned on a
   * bpf file system (`object-pinned`): opened when the request is sent, its fd
   * sent, and closed after.
   */
  pinned?: string;
  /** A name shown with the program (tc(8) sends `FILE:[SECTION]`, or `BASENAME:[*fsobj]` for a pinned one, the default with `pinned`). */
  name?: string;
  /** The verdict when the program returns TC_ACT_UNSPEC (default `pipe`). */
  control?: Verdict;
}

/** bpf's decoded options. */
export interface BpfActionData {
  /** Parameters. */
  parms?: TcGenData;
  /** Instructions of a classic program. */
  opsLen?: number;
  /** A classic program. */
  ops?: BpfInstruction[];
  /** The program's name (eBPF). */
  name?: string;
  /** The eBPF program's tag (8 bytes). */
  tag?: Uint8Array;
  /** The eBPF program's id. */
  id?: number;
  /** Timestamps. */
  tm?: TcfTData;
}

/** The bpf codec. */
export const ACT_BPF: TcKindCodec = {
  options: ACT_BPF_ATTRS,
  keys: ["bytecode", "fd", "pinned", "name", "control"],
  encode(o, ctx) {
    // Without a program the action is one bound by index.
    const out = bpfProgram(o, ctx, o.index === undefined);
    // tc writes the parameters last, after the program.
    out.parms = tcGen(o, "pipe");
    return out;
  },
};
