/**
 * A small reader for ELF64 eBPF object files (what `clang -target bpf` or `llc -march=bpf` writes), pure bytes:
 * section headers and names, the symbol table, the `license` section and each program's instructions. Programs are
 * found as libbpf finds them: every function symbol (STT_FUNC) in an executable section other than `.text` is one
 * program, named after the symbol and made of the instructions its symbol covers.
 *
 * Only self-contained programs are taken. An object that needs a loader's linking step — maps (`maps`, `.maps`),
 * global data (`.data`, `.rodata`, `.bss`), relocations against program code, calls between functions — is refused
 * whole with a {@linkcode BpfObjectError} naming what it has, rather than loaded half-way.
 *
 * @module
 */
import { cTable, registerCStruct } from "../core/ctable.ts";
import { PermissionError, ValidationError } from "../core/errors.ts";

/** The elf.h constants the reader checks. */
const ELF = cTable("elf.h", "", {
  ELFMAG0: 0x7f,
  ELFMAG1: 0x45,
  ELFMAG2: 0x4c,
  ELFMAG3: 0x46,
  EI_CLASS: 4,
  EI_DATA: 5,
  ELFCLASS64: 2,
  ELFDATA2LSB: 1,
  ET_REL: 1,
  EV_CURRENT: 1,
  EM_NONE: 0,
  EM_BPF: 247,
  SHN_UNDEF: 0,
  SHT_PROGBITS: 1,
  SHT_SYMTAB: 2,
  SHT_STRTAB: 3,
  SHT_RELA: 4,
  SHT_NOBITS: 8,
  SHT_REL: 9,
  SHF_EXECINSTR: 4,
  STT_FUNC: 2,
  STB_LOCAL: 0,
});

/** Offsets in Elf64_Ehdr of the fields read. */
const EHDR = { e_type: 16, e_machine: 18, e_version: 20, e_shoff: 40, e_shentsize: 58, e_shnum: 60, e_shstrndx: 62 };
registerCStruct("elf.h", "Elf64_Ehdr", 64, EHDR);
/** Offsets in Elf64_Shdr. */
const SHDR = { sh_name: 0, sh_type: 4, sh_flags: 8, sh_offset: 24, sh_size: 32, sh_link: 40, sh_info: 44 };
const SHDR_SIZE = 64;
registerCStruct("elf.h", "Elf64_Shdr", SHDR_SIZE, SHDR);
/** Offsets in Elf64_Sym. */
const SYM = { st_name: 0, st_info: 4, st_shndx: 6, st_value: 8, st_size: 16 };
const SYM_SIZE = 24;
registerCStruct("elf.h", "Elf64_Sym", SYM_SIZE, SYM);

/** linux/bpf.h: the instruction fields that mark what this reader cannot load. */
const BPF = cTable("linux/bpf.h", "", {
  BPF_JMP: 0x05,
  BPF_CALL: 0x80,
  BPF_LD: 0x00,
  BPF_IMM: 0x00,
  BPF_DW: 0x18,
  BPF_PSEUDO_CALL: 1,
});
/** Bytes of struct bpf_insn. */
const INSN_SIZE = 8;

/**
 * Why an object cannot be used: `unreadable` (no such file, or not ELF at all), `not-bpf` (an ELF file, but not a
 * 64-bit little-endian BPF relocatable object, or a malformed one), `unsupported` (needs maps, relocations, …),
 * `no-section` / `no-program` (lacks the program asked for).
 */
export type BpfObjectProblem = "unreadable" | "not-bpf" | "unsupported" | "no-section" | "no-program";

/**
 * An object file that cannot be read, loaded or searched: a {@linkcode ValidationError} whose `problem` says which.
 *
 * @example
 * ```ts
 * import { BpfObjectError, parseBpfObject } from "./bpf_object.ts";
 * try {
 *   parseBpfObject(new Uint8Array(4));
 * } catch (e) {
 *   if (e instanceof BpfObjectError) e.problem; // "not-bpf"
 * }
 * ```
 */
export class BpfObjectError extends ValidationError {
  /** What is wrong. */
  readonly problem: BpfObjectProblem;

