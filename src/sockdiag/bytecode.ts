/**
 * Compiles a {@linkcode SocketFilter} tree into inet_diag filter byte code
 * (INET_DIAG_REQ_BYTECODE), laid out as ss(8) lays it out, so requests are
 * byte-for-byte iproute2's.
 *
 * How the kernel runs it (net/ipv4/inet_diag.c): each instruction is
 * `{ code, yes, no }`; when its condition holds the program moves on by `yes`
 * bytes, otherwise by `no`; the socket passes when the program ends exactly at
 * its last byte, and fails when a jump lands 4 bytes past it. So every block
 * here passes by falling through to its end and fails by jumping to a "fail"
 * label:
 *
 * - a leaf: one instruction, `no` → fail;
 * - `and(a, b)`: a then b, both failing to the same label;
 * - `or(a, b)`: a (failing to b's start), an unconditional JMP to the end, b;
 * - `not(a)`: a (failing to the end, which passes), then a JMP to fail.
 *
 * @module
 */
import { ValidationError } from "../core/errors.ts";
import { AF_INET6 } from "../util/addr.ts";
import { INET_DIAG_BC } from "./constants.ts";
import { checkPort, hostCondition, type SocketFilter } from "./filter.ts";

/** A jump target, placed once its block has been laid out. */
interface Label {
  at?: number;
}

/** One instruction: code, the data after it, and where `no` goes. */
interface Op {
  code: number;
  data: Uint8Array;
  no: Label;
}

/**
 * Compiles `filter` to byte code. `dev` leaves must already hold ifindexes
 * (SockDiagConnection resolves names). Throws {@linkcode ValidationError} for
 * a bad leaf or a program over the 64 KiB a jump can span.
 *
 * @example
 * ```ts
 * import { compileFilter } from "./bytecode.ts";
 * compileFilter({ kind: "dport", op: ">=", port: 1024 }); // Uint8Array [4, 8, 12, 0, 0, 0, 0, 4]
 * ```
 */
export function compileFilter(filter: SocketFilter): Uint8Array<ArrayBuffer> {
  const ops: Op[] = [];
  const fail: Label = {};
  emit(filter, fail, ops, "filter");
  let size = 0;
  const offsets: number[] = [];
  for (const op of ops) {
    offsets.push(size);
    size += 4 + op.data.length;
  }
  fail.at = size + 4;
  // `no` is a u16 counted from the instruction: keep every jump in range.
  if (size + 4 > 0xffff) throw new ValidationError("filter", `${size} bytes`, "the filter byte code exceeds 64 KiB");
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  ops.forEach((op, i) => {
    const at = offsets[i];
    out[at] = op.code;
    out[at + 1] = 4 + op.data.length;
    v.setUint16(at + 2, op.no.at! - at, true);
    out.set(op.data, at + 4);
  });
  return out;
}

