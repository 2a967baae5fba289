/**
 * IOAM namespaces and schemas as iproute2's `ip ioam … show` prints them, in
 * text or JSON.
 *
 * @module
 */
import type { IoamNamespace, IoamSchema } from "@nlink/nlink/genl";
import { Kind, type Printer } from "../common/output.ts";

/**
 * One namespace: a line in text (`namespace 123 [schema 7], data
 * 0xdeadbeef`), an object in JSON (the data as hex strings, as iproute2's
 * print_hex and print_0xhex write them).
 *
 * @example
 * ```ts ignore
 * printIoamNamespace(p, { id: 123, schema: 7, data: 0xdeadbeef });
 * ```
 */
export function printIoamNamespace(p: Printer, ns: IoamNamespace): void {
  p.openObject();
  p.uint(Kind.Any, "namespace", "namespace %u", ns.id);
  if (ns.schema !== undefined) p.uint(Kind.Any, "schema", " [schema %u]", ns.schema);
  if (ns.data !== undefined) p.hex(Kind.Any, "data", ", data %#010x", ns.data);
  if (ns.wide !== undefined) p.hex0x(Kind.Any, "wide", ", wide %#018lx", ns.wide);
  p.nl();
  p.closeObject();
}

/**
 * One schema: a line in text (`schema 7 [namespace 123], data: 61 62 63
 * 00`), an object in JSON where, as in iproute2, `data` is null and each byte
 * follows it as a member named `""`.
 *
 * @example
 * ```ts ignore
 * printIoamSchema(p, { id: 7, data: new Uint8Array([0x61, 0x62, 0x63, 0]) });
 * ```
 */
export function printIoamSchema(p: Printer, s: IoamSchema): void {
  p.openObject();
  p.uint(Kind.Any, "schema", "schema %u", s.id);
  if (s.namespace !== undefined) p.uint(Kind.Any, "namespace", " [namespace %u]", s.namespace);
  p.null(Kind.Any, "data", ", data:", "");
  for (const byte of s.data) p.uint(Kind.Any, "", " %02x", byte);
  p.nl();
  p.closeObject();
}
