/**
 * Traffic control: qdiscs, classes, filters, chains and actions, typed both
 * ways, with tc(8)'s units and handles.
 *
 * @module
 */
export {
  checkQdisc,
  decodeQdisc,
  type DeleteQdiscOptions,
  deleteQdiscRequest,
  type GetQdiscsOptions,
  type Qdisc,
  type QdiscCommonOptions,
  qdiscData,
  type QdiscDataByKind,
  qdiscDumpRequest,
  type QdiscKindOptions,
  type QdiscOptions,
  qdiscRequest,
} from "./qdisc.ts";
export {
  checkClass,
  type ClassCommonOptions,
  classData,
  type ClassDataByKind,
  classDumpRequest,
  type ClassKindOptions,
  type ClassOptions,
  classRequest,
  decodeClass,
  deleteClassRequest,
  type GetClassesOptions,
  type TcClass,
} from "./class.ts";
export {
  decodeFilter,
  type Filter,
  type FilterCommonOptions,
  filterData,
  type FilterDataByKind,
  filterDumpRequest,
  type FilterKindOptions,
  type FilterOptions,
  type FilterPlace,
  filterRequest,
  type FilterSelector,
  filterSelectorRequest,
  type GetFiltersOptions,
} from "./filter.ts";
export {
  type Chain,
  chainDumpRequest,
  chainGetRequest,
  type ChainOptions,
  chainRequest,
  type ChainSelector,
  getChain,
} from "./chain.ts";
export {
  type Action,
  actionData,
  type ActionDataByKind,
  type ActionKindOptions,
  actionLookupRequest,
  type ActionOptions,
  type ActionPage,
  actionRequest,
  getActionPages,
  streamActions,
} from "./action.ts";
export type { ActionCommonOptions } from "./actions/common.ts";
export { redIdleDamping, redPlog, redThresholds, redWlog } from "./qdiscs/red.ts";
export { type TcObject, type TcStats, type TcStatsDelta, tcStatsDelta } from "./decode.ts";
export type { EstimatorOptions, SizeTableOptions } from "./estimator.ts";
export { formatHandle, type Handle, makeHandle, parseClassId, parseParent, parseQdiscHandle } from "./handle.ts";
export { ETH_PROTOCOL, TC_ACT, TC_H, type Verdict, verdictName, verdictValue } from "./constants.ts";
export type { Rate, Size, Time } from "./common.ts";
export type { KindTable, TcContext, TcKindCodec, TcOp, TcOptions } from "./kind.ts";
export { tcContext, type TcLookups, type TcWanted } from "./request.ts";
export * as tcUnits from "./units.ts";
export type * from "./qdiscs/core.ts";
export type * from "./qdiscs/aqm.ts";
export type * from "./qdiscs/fair.ts";
export type * from "./qdiscs/sched.ts";
export type * from "./filters/classic.ts";
export type * from "./filters/misc.ts";
export type { FilterPoliceOptions } from "./filters/cls_common.ts";
export { parseEmatch } from "./filters/ematch_parse.ts";
export type * from "./filters/flower_group.ts";
export type * from "./actions/basic.ts";
export type * from "./actions/rewrite.ts";
export {
  applyPerHostLimit,
  applyRateLimit,
  type HostLimit,
  type PerHostLimitOptions,
  type RateLimitOptions,
  removePerHostLimit,
  removeRateLimit,
} from "./limiter.ts";
export { formatU32Handle, parseU32Handle } from "./filters/u32.ts";
export { routeHandle } from "./filters/route.ts";
export { applyNetem, type NetemSettings, removeNetem } from "./netem_helpers.ts";
export { loadNetemDistribution, parseNetemDistribution } from "./qdiscs/netem.ts";
