/**
 * Result types shared by several socket families.
 *
 * @module
 */

/** struct inet_diag_meminfo: memory of an inet socket's queues, in bytes. */
export interface MemInfo {
  /** Receive queue memory. */
  rmem: number;
  /** Send queue memory (written, not yet sent). */
  wmem: number;
  /** Forward-allocated memory. */
  fmem: number;
  /** Transmit memory (sent, not yet acknowledged). */
  tmem: number;
}

/**
 * The socket memory counters (SK_MEMINFO_*), ss(8)'s `skmem:(r…,rb…,t…,tb…,f…,w…,o…,bl…,d…)`.
 * A newer kernel's additional counters appear as `unknownN`.
 */
export interface SkMemInfo {
  /** Receive queue memory allocated (`r`). */
  rmemAlloc: number;
  /** Receive buffer size (`rb`). */
  rcvbuf: number;
  /** Transmit memory allocated (`t`). */
  wmemAlloc: number;
  /** Send buffer size (`tb`). */
  sndbuf: number;
  /** Forward-allocated memory (`f`). */
  fwdAlloc: number;
  /** Send queue memory (`w`). */
  wmemQueued: number;
  /** Option memory (`o`). */
  optmem: number;
  /** Backlog memory (`bl`). */
  backlog: number;
  /** Packets dropped (`d`). */
  drops: number;
  /** Counters of newer kernels, by SK_MEMINFO_ number. */
  [unknown: `unknown${number}`]: number;
}