  /** Builds the error for `field` (e.g. `xdp.section`) with the `value` it had. */
  constructor(problem: BpfObjectProblem, field: string, value: unknown, why: string) {
    super(field, value, why);
    this.name = "BpfObjectError";
    this.problem = problem;
  }
}

/** One section header, its name resolved. */
export interface BpfObjectSection {
  /** The section's index in the header table. */
  index: number;
  /** Its name, e.g. `xdp` or `license`. */
  name: string;
  /** sh_type (SHT_PROGBITS 1, SHT_SYMTAB 2, SHT_REL 9, …). */
  type: number;
  /** sh_flags (SHF_EXECINSTR 4 marks code); u64 read as a number (only the low bits carry flags). */
  flags: number;
  /** sh_size: its size in bytes (for SHT_NOBITS, in memory only). */
  size: number;
  /** sh_link (the string table of a symbol table, the symbol table of a relocation section). */
  link: number;
  /** sh_info (the section a relocation section applies to). */
  info: number;
}

/** One symbol of `.symtab`. */
export interface BpfObjectSymbol {
  /** Its name (may be empty). */
  name: string;
  /** STT_* (STT_FUNC 2 for functions). */
  type: number;
  /** STB_* (STB_LOCAL 0, STB_GLOBAL 1). */
  bind: number;
  /** The section it is defined in (0 when undefined). */
  section: number;
  /** Its offset in that section. */
  value: number;
  /** Its size in bytes. */
  size: number;
}

/** One program: a function symbol in an executable section. */
export interface BpfObjectProgram {
  /** The function's name (libbpf's program name; the kernel keeps its first 15 characters). */
  name: string;
  /** The section it is in (what `section NAME` selects). */
  section: string;
  /** Its instructions, 8 bytes each (struct bpf_insn). */
  instructions: Uint8Array;
}

/** What {@linkcode parseBpfObject} finds. */
export interface BpfObject {
  /** Every section, in header order (index 0, the null section, included). */
  sections: BpfObjectSection[];
  /** Every symbol of `.symtab`, in order. */
  symbols: BpfObjectSymbol[];
  /** The `license` section's string, or `""` when there is none (as libbpf loads it). */
  license: string;
  /** The programs, in section order, then by offset. */
  programs: BpfObjectProgram[];
}

/** Sections a loader turns into maps: their presence means the programs need a linking step. */
const MAP_SECTION = /^(maps|\.maps|\.data|\.rodata|\.bss|\.kconfig|\.ksyms)(\..*)?$/;

/**
 * Reads an ELF64 little-endian BPF relocatable object. `source` (the path) names the object in errors. Throws a
 * {@linkcode BpfObjectError}: `not-bpf` for bytes that are not such an object, `unsupported` for one that needs
 * maps, relocations or calls between functions.
 *
 * @example
 * ```ts ignore
 * import { parseBpfObject } from "./bpf_object.ts";
 * const obj = parseBpfObject(await Deno.readFile("xdp.o"), "xdp.o");
 * obj.programs.map((p) => `${p.section}: ${p.name}`);
 * ```
 */
