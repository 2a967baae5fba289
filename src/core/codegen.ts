/**
 * When the generated codecs are built. The attribute sets (schema.ts), their
 * arrays of named values (devconf, MIB counters) and structs (struct.ts)
 * decode and encode through generated functions (`new Function`), which V8
 * must parse and compile in every process: tens of µs for a big set, paid
 * back only over many messages. A short-lived program (`ip link show`) uses
 * most sets a few times, a dump of 100,000 routes millions of times. So each
 * set, array or struct goes through a plain codec (a loop over its fields as
 * data) for its first {@linkcode compileAfter} uses, then
 * through the generated one. Both give the same values, bytes and errors
 * (tests/unit/codec_plain_test.ts runs the golden messages both ways).
 *
 * @module
 */

/** Uses of a set or struct through its plain codec before its generated one is built. */
export let compileAfter = 8;

/**
 * Sets {@linkcode compileAfter} (for tests, which run every codec both ways)
 * and returns the previous value.
 *
 * @example
 * ```ts
 * import { setCompileAfter } from "./codegen.ts";
 * const before = setCompileAfter(0); // generated from the first use
 * setCompileAfter(before);
 * ```
 */
export function setCompileAfter(uses: number): number {
  const before = compileAfter;
  compileAfter = uses;
  return before;
}
