/**
 * bpf: run a BPF program on each packet — classic BPF given as bytecode
 * (`bpf bytecode "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0"`), or an
 * eBPF program of type BPF_PROG_TYPE_SCHED_ACT already loaded, by its file
 * descriptor. Its verdict is the program's return value where that is one.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { type AttrSchema, attrSchema, type CustomCodec } from "../../core/schema.ts";
import { structList } from "../../core/struct_list.ts";
import { cStruct, type StructDef } from "../../core/struct.ts";
import type { Verdict } from "../constants.ts";
import type { TcKindCodec } from "../kind.ts";
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
 * descriptor). Give `bytecode` or `fd`, or only `index` to bind an existing
 * action.
 */
export interface BpfActionOptions {
  /** The kind. */
  kind: "bpf";
  /** A classic BPF program: tc(8)'s bytecode text or the instructions (`bytecode`). */
  bytecode?: string | BpfInstruction[];
  /** The file descriptor of a loaded eBPF program of type BPF_PROG_TYPE_SCHED_ACT (`object-file`/`object-pinned` load one). */
  fd?: number;
  /** A name shown with the program (tc(8) sends `FILE:[SECTION]`, or `FILE:[*fsobj]` for a pinned one). */
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
  keys: ["bytecode", "fd", "name", "control"],
  encode(o) {
    if (o.bytecode !== undefined && o.fd !== undefined) {
      throw new ValidationError("fd", o.fd, "give bytecode or fd, not both");
    }
    if (o.bytecode === undefined && o.fd === undefined && o.index === undefined) {
      throw new ValidationError("bytecode", o.bytecode, "bpf needs bytecode or an fd (or an index)");
    }
    if (o.name !== undefined && o.fd === undefined) throw new ValidationError("name", o.name, "a name goes with an fd");
    const out: Record<string, unknown> = {};
    if (o.bytecode !== undefined) {
      const ops = bpfBytecode(o.bytecode, "bytecode");
      out.opsLen = ops.length;
      out.ops = ops;
    }
    if (o.fd !== undefined) {
      if (typeof o.fd !== "number" || !Number.isInteger(o.fd) || o.fd < 0 || o.fd > 0x7fffffff) {
        throw new ValidationError("fd", o.fd, "expected a file descriptor");
      }
      out.fd = o.fd;
      if (o.name !== undefined) {
        if (typeof o.name !== "string" || o.name.length > 255) {
          throw new ValidationError("name", o.name, "expected a string of at most 255 characters");
        }
        out.name = o.name;
      }
    }
    // tc writes the parameters last, after the program.
    out.parms = tcGen(o, "pipe");
    return out;
  },
};