export function parseBpfObject(bytes: Uint8Array, source = "object"): BpfObject {
  const bad = (why: string): never => {
    throw new BpfObjectError("not-bpf", "object", source, why);
  };
  if (
    bytes.length < 64 || bytes[0] !== ELF.ELFMAG0 || bytes[1] !== ELF.ELFMAG1 || bytes[2] !== ELF.ELFMAG2 ||
    bytes[3] !== ELF.ELFMAG3
  ) throw new BpfObjectError("unreadable", "object", source, "not an ELF file");
  if (bytes[ELF.EI_CLASS] !== ELF.ELFCLASS64 || bytes[ELF.EI_DATA] !== ELF.ELFDATA2LSB) {
    bad("not a 64-bit little-endian ELF file");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = view.getUint16(EHDR.e_machine, true);
  // Like libbpf and iproute2, a machine of EM_NONE passes too.
  if (machine !== ELF.EM_BPF && machine !== ELF.EM_NONE) bad(`machine ${machine} is not BPF (${ELF.EM_BPF})`);
  if (view.getUint16(EHDR.e_type, true) !== ELF.ET_REL) bad("not a relocatable object");
  if (view.getUint32(EHDR.e_version, true) !== ELF.EV_CURRENT) bad("unknown ELF version");
  const shoff = Number(view.getBigUint64(EHDR.e_shoff, true));
  const shnum = view.getUint16(EHDR.e_shnum, true);
  const shentsize = view.getUint16(EHDR.e_shentsize, true);
  if (shentsize !== SHDR_SIZE || shoff + shnum * SHDR_SIZE > bytes.length) bad("section header table out of range");

  const raw = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * SHDR_SIZE;
    const type = view.getUint32(at + SHDR.sh_type, true);
    const offset = Number(view.getBigUint64(at + SHDR.sh_offset, true));
    const size = Number(view.getBigUint64(at + SHDR.sh_size, true));
    // SHT_NOBITS (.bss) takes no room in the file.
    const inFile = type === ELF.SHT_NOBITS ? 0 : size;
    if (offset + inFile > bytes.length) bad(`section ${i} out of range`);
    return {
      index: i,
      nameAt: view.getUint32(at + SHDR.sh_name, true),
      type,
      flags: Number(view.getBigUint64(at + SHDR.sh_flags, true) & 0xffffffffn),
      size,
      link: view.getUint32(at + SHDR.sh_link, true),
      info: view.getUint32(at + SHDR.sh_info, true),
      data: bytes.subarray(offset, offset + inFile),
    };
  });
  const strings = (section: number) => {
    const table = raw[section];
    if (table === undefined || table.type !== ELF.SHT_STRTAB) bad(`section ${section} is not a string table`);
    return (at: number): string => {
      const end = table.data.indexOf(0, at);
      if (at > table.data.length || end < 0) bad(`string ${at} out of range`);
      return new TextDecoder().decode(table.data.subarray(at, end));
    };
  };
  const sectionName = strings(view.getUint16(EHDR.e_shstrndx, true));
  const sections: BpfObjectSection[] = raw.map(({ nameAt, data: _, ...s }) => ({ ...s, name: sectionName(nameAt) }));

  const symtab = raw.find((s) => s.type === ELF.SHT_SYMTAB);
  const symbols: BpfObjectSymbol[] = [];
  if (symtab !== undefined) {
    const name = strings(symtab.link);
    const sv = new DataView(symtab.data.buffer, symtab.data.byteOffset, symtab.data.byteLength);
    for (let at = 0; at + SYM_SIZE <= symtab.data.length; at += SYM_SIZE) {
      const info = sv.getUint8(at + SYM.st_info);
      symbols.push({
        name: name(sv.getUint32(at + SYM.st_name, true)),
        type: info & 0xf,
        bind: info >> 4,
        section: sv.getUint16(at + SYM.st_shndx, true),
        value: Number(sv.getBigUint64(at + SYM.st_value, true)),
        size: Number(sv.getBigUint64(at + SYM.st_size, true)),
      });
    }
  }

  const unsupported = (why: string): never => {
    throw new BpfObjectError("unsupported", "object", source, why);
  };
  const isCode = (s: { type: number; flags: number; size: number }) =>
    s.type === ELF.SHT_PROGBITS && (s.flags & ELF.SHF_EXECINSTR) !== 0 && s.size > 0;
  // The most telling reason first: what the object has, then what its code refers to.
  const map = sections.find((s) => MAP_SECTION.test(s.name) && s.size > 0);
  if (map) unsupported(`section "${map.name}" holds maps or global data`);
  if (sections.some((s) => s.name === ".text" && isCode(s))) {
    unsupported('functions in ".text" (calls between functions)');
  }
  for (const s of sections) {
    if ((s.type === ELF.SHT_REL || s.type === ELF.SHT_RELA) && s.size > 0 && raw[s.info] && isCode(raw[s.info])) {
      unsupported(`relocations in "${s.name}" (maps, global data or calls)`);
    }
  }

  const programs: BpfObjectProgram[] = [];
  for (const s of raw) {
    if (!isCode(s) || sections[s.index].name === ".text") continue;
    const section = sections[s.index].name;
    const funcs = symbols.filter((y) => y.section === s.index && y.type === ELF.STT_FUNC).sort((a, b) =>
      a.value - b.value
    );
    if (funcs.length === 0) unsupported(`code in section "${section}" without a function symbol`);
    for (const f of funcs) {
      // libbpf (1.0 on) refuses static entry points too.
      if (f.bind === ELF.STB_LOCAL) unsupported(`static function "${f.name}" in section "${section}"`);
      if (f.size === 0 || f.size % INSN_SIZE !== 0 || f.value % INSN_SIZE !== 0 || f.value + f.size > s.size) {
        bad(`function "${f.name}" has a bad offset or size`);
      }
      const instructions = s.data.slice(f.value, f.value + f.size);
      checkSelfContained(instructions, f.name, unsupported);
      programs.push({ name: f.name, section, instructions });
    }
  }
  const lic = sections.find((s) => s.name === "license" && s.type === ELF.SHT_PROGBITS);
  let license = "";
  if (lic !== undefined) {
    const data = raw[lic.index].data;
    const end = data.indexOf(0);
    license = new TextDecoder().decode(end < 0 ? data : data.subarray(0, end));
  }
  return { sections, symbols, license, programs };
}

