/**
 * `tc` words of the fair-queueing and RED-family kinds (q_pie.c,
 * q_fq_pie.c, q_hhf.c, q_sfq.c, q_red.c, q_choke.c, q_gred.c, q_sfb.c) → the
 * library's typed options. Their printers are in q_print_aqm.ts (pie,
 * fq_pie, hhf) and q_print_fair.ts.
 *
 * @module
 */
import { redIdleDamping, redPlog, redThresholds, redWlog } from "@nlink/nlink/tc";
import type { Args } from "../common/args.ts";
import { readRate, readSize } from "./q_core.ts";
import { kindError, type KindOptions, type QdiscKindCli } from "./q_types.ts";
import { QDISC_USAGE } from "./q_usage.ts";
import { readWords, type WordSpec } from "./q_words.ts";

const ECN_WORDS: Record<string, WordSpec> = {
  ecn: { key: "ecn", type: "flag", value: true },
  noecn: { key: "ecn", type: "flag", value: false },
  bytemode: { key: "bytemode", type: "flag", value: true },
  nobytemode: { key: "bytemode", type: "flag", value: false },
  dq_rate_estimator: { key: "dqRateEstimator", type: "flag", value: true },
  no_dq_rate_estimator: { key: "dqRateEstimator", type: "flag", value: false },
};

function parsePie(a: Args, kind: string): KindOptions {
  const fq = kind === "fq_pie";
  return readWords(a, {
    kind,
    usage: fq ? QDISC_USAGE.fq_pie : QDISC_USAGE.pie,
    words: {
      limit: { key: "limit", type: "uint" },
      target: { key: "target", type: "time" },
      tupdate: { key: "tupdate", type: "time" },
      alpha: { key: "alpha", type: "uint" },
      beta: { key: "beta", type: "uint" },
      ...ECN_WORDS,
      ...(fq
        ? {
          flows: { key: "flows", type: "uint" },
          quantum: { key: "quantum", type: "uint" },
          memory_limit: { key: "memoryLimit", type: "size" },
          ecn_prob: { key: "ecnProb", type: "uint" },
        }
        : {}),
    },
  });
}

function parseHhf(a: Args): KindOptions {
  return readWords(a, {
    kind: "hhf",
    usage: QDISC_USAGE.hhf,
    words: {
      limit: { key: "limit", type: "uint" },
      quantum: { key: "quantum", type: "uint" },
      hh_limit: { key: "hhLimit", type: "uint" },
      reset_timeout: { key: "resetTimeout", type: "time" },
      admit_bytes: { key: "admitBytes", type: "uint" },
      evict_timeout: { key: "evictTimeout", type: "time" },
      non_hh_weight: { key: "nonHhWeight", type: "uint" },
    },
  });
}

const RED_WORDS: Record<string, WordSpec> = {
  limit: { key: "limit", type: "size" },
  min: { key: "min", type: "size" },
  max: { key: "max", type: "size" },
  avpkt: { key: "avpkt", type: "size" },
  burst: { key: "burst", type: "uint" },
  probability: { key: "probability", type: "number" },
  bandwidth: { key: "bandwidth", type: "rate" },
  ecn: { key: "ecn", type: "flag" },
  harddrop: { key: "harddrop", type: "flag" },
};

function numericSizes(o: KindOptions): KindOptions {
  // the library takes plain byte counts as numbers and unit text as it is
  for (const k of ["limit", "min", "max", "avpkt"]) {
    if (typeof o[k] === "string" && /^\d+$/.test(o[k] as string)) o[k] = Number(o[k]);
  }
  return o;
}

function parseSfq(a: Args): KindOptions {
  return numericSizes(readWords(a, {
    kind: "sfq",
    usage: `Usage: ... sfq	[ limit NUMBER ] [ perturb SECS ] [ quantum BYTES ]
		[ divisor NUMBER ] [ flows NUMBER] [ depth NUMBER ]
		[ headdrop ]
		[ redflowlimit BYTES ] [ min BYTES ] [ max BYTES ]
		[ avpkt BYTES ] [ burst PACKETS ] [ probability P ]
		[ ecn ] [ harddrop ]`,
    words: {
      ...RED_WORDS,
      limit: { key: "limit", type: "uint" },
      perturb: { key: "perturb", type: "uint" },
      quantum: { key: "quantum", type: "size" },
      divisor: { key: "divisor", type: "uint" },
      flows: { key: "flows", type: "uint" },
      depth: { key: "depth", type: "uint" },
      headdrop: { key: "headdrop", type: "flag" },
      redflowlimit: { key: "redflowlimit", type: "uint" },
    },
  }));
}

/**
 * The steps red_parse_opt and choke_parse_opt take after their words, with
 * their messages: the thresholds' defaults, then the EWMA weight, the
 * probability's slope and the idle-damping table, as tc computes them (C's
 * unsigned arithmetic). Warnings go to stderr as tc prints them; a failure
 * ends the command with tc's words (exit 1). Words tc reads otherwise (a
 * rate in percent) are left to the library.
 */
