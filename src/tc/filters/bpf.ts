/**
 * The bpf filter: classifies with a BPF program — classic BPF given as
 * bytecode (`tc filter add … bpf bytecode "1,6 0 0 4294967295" classid 1:1`),
 * or an eBPF program of type BPF_PROG_TYPE_SCHED_CLS already loaded, by its
 * file descriptor or by the path it is pinned at on a bpf file system
 * (`bpf object-pinned /sys/fs/bpf/prog da`). With `directAction` the
 * program's return value is the verdict itself.
 *
 * @module
 */
import { ValidationError } from "../../core/errors.ts";
import { cFlags } from "../../core/enums.ts";
import { type AttrSchema, attrSchema } from "../../core/schema.ts";
import { type Action, type ActionOptions, ACTIONS, actionsValue } from "../action.ts";
import { BPF_OPS, type BpfInstruction, bpfProgram } from "../actions/bpf.ts";
import type { Handle } from "../handle.ts";
import type { TcKindCodec } from "../kind.ts";
import { CLASSID, classidOf, CLS_FLAGS, clsFlags, type FilterPoliceOptions, policeOf } from "./cls_common.ts";
import { POLICE_ATTRS, type PoliceData } from "../actions/police.ts";

/** TCA_BPF_FLAG_*: how the filter runs its program (`da`: the return value is the verdict). */
const BPF_FLAGS = cFlags("linux/pkt_cls.h", "TCA_BPF_FLAG_", { ACT_DIRECT: 1 });

/** TCA_BPF_*: bpf filter options. */
export const BPF_ATTRS: AttrSchema = attrSchema("TCA_BPF_", "linux/pkt_cls.h", {
  ACT: { id: 1, type: "custom", codec: ACTIONS },
  POLICE: { id: 2, type: "nested", schema: POLICE_ATTRS },
  CLASSID: { id: 3, type: "custom", codec: CLASSID },
  OPS_LEN: { id: 4, type: "u16" },
  OPS: { id: 5, type: "custom", codec: BPF_OPS },
  FD: { id: 6, type: "u32" },
  NAME: { id: 7, type: "string" },
  FLAGS: { id: 8, type: "u32", flags: BPF_FLAGS },
  FLAGS_GEN: { id: 9, type: "u32", flags: CLS_FLAGS },
  TAG: { id: 10, type: "binary" },
  ID: { id: 11, type: "u32" },
});

/**
 * A BPF classifier. Give one of `bytecode` (classic BPF), `fd` (a loaded
 * eBPF program) or `pinned` (an eBPF program pinned on a bpf file system).
 *
 * @example
 * ```ts
 * import type { BpfOptions } from "./bpf.ts";
 * const f: BpfOptions = { kind: "bpf", bytecode: "1,6 0 0 4294967295", classid: "1:1" };
 * const g: BpfOptions = { kind: "bpf", pinned: "/sys/fs/bpf/tc/classifier", directAction: true };
 * ```
 */
export interface BpfOptions {
  /** The kind. */
  kind: "bpf";
  /** A classic BPF program: tc(8)'s bytecode text (`bytecode "N,code jt jf k,…"`) or the instructions. */
  bytecode?: string | BpfInstruction[];
  /** The file descriptor of a loaded eBPF program of type BPF_PROG_TYPE_SCHED_CLS (tc(8)'s `object-file`/`object-pinned` load one). */
  fd?: number;
  /**
   * The path of an eBPF program of type BPF_PROG_TYPE_SCHED_CLS pinned on a
   * bpf file system (`object-pinned`): opened when the request is sent, its fd
   * sent, and closed after.
   */
  pinned?: string;
  /** A name shown with the eBPF program (tc(8) sends `FILE:[SECTION]`, or `BASENAME:[*fsobj]` for a pinned one, the default with `pinned`). */
  name?: string;
  /** The class matching packets go to (`classid`/`flowid`). */
  classid?: Handle;
  /** The program's return value is the verdict (`direct-action`/`da`). */
  directAction?: boolean;
  /** Not in hardware (`skip_hw`). */
  skipHw?: boolean;
  /** Only in hardware (`skip_sw`). */
  skipSw?: boolean;
  /** An old-style policer (`police …` among the filter's words), sent in TCA_*_POLICE. */
  police?: FilterPoliceOptions;
  /** Actions on matching packets (`action …`). */
  actions?: ActionOptions[];
}

/** bpf's decoded options. */
export interface BpfData {
  /** Actions. */
  act?: Action[];
  /** The old-style policer. */
  police?: PoliceData;
  /** The class (`"1:10"`). */
  classid?: string;
  /** Instructions of a classic program. */
  opsLen?: number;
  /** A classic program. */
  ops?: BpfInstruction[];
  /** The file descriptor sent (requests only). */
  fd?: number;
  /** The eBPF program's name. */
  name?: string;
  /** `act_direct` when the return value is the verdict. */
  flags?: string[];
  /** `skip_hw`, `skip_sw`, `in_hw`, `not_in_hw`. */
  flagsGen?: string[];
  /** The eBPF program's tag (8 bytes). */
  tag?: Uint8Array;
  /** The eBPF program's id. */
  id?: number;
}

const BPF_KEYS = [
  "bytecode",
  "fd",
  "pinned",
  "name",
  "classid",
  "directAction",
  "skipHw",
  "skipSw",
  "police",
  "actions",
];

/** The bpf codec. */
export const BPF: TcKindCodec = {
  options: BPF_ATTRS,
  keys: BPF_KEYS,
  encode(o, ctx) {
    if (o.directAction !== undefined && typeof o.directAction !== "boolean") {
      throw new ValidationError("directAction", o.directAction, "expected true or false");
    }
    // The kernel refuses a bpf filter without a program, on change as well. The
    // program is read first so that a pinned one is opened before the actions' (as tc does).
    const program = bpfProgram(o, ctx, true);
    // tc writes the policer, classid and actions as it reads them, the program after all arguments, then the flags.
    const out: Record<string, unknown> = {};
    const police = policeOf(o, ctx);
    if (police !== undefined) out.police = police;
    const classid = classidOf(o);
    if (classid !== undefined) out.classid = classid;
    if (o.actions !== undefined) out.act = actionsValue(o.actions, ctx, "actions");
    Object.assign(out, program);
    const gen = clsFlags(o);
    if (gen !== undefined) out.flagsGen = gen;
    if (o.directAction === true) out.flags = 1;
    return out;
  },
};
