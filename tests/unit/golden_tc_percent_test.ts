/**
 * Golden tests for rates given as a share of the link speed (`rate 10%`):
 * nlink's request bytes, built with `{ linkSpeed: 10000 }` (what the capture
 * namespace's veth reports), equal tc(8)'s for the same command
 * (tests/fixtures/tc_percent.json, captured by
 * tests/fixtures/captures/tc_percent.ts) for tbf, htb classes, hfsc curves,
 * netem, fq, red, choke and gred. Also: the percentage arithmetic repeats
 * tc's float path (print with %lf, read back, truncate), bad percentages and
 * percentages where tc takes none are refused, and a pure builder without a
 * link speed names the field.
 */
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ValidationError } from "../../src/core/errors.ts";
import { type ClassOptions, classRequest } from "../../src/tc/class.ts";
import { rateOf } from "../../src/tc/common.ts";
import { decodeQdisc, type QdiscOptions, qdiscRequest } from "../../src/tc/qdisc.ts";
import { tcContext } from "../../src/tc/request.ts";
import { percentRate } from "../../src/tc/units.ts";
import { asMessage, goldenTests, loadFixtures } from "../_lib/golden.ts";

const data = await loadFixtures("tc_percent");
const { p0 } = data.indexes;
const SPEED = { linkSpeed: 10000 };

const q = (o: QdiscOptions, op: "add" | "change" = "add") => () => qdiscRequest(op, p0, o, SPEED);
const c = (o: ClassOptions) => () => classRequest("add", p0, o, SPEED);

/** Our request for each fixture, built with the equivalent options. */
const OURS: Record<string, () => Uint8Array> = {
  "tbf": q({ dev: p0, kind: "tbf", rate: "10%", burst: "10k", latency: "50ms" }),
  "tbf.full": q({ dev: p0, kind: "tbf", rate: "100%", burst: "1m", limit: "2m" }),
  "tbf.fraction": q({ dev: p0, kind: "tbf", rate: "33.3333%", burst: "32k", latency: "20ms" }),
  "tbf.tiny": q({ dev: p0, kind: "tbf", rate: "0.0001%", burst: "10k", limit: "100k" }),
  "tbf.peak": q({
    dev: p0,
    kind: "tbf",
    rate: "10%",
    burst: "10k",
    latency: "50ms",
    peakrate: "20%",
    mtu: 1600,
  }),
  "htb.class": c({ dev: p0, parent: "1:", classid: "1:10", kind: "htb", rate: "25%", ceil: "50%" }),
  "htb.class.rate": c({ dev: p0, parent: "1:", classid: "1:11", kind: "htb", rate: "12.5%" }),
  "htb.class.mixed": c({
    dev: p0,
    parent: "1:",
    classid: "1:12",
    kind: "htb",
    rate: "1mbit",
    ceil: "99.9%",
    burst: "15k",
  }),
  "hfsc.sc": c({ dev: p0, parent: "1:", classid: "1:1", kind: "hfsc", sc: { m1: "10%", d: "10ms", m2: "5%" } }),
  "hfsc.rt.ls.ul": c({
    dev: p0,
    parent: "1:",
    classid: "1:2",
    kind: "hfsc",
    rt: { umax: 1500, dmax: "10ms", rate: "20%" },
    ls: { m2: "30%" },
    ul: { m2: "50%" },
  }),
  "netem.rate": q({ dev: p0, kind: "netem", rate: "5%" }),
  "netem.rate.overhead": q({
    dev: p0,
    kind: "netem",
    delay: "10ms",
    rate: "7.5%",
    packetOverhead: 20,
    cellSize: 64,
    cellOverhead: 4,
  }),
  "fq": q({ dev: p0, kind: "fq", maxrate: "10%", defrate: "1%" }),
  "red": q({
    dev: p0,
    kind: "red",
    limit: "400k",
    min: "30k",
    max: "90k",
    avpkt: 1000,
    burst: 55,
    bandwidth: "10%",
  }),
  "red.small": q({ dev: p0, kind: "red", limit: "100k", avpkt: 1000, bandwidth: "0.1%", probability: 0.1 }),
  "choke": q({ dev: p0, kind: "choke", limit: 1000, bandwidth: "2%" }),
  "gred.vq": q(
    { dev: p0, kind: "gred", vq: 1, limit: "100k", min: "10k", max: "30k", avpkt: 1000, bandwidth: "10%" },
    "change",
  ),
};

goldenTests("tc percentage-rate", data, OURS);

