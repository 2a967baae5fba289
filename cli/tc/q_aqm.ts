/**
 * `tc` words of the queue-management kinds (q_netem.c, q_codel.c,
 * q_fq_codel.c, q_fq.c, q_cake.c) → the library's typed options. Their
 * printers are in q_print_aqm.ts and q_print_cake.ts.
 *
 * @module
 */
import type { Args } from "../common/args.ts";
import { readRate, readSize, readTime } from "./q_core.ts";
import { kindError, type KindOptions, type QdiscKindCli, readInt, readUint } from "./q_types.ts";
import { QDISC_USAGE } from "./q_usage.ts";
import { readWords } from "./q_words.ts";

// ------------------------------------------------------------------ netem

/** The next word when it starts with a digit (iproute2's NEXT_IS_NUMBER), consumed. */
function nextNumber(a: Args, signed = false): string | undefined {
  const w = a.peek();
  if (w === undefined || !(/^[0-9]/.test(w) || (signed && /^-[0-9]/.test(w)))) return undefined;
  return a.next();
}

function parseNetem(a: Args): KindOptions {
  const o: KindOptions = {};
  const illegal = (what: string, _v: string) => kindError(`Illegal "${what}"`, QDISC_USAGE.netem);
  const time = (w: string) => {
    const v = a.value(w);
    if (readTime(v) === undefined) throw illegal(w, v);
    return v;
  };
  while (a.more) {
    const w = a.next()!;
    if (w === "limit") {
      const v = a.value(w);
      if (readSize(v) === undefined) throw illegal("limit", v);
      o.limit = /^\d+$/.test(v) ? Number(v) : v;
    } else if (w === "latency" || w === "delay") {
      o.delay = time(w);
      const jitter = nextNumber(a);
      if (jitter !== undefined) {
        o.jitter = jitter;
        const corr = nextNumber(a);
        if (corr !== undefined) o.delayCorrelation = corr;
      }
    } else if (w === "loss") {
      const v = a.value(w);
      if (v === "random" || /^[0-9]/.test(v)) {
        o.loss = v === "random" ? a.value(w) : v;
        const corr = nextNumber(a);
        if (corr !== undefined) o.lossCorrelation = corr;
      } else if (v === "state" || v === "gemodel") {
        const keys = v === "state" ? ["p13", "p31", "p32", "p23", "p14"] : ["p", "r", "oneMinusH", "oneMinusK"];
        const model: Record<string, string> = { [keys[0]]: a.value(w) };
        for (const k of keys.slice(1)) {
          const n = nextNumber(a);
          if (n === undefined) break;
          model[k] = n;
        }
        o[v === "state" ? "lossState" : "lossGemodel"] = model;
      } else throw kindError(`Unknown loss parameter: ${v}`);
    } else if (w === "ecn") o.ecn = true;
    else if (w === "reorder" || w === "corrupt" || w === "duplicate") {
      o[w] = a.value(w);
      const corr = nextNumber(a);
      if (corr !== undefined) o[`${w}Correlation`] = corr;
    } else if (w === "gap") {
      const v = a.value(w);
      const n = readUint(v, 10);
      if (n === undefined) throw illegal("gap", v);
      o.gap = n;
    } else if (w === "distribution") o.distribution = a.value(w);
    else if (w === "rate") {
      const v = a.value(w);
      if (readRate(v) === undefined) throw illegal("rate", v);
      o.rate = v;
      const keys = ["packetOverhead", "cellSize", "cellOverhead"];
      for (const k of keys) {
        const n = nextNumber(a, k !== "cellSize");
        if (n === undefined) break;
        o[k] = readInt(n);
      }
    } else if (w === "slot") {
      const slot: Record<string, unknown> = {};
      if (a.peek() === "distribution") {
        a.next();
        slot.distribution = a.value(w);
        slot.delay = time(w);
        slot.jitter = time(w);
      } else {
        slot.min = time(w);
        const max = nextNumber(a);
        if (max !== undefined) slot.max = max;
      }
      for (;;) {
        const k = a.peek();
        if (k !== "packets" && k !== "bytes") break;
        a.next();
        const v = a.value(k);
        slot[k] = k === "packets" ? readInt(v) : v;
      }
      o.slot = slot;
    } else if (w === "help") throw kindError(QDISC_USAGE.netem);
    else throw kindError(`What is "${w}"?`, QDISC_USAGE.netem);
  }
  const none = (t: unknown) => t === undefined || !readTime(t as string);
  if (o.distribution !== undefined && (none(o.delay) || none(o.jitter))) {
    throw kindError("distribution specified but no latency and jitter values", QDISC_USAGE.netem);
  }
  return o;
}

// ------------------------------------------------------------------ codel, fq_codel

function parseCodel(a: Args, kind: string): KindOptions {
  const fq = kind === "fq_codel";
  return readWords(a, {
    kind,
    usage: fq ? QDISC_USAGE.fq_codel : `Usage: ... codel [ limit PACKETS ] [ target TIME ]
		 [ interval TIME ] [ ecn | noecn ]
		 [ ce_threshold TIME ]`,
    unknown: (w) => `What is "${w}"?`,
    illegal: (w) => `Illegal "${w}"`,
    words: {
      limit: { key: "limit", type: "uint" },
      target: { key: "target", type: "time" },
      interval: { key: "interval", type: "time" },
      ecn: { key: "ecn", type: "flag", value: true },
      noecn: { key: "ecn", type: "flag", value: false },
      ce_threshold: { key: "ceThreshold", type: "time" },
      ...(fq
        ? {
          flows: { key: "flows", type: "uint" },
          quantum: { key: "quantum", type: "uint" },
          memory_limit: { key: "memoryLimit", type: "size" },
          drop_batch: { key: "dropBatch", type: "uint" },
          ce_threshold_selector: { key: "ceThresholdSelector", type: "text" },
        }
        : {}),
    },
  });
}

