/**
 * Every action kind nlink knows, by name: kept apart from the other kinds'
 * registry because filter kinds import the action list codec, which looks
 * action kinds up here (one registry for both would import itself).
 *
 * @module
 */
import { BASIC_ACTIONS } from "./actions/basic.ts";
import { REWRITE_ACTIONS } from "./actions/rewrite.ts";
import type { KindTable } from "./kind.ts";

let actions: KindTable | undefined;

/** Action kinds by name. */
export function actionKinds(): KindTable {
  return actions ??= { ...BASIC_ACTIONS, ...REWRITE_ACTIONS };
}