/** Lays out `f` so that it falls through when it holds and jumps to `fail` when not. */
function emit(f: SocketFilter, fail: Label, ops: Op[], path: string): void {
  if ("and" in f) {
    if (f.and.length === 0) throw new ValidationError(`${path}.and`, f.and, "an and needs at least one condition");
    f.and.forEach((x, i) => emit(x, fail, ops, `${path}.and[${i}]`));
    return;
  }
  if ("or" in f) {
    const list = f.or;
    if (list.length === 0) throw new ValidationError(`${path}.or`, list, "an or needs at least one condition");
    // ((a or b) or c): the left fold, as ss(8) parses it.
    const emitOr = (n: number, failTo: Label): void => {
      if (n === 0) return emit(list[0], failTo, ops, `${path}.or[0]`);
      const right: Label = {};
      const end: Label = {};
      emitOr(n - 1, right);
      ops.push({ code: INET_DIAG_BC.JMP, data: EMPTY, no: end });
      place(right, ops);
      emit(list[n], failTo, ops, `${path}.or[${n}]`);
      place(end, ops);
    };
    emitOr(list.length - 1, fail);
    return;
  }
  if ("not" in f) {
    const end: Label = {};
    emit(f.not, end, ops, `${path}.not`);
    ops.push({ code: INET_DIAG_BC.JMP, data: EMPTY, no: fail });
    place(end, ops);
    return;
  }
  switch (f.kind) {
    case "src":
    case "dst": {
      const c = hostCondition(f, path);
      // ss(8) writes 4 address bytes for anything but IPv6, even with no address.
      const alen = c.family === AF_INET6 ? 16 : 4;
      const data = new Uint8Array(8 + alen);
      const v = new DataView(data.buffer);
      data[0] = c.family;
      data[1] = c.prefixLength;
      v.setInt32(4, c.port, true);
      data.set(c.address.subarray(0, alen), 8);
      ops.push({ code: f.kind === "src" ? INET_DIAG_BC.S_COND : INET_DIAG_BC.D_COND, data, no: fail });
      return;
    }
    case "sport":
    case "dport":
      return emitPort(f.kind === "sport", f.op, checkPort(f.port, `${path}.port`), fail, ops, path);
    case "dev": {
      if (typeof f.dev !== "number" || !Number.isInteger(f.dev) || f.dev < 0 || f.dev > 0xffffffff) {
        throw new ValidationError(`${path}.dev`, f.dev, "expected an ifindex (names are resolved by the connection)");
      }
      const data = new Uint8Array(4);
      new DataView(data.buffer).setUint32(0, f.dev, true);
      ops.push({ code: INET_DIAG_BC.DEV_COND, data, no: fail });
      return;
    }
    case "mark": {
      const data = new Uint8Array(8);
      const v = new DataView(data.buffer);
      v.setUint32(0, u32(f.mark, `${path}.mark`), true);
      v.setUint32(4, u32(f.mask ?? 0xffffffff, `${path}.mask`), true);
      ops.push({ code: INET_DIAG_BC.MARK_COND, data, no: fail });
      return;
    }
    case "cgroup": {
      if (typeof f.id !== "bigint" || f.id < 0n || f.id > 0xffffffffffffffffn) {
        throw new ValidationError(`${path}.id`, f.id, "expected a u64 cgroup id (bigint)");
      }
      const data = new Uint8Array(8);
      new DataView(data.buffer).setBigUint64(0, f.id, true);
      ops.push({ code: INET_DIAG_BC.CGROUP_COND, data, no: fail });
      return;
    }
    case "autobound":
      ops.push({ code: INET_DIAG_BC.AUTO, data: EMPTY, no: fail });
      return;
    default:
      throw new ValidationError(path, f, "expected a filter leaf, and, or, or not");
  }
}

/**
 * A port comparison the way ss(8) compiles it: `=` is a host condition on the
 * port alone, `>=`/`<=` are GE/LE instructions (the port in a second op's
 * `no`), `!=`, `<` and `>` are the negations of `=`, `>=` and `<=`.
 */
function emitPort(local: boolean, op: string, port: number, fail: Label, ops: Op[], path: string): void {
  const host = (failTo: Label) => emit({ kind: local ? "src" : "dst", port }, failTo, ops, path);
  const compare = (ge: boolean, failTo: Label) => {
    const code = local ? (ge ? INET_DIAG_BC.S_GE : INET_DIAG_BC.S_LE) : (ge ? INET_DIAG_BC.D_GE : INET_DIAG_BC.D_LE);
    const data = new Uint8Array(4);
    new DataView(data.buffer).setUint16(2, port, true);
    ops.push({ code, data, no: failTo });
  };
  const negate = (inner: (failTo: Label) => void) => {
    const end: Label = {};
    inner(end);
    ops.push({ code: INET_DIAG_BC.JMP, data: EMPTY, no: fail });
    place(end, ops);
  };
  switch (op) {
    case "=":
      return host(fail);
    case ">=":
      return compare(true, fail);
    case "<=":
      return compare(false, fail);
    case "!=":
      return negate(host);
    case "<":
      return negate((l) => compare(true, l));
    case ">":
      return negate((l) => compare(false, l));
    default:
      throw new ValidationError(`${path}.op`, op, "expected =, !=, <, >, <= or >=");
  }
}

/** Places `label` at the end of what has been laid out so far. */
function place(label: Label, ops: Op[]): void {
  let at = 0;
  for (const op of ops) at += 4 + op.data.length;
  label.at = at;
}

function u32(x: unknown, field: string): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > 0xffffffff) {
    throw new ValidationError(field, x, "expected a u32");
  }
  return x;
}

const EMPTY = new Uint8Array(0);