Deno.test("a share of the link speed is computed as tc's get_percent_rate", () => {
  assertEquals(percentRate("10%", 10000, "rate"), 125_000_000n);
  assertEquals(percentRate("25%", 10000, "rate"), 312_500_000n);
  assertEquals(percentRate("100%", 10000, "rate"), 1_250_000_000n);
  assertEquals(percentRate("0%", 10000, "rate"), 0n);
  // 1/3 of 100 Mbit: 33333333.333333 bits printed, read back, /8, truncated.
  assertEquals(percentRate("33.333333333%", 100, "rate"), 4_166_666n);
  // tc prints the bit rate with six decimals before reading it back: 7.9999996 bit/s prints as "8.000000", one byte
  // per second, where 7.9999994 prints as "7.999999" and truncates to none (values checked against the C code).
  assertEquals(percentRate("0.00079999996%", 1, "rate"), 1n);
  assertEquals(percentRate("0.00079999994%", 1, "rate"), 0n);
  assertEquals(percentRate("12.5", 10000, "rate"), 156_250_000n); // tc takes the number without its %
  // 64-bit: a 400 Gbit/s link at 100 % is 5e10 bytes/s; tc's 32-bit get_percent_rate refuses it.
  assertEquals(percentRate("100%", 400000, "rate", 64), 50_000_000_000n);
  throws(() => percentRate("100%", 400000, "rate", 32), /32 bits/);
  // tc prints the bit rate into char[20]: above 800 Gbit/s at 100 % the text no longer fits.
  throws(() => percentRate("100%", 1600000, "rate"), /buffer/);
});

Deno.test("percentages tc refuses, and options that take none, are refused naming the field", () => {
  const ctx = tcContext("add", SPEED);
  for (const bad of ["101%", "-5%", "10%%", "ten%", "%", "10 %", "1e1%", "0x10%", "10%mbit"]) {
    throws(() => rateOf(bad, "rate", ctx), (e) => e instanceof ValidationError && e.field === "rate", bad);
  }
  const refused: [QdiscOptions, string][] = [
    [{ dev: p0, kind: "tbf", rate: "150%", burst: "10k", latency: "50ms" }, "rate"],
    [{ dev: p0, kind: "tbf", rate: "0%", burst: "10k", latency: "50ms" }, "rate"],
    [{ dev: p0, kind: "tbf", rate: "10%", burst: "10k", latency: "50ms", peakrate: "-1%", mtu: 1600 }, "peakrate"],
    [{ dev: p0, kind: "fq", lowRateThreshold: "10%" }, "lowRateThreshold"], // tc takes no % there
    [{ dev: p0, kind: "cake", bandwidth: "10%" }, "bandwidth"], // nor for cake
    [{ dev: p0, kind: "choke", limit: 1000, bandwidth: "200%" }, "bandwidth"],
  ];
  for (const [o, field] of refused) {
    throws(() => qdiscRequest("add", p0, o, SPEED), (e) => e instanceof ValidationError && e.field === field, field);
  }
  // hfsc's 32-bit slopes: 100 % of a 400 Gbit/s link does not fit (tc's get_percent_rate refuses it too).
  throws(
    () => classRequest("add", p0, { dev: p0, classid: "1:1", kind: "hfsc", sc: { m2: "100%" } }, { linkSpeed: 400000 }),
    (e) => e instanceof ValidationError && e.field === "sc.m2",
  );
});

Deno.test("a pure builder without the link speed refuses a percentage, naming the field", () => {
  throws(
    () => qdiscRequest("add", p0, { dev: p0, kind: "tbf", rate: "10%", burst: "10k", latency: "50ms" }),
    (e) => e instanceof ValidationError && e.field === "rate" && /link speed/.test(e.message),
  );
  throws(
    () => classRequest("add", p0, { dev: p0, classid: "1:2", kind: "htb", rate: "1mbit", ceil: "50%" }),
    (e) => e instanceof ValidationError && e.field === "ceil",
  );
});

Deno.test("decoding what we encode gives the computed rates back", () => {
  const tbf = decodeQdisc(asMessage(OURS["tbf"]()));
  const parms = (tbf.options as { parms: { rate: { rate: number } } }).parms;
  assertEquals(parms.rate.rate, 125_000_000);
  const netem = decodeQdisc(asMessage(OURS["netem.rate"]()));
  assertEquals((netem.options as { rate: { rate: number } }).rate.rate, 62_500_000);
});