function redSteps(name: "RED" | "CHOKE", o: KindOptions): void {
  const size = (k: string) => (o[k] === undefined ? 0 : readSize(String(o[k])));
  const limit = size("limit");
  const given = o.bandwidth === undefined ? 0n : readRate(String(o.bandwidth));
  // tc reads the bandwidth as a 32-bit rate (get_rate): a larger one is refused as its word.
  if (given !== undefined && given >= 0x100000000n) throw kindError('Illegal "bandwidth"');
  const avpkt = name === "RED" ? size("avpkt") : (o.avpkt === undefined ? 1000 : size("avpkt"));
  const min = size("min"), max = size("max");
  // A word the library reads otherwise (a rate in percent) is left to it.
  if (limit === undefined || min === undefined || max === undefined || avpkt === undefined || given === undefined) {
    return;
  }
  if (name === "RED" && (!limit || !avpkt)) throw kindError("RED: Required parameter (limit, avpkt) is missing");
  if (name === "CHOKE" && (!given || !limit)) throw kindError("Required parameter (bandwidth, limit) is missing");
  const t = redThresholds(name === "RED" ? "red" : "choke", {
    limit,
    avpkt,
    min,
    max,
    burst: typeof o.burst === "number" ? o.burst : 0,
  });
  const { burst, qmin, qmax } = t;
  let rate = Number(given);
  if (name === "RED" && !rate) {
    rate = 1250000;
    console.error("RED: set bandwidth to 10Mbit");
  }
  if (name === "CHOKE") {
    if (t.max > limit) throw kindError('"max" is larger than "limit"');
    if (t.min >= t.max) throw kindError('"min" is not smaller than "max"');
  }
  const wlog = redWlog(qmin, burst, avpkt);
  if (wlog < 0) {
    if (burst + 1 - qmin / avpkt < 1.0) {
      console.error(`tc_red_eval_ewma() burst ${burst} is too small ? Try burst ${1 + Math.floor(qmin / avpkt)}`);
    }
    throw kindError(`${name}: failed to calculate EWMA constant.`);
  }
  if (wlog >= 10) console.error(`${name}: WARNING. Burst ${burst} seems to be too large.`);
  const probability = typeof o.probability === "number" ? o.probability : 0.02;
  if (redPlog(qmin, qmax, probability) < 0) throw kindError(`${name}: failed to calculate probability.`);
  if (redIdleDamping(wlog, avpkt, rate) === undefined) {
    throw kindError(`${name}: failed to calculate idle damping table.`);
  }
}

function parseRed(a: Args): KindOptions {
  const o = readWords(a, {
    kind: "red",
    usage: QDISC_USAGE.red,
    words: {
      ...RED_WORDS,
      adaptive: { key: "adaptive", type: "flag" },
      adaptative: { key: "adaptive", type: "flag" },
      nodrop: { key: "nodrop", type: "flag" },
      qevent: {
        key: "qevent",
        type: "custom",
        read: (a, o) => {
          const which = a.value("qevent");
          if (which !== "early_drop" && which !== "mark") throw kindError(`Unknown qevent "${which}"`);
          if (a.value("qevent") !== "block") throw kindError("Expected block");
          const v = Number(a.value("block"));
          o[which === "mark" ? "markBlock" : "earlyDropBlock"] = v;
        },
      },
    },
  });
  redSteps("RED", o);
  return numericSizes(o);
}

function parseChoke(a: Args): KindOptions {
  const o = readWords(a, {
    kind: "choke",
    usage: QDISC_USAGE.choke,
    words: {
      ...RED_WORDS,
      limit: { key: "limit", type: "uint" },
      min: { key: "min", type: "uint" },
      max: { key: "max", type: "uint" },
    },
  });
  redSteps("CHOKE", o);
  return numericSizes(o);
}

const GRED_USAGE = `Usage: tc qdisc { add | replace | change } ... gred setup vqs NUMBER
           default DEFAULT_VQ [ grio ] [ limit BYTES ] [ecn] [harddrop]
       tc qdisc change ... gred vq VQ [ prio VALUE ] limit BYTES
           min BYTES max BYTES avpkt BYTES [ burst PACKETS ]
           [ probability PROBABILITY ] [ bandwidth KBPS ] [ecn] [harddrop]`;

function parseGred(a: Args): KindOptions {
  const setup = a.peek() === "setup";
  if (setup) a.next();
  // Neither `setup` nor a VQ's words: gred_parse_opt prints its usage and fails.
  else if (a.peek() === undefined) throw kindError(GRED_USAGE);
  const o = readWords(a, {
    kind: "gred",
    usage: GRED_USAGE,
    words: {
      ...RED_WORDS,
      vqs: { key: "vqs", type: "uint" },
      default: { key: "default", type: "uint" },
      grio: { key: "grio", type: "flag" },
      vq: { key: "vq", type: "uint" },
      prio: { key: "prio", type: "uint" },
    },
  });
  // The checks after the words: init_gred's for `setup`, gred_parse_opt's for a VQ.
  if (setup && (o.vqs === undefined || o.default === undefined)) throw kindError("Illegal gred setup parameters");
  if (!setup && ["vq", "limit", "min", "max", "avpkt"].some((k) => o[k] === undefined)) {
    throw kindError("Required parameter (vq, limit, min, max, avpkt) is missing");
  }
  return numericSizes(o);
}

function parseSfb(a: Args): KindOptions {
  return readWords(a, {
    kind: "sfb",
    usage: QDISC_USAGE.sfb,
    help: "none",
    words: {
      rehash: { key: "rehash", type: "uint" },
      db: { key: "db", type: "uint" },
      limit: { key: "limit", type: "uint" },
      max: { key: "max", type: "uint" },
      target: { key: "target", type: "uint" },
      increment: { key: "increment", type: "number" },
      decrement: { key: "decrement", type: "number" },
      penalty_rate: { key: "penaltyRate", type: "uint" },
      penalty_burst: { key: "penaltyBurst", type: "uint" },
    },
  });
}

/** The fair-queueing and RED-family kinds by name. */
export const FAIR_CLI: Record<string, QdiscKindCli> = {
  pie: { parse: parsePie },
  fq_pie: { parse: parsePie },
  hhf: { parse: parseHhf },
  sfq: { parse: parseSfq },
  red: { parse: parseRed },
  choke: { parse: parseChoke },
  gred: { parse: parseGred },
  sfb: { parse: parseSfb },
};