// ------------------------------------------------------------------ fq

function parseFq(a: Args): KindOptions {
  return readWords(a, {
    kind: "fq",
    usage: QDISC_USAGE.fq,
    words: {
      limit: { key: "limit", type: "uint" },
      flow_limit: { key: "flowLimit", type: "uint" },
      quantum: { key: "quantum", type: "bytes" },
      initial_quantum: { key: "initialQuantum", type: "bytes" },
      buckets: { key: "buckets", type: "uint" },
      maxrate: { key: "maxrate", type: "rate" },
      low_rate_threshold: { key: "lowRateThreshold", type: "rate" },
      defrate: { key: "defrate", type: "rate" },
      refill_delay: { key: "refillDelay", type: "time" },
      orphan_mask: { key: "orphanMask", type: "uint" },
      ce_threshold: { key: "ceThreshold", type: "time" },
      timer_slack: { key: "timerSlack", type: "time" },
      horizon: { key: "horizon", type: "time" },
      horizon_drop: { key: "horizonDrop", type: "flag", value: true },
      horizon_cap: { key: "horizonDrop", type: "flag", value: false },
      pacing: { key: "pacing", type: "flag", value: true },
      nopacing: { key: "pacing", type: "flag", value: false },
    },
  });
}

// ------------------------------------------------------------------ cake

const CAKE_PRESETS = ["datacentre", "lan", "metro", "regional", "internet", "oceanic", "satellite", "interplanetary"];
const CAKE_DIFFSERV = ["besteffort", "diffserv8", "diffserv4", "diffserv3", "precedence"];
const CAKE_FLOWS = [
  "flowblind",
  "srchost",
  "dsthost",
  "hosts",
  "flows",
  "dual-srchost",
  "dual-dsthost",
  "triple-isolate",
];
const CAKE_FRAMING = [
  "conservative",
  "ipoa-vcmux",
  "ipoa-llcsnap",
  "bridged-vcmux",
  "bridged-llcsnap",
  "pppoa-vcmux",
  "pppoa-llc",
  "pppoe-vcmux",
  "pppoe-llcsnap",
  "pppoe-ptm",
  "bridged-ptm",
  "via-ethernet",
  "ethernet",
  "ether-vlan",
  "docsis",
];
const CAKE_TOGGLES: Record<string, [string, unknown]> = {
  "autorate-ingress": ["autorateIngress", true],
  "nat": ["nat", true],
  "nonat": ["nat", false],
  "wash": ["wash", true],
  "nowash": ["wash", false],
  "split-gso": ["splitGso", true],
  "no-split-gso": ["splitGso", false],
  "ingress": ["ingress", true],
  "egress": ["ingress", false],
  "ack-filter": ["ackFilter", "ack-filter"],
  "ack-filter-aggressive": ["ackFilter", "ack-filter-aggressive"],
  "no-ack-filter": ["ackFilter", "no-ack-filter"],
  "atm": ["atm", "atm"],
  "ptm": ["atm", "ptm"],
  "noatm": ["atm", "noatm"],
  "raw": ["raw", true],
};

function parseCake(a: Args): KindOptions {
  const o: KindOptions = {};
  const framing: string[] = [];
  while (a.more) {
    const w = a.next()!;
    if (w === "bandwidth") {
      const v = a.value(w);
      if (readRate(v) === undefined) throw kindError(`Illegal "bandwidth"`);
      o.bandwidth = v;
    } else if (w === "unlimited") o.bandwidth = "unlimited";
    else if (w === "rtt") {
      const v = a.value(w);
      if (readTime(v) === undefined) throw kindError(`Illegal "rtt"`);
      o.rtt = v;
    } else if (CAKE_PRESETS.includes(w)) o.preset = w;
    else if (CAKE_DIFFSERV.includes(w)) o.diffserv = w;
    else if (CAKE_FLOWS.includes(w)) o.flowMode = w;
    else if (CAKE_FRAMING.includes(w)) framing.push(w);
    else if (Object.hasOwn(CAKE_TOGGLES, w)) o[CAKE_TOGGLES[w][0]] = CAKE_TOGGLES[w][1];
    else if (w === "overhead" || w === "mpu") {
      const v = a.value(w);
      const n = readInt(v);
      if (n === undefined) throw kindError(`Illegal "${w}"`);
      o[w] = n;
    } else if (w === "memlimit") {
      const v = a.value(w);
      if (readSize(v) === undefined) throw kindError(`Illegal "memlimit"`);
      o.memlimit = v;
    } else if (w === "fwmark") {
      const v = a.value(w);
      const n = readUint(v);
      if (n === undefined) throw kindError(`Illegal value for "fwmark": "${v}"`);
      o.fwmark = n;
    } else if (w === "help") throw kindError(QDISC_USAGE.cake);
    else throw kindError(`What is "${w}"?`, QDISC_USAGE.cake);
  }
  if (framing.length) o.framing = framing;
  return o;
}

/** The queue-management kinds by name. */
export const AQM_CLI: Record<string, QdiscKindCli> = {
  netem: { parse: parseNetem },
  codel: { parse: parseCodel },
  fq_codel: { parse: parseCodel },
  fq: { parse: parseFq },
  cake: { parse: parseCake },
};