/** Refuses instructions that need a loader's fix-ups: calls to other functions, 64-bit loads of map references. */
function checkSelfContained(insns: Uint8Array, name: string, unsupported: (why: string) => never): void {
  for (let at = 0; at < insns.length; at += INSN_SIZE) {
    const code = insns[at];
    const src = insns[at + 1] >> 4;
    if (code === (BPF.BPF_JMP | BPF.BPF_CALL) && src === BPF.BPF_PSEUDO_CALL) {
      unsupported(`"${name}" calls another function`);
    }
    if (code === (BPF.BPF_LD | BPF.BPF_IMM | BPF.BPF_DW)) {
      if (src !== 0) unsupported(`"${name}" loads a map or object reference`);
      at += INSN_SIZE; // the second half of the 16-byte instruction
    }
  }
}

/** Which program {@linkcode selectBpfProgram} takes. */
export interface BpfProgramChoice {
  /** The program (function) name; wins over `section` (as in iproute2). */
  program?: string;
  /** The section name; its first program. */
  section?: string;
}

/**
 * The program named `program`, else the first in section `section`, else the object's first program. Throws a
 * {@linkcode BpfObjectError} (`no-program` or `no-section`) listing what the object has.
 *
 * @example
 * ```ts ignore
 * import { parseBpfObject, selectBpfProgram } from "./bpf_object.ts";
 * const obj = parseBpfObject(await Deno.readFile("xdp.o"));
 * selectBpfProgram(obj, { section: "xdp" }).name;
 * ```
 */
export function selectBpfProgram(obj: BpfObject, choice: BpfProgramChoice = {}, field = ""): BpfObjectProgram {
  const at = (f: string) => field ? `${field}.${f}` : f;
  if (choice.program !== undefined) {
    const p = obj.programs.find((p) => p.name === choice.program);
    if (p === undefined) {
      const names = obj.programs.map((p) => p.name).join(", ") || "none";
      throw new BpfObjectError("no-program", at("program"), choice.program, `the object's programs: ${names}`);
    }
    return p;
  }
  const p = choice.section === undefined ? obj.programs[0] : obj.programs.find((p) => p.section === choice.section);
  if (p === undefined) {
    const names = [...new Set(obj.programs.map((p) => p.section))].join(", ") || "none";
    throw new BpfObjectError("no-section", at("section"), choice.section ?? "", `the object's sections: ${names}`);
  }
  return p;
}

/**
 * Reads and parses the object file at `path` (asynchronously). A file that cannot be read is a
 * {@linkcode BpfObjectError} (`unreadable`); a denied read names `--allow-read`.
 *
 * @example
 * ```ts ignore
 * import { readBpfObject } from "./bpf_object.ts";
 * (await readBpfObject("xdp.o")).license; // "GPL"
 * ```
 */
export async function readBpfObject(path: string, field = "object"): Promise<BpfObject> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw new PermissionError(`--allow-read=${path}`, `read ${path}`, e);
    throw new BpfObjectError("unreadable", field, path, (e as Error).message);
  }
  try {
    return parseBpfObject(bytes, path);
  } catch (e) {
    if (e instanceof BpfObjectError && field !== "object") {
      throw new BpfObjectError(e.problem, field, e.value, e.why);
    }
    throw e;
  }
}
