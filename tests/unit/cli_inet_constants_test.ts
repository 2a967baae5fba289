/**
 * The address family numbers the CLI keeps in cli/common/inet.ts (the CLI's
 * light modules must not load the library's tables to read them) are the
 * library's, which tests/unit/constants_audit_test.ts checks against
 * sys/socket.h.
 */
import { equal as assertEqual } from "node:assert/strict";
import * as inet from "../../cli/common/inet.ts";
import { AF } from "../../src/route/constants.ts";

Deno.test("cli/common/inet.ts: every AF_* is the library's AF table's", () => {
  const names = Object.keys(inet).filter((k) => k.startsWith("AF_"));
  assertEqual(names.length, 6);
  for (const name of names) {
    assertEqual((inet as Record<string, unknown>)[name], (AF as Record<string, number>)[name.slice(3)], name);
  }
});
