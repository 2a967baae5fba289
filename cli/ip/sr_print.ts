/**
 * `ip sr` output: the tunnel source address and the HMAC keys, in text or
 * JSON as iproute2's ipseg6.c prints them.
 *
 * @module
 */
import type { Seg6Hmac } from "@nlink/nlink";
import { Kind, type Printer } from "../common/output.ts";

const decoder = new TextDecoder();

/** The longest secret iproute2 prints (its buffer keeps one byte for the NUL). */
const SECRET_SHOWN = 63;

/**
 * The tunnel source address: `tunsrc addr ADDRESS`.
 *
 * @example
 * ```ts ignore
 * printTunsrc(p, "fc00::1");
 * ```
 */
export function printTunsrc(p: Printer, address: string): void {
  p.openObject();
  p.string(Kind.Any, "tunsrc", "tunsrc addr %s\n", address);
  p.closeObject();
}

/**
 * One HMAC key: `hmac KEYID algo ALGO secret "SECRET"`. Like iproute2, a
 * secret of 64 bytes is cut to 63 with a warning on stderr, and the secret
 * ends at its first NUL byte.
 *
 * @example
 * ```ts ignore
 * printHmac(p, { keyId: 7, algorithm: "sha256", secret: new TextEncoder().encode("s3cret") });
 * ```
 */
export function printHmac(p: Printer, k: Seg6Hmac): void {
  let secret = k.secret;
  if (secret.length > SECRET_SHOWN) {
    console.error(`HMAC secret length ${secret.length} > ${SECRET_SHOWN}, truncated`);
    secret = secret.subarray(0, SECRET_SHOWN);
  }
  const nul = secret.indexOf(0);
  if (nul >= 0) secret = secret.subarray(0, nul);
  p.openObject();
  p.uint(Kind.Any, "hmac", "hmac %u ", k.keyId);
  p.string(Kind.Any, "algo", "algo %s ", typeof k.algorithm === "string" ? k.algorithm : "<unknown>");
  p.string(Kind.Any, "secret", 'secret "%s"\n', decoder.decode(secret));
  p.closeObject();
}
