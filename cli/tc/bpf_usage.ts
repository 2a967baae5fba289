/**
 * The explanation tc's bpf filter and bpf action end their usages with
 * (iproute2's lib/bpf_legacy.c, shared by f_bpf.c and m_bpf.c): the same
 * text but for the word naming the ELF section and what it holds.
 *
 * @module
 */

/**
 * The notes on BPF_BYTECODE, FILE, the section word and UDS_FILE; `section`
 * is the usage's word for the ELF section (`CLS_NAME`), `holds` what the
 * section holds and its default name (`classifier`).
 *
 * @example
 * ```ts
 * import { bpfUsageNotes } from "./bpf_usage.ts";
 * bpfUsageNotes("ACT_NAME", "action").includes("(default 'action')"); // true
 * ```
 */
export function bpfUsageNotes(section: string, holds: string): string {
  return `Where BPF_BYTECODE := 's,c t f k,c t f k,c t f k,...'
c,t,f,k and s are decimals; s denotes number of 4-tuples

Where FILE points to a file containing the BPF_BYTECODE string,
an ELF file containing eBPF map definitions and bytecode, or a
pinned eBPF program.

Where ${section} refers to the section name containing the
${holds} (default '${holds}').

Where UDS_FILE points to a unix domain socket file in order
to hand off control of all created eBPF maps to an agent.`;
}
