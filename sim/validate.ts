// SPDX-License-Identifier: Apache-2.0
// Field checks shared by every format reader: each failure names the field, the value and the
// allowed range, and the file when there is one.

import { FormatError, LociError, RangeValueError, formatValue } from "./errors.ts";
import type { Range } from "./spec.ts";

/** Where a value came from, for error messages. */
export interface Where {
  readonly file?: string;
}

/** Require an integer in `[range.min, range.max]`; return it. */
export function checkInt(field: string, value: unknown, range: Range, where: Where = {}): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw new RangeValueError(field, value, `integer ${range.min}..${range.max}`, where);
  }
  return value;
}

/** Require a finite number in `[min, max]` (either bound may be open by passing +-Infinity). */
export function checkNumber(field: string, value: unknown, range: Range, where: Where = {}): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < range.min || value > range.max) {
    const lo = range.min === -Infinity ? "" : `>= ${range.min}`;
    const hi = range.max === Infinity ? "" : `<= ${range.max}`;
    throw new RangeValueError(field, value, `finite number ${[lo, hi].filter(Boolean).join(" and ") || "any"}`, where);
  }
  return value;
}

/** Require a boolean (or 0/1 when `allowBit`). */
export function checkBool(field: string, value: unknown, where: Where = {}, allowBit = true): boolean {
  if (typeof value === "boolean") return value;
  if (allowBit && (value === 0 || value === 1)) return value === 1;
  throw new RangeValueError(field, value, allowBit ? "true, false, 0 or 1" : "true or false", where);
}

/** Require one of the listed strings. */
export function checkEnum<T extends string>(field: string, value: unknown, allowed: readonly T[], where: Where = {}): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new RangeValueError(field, value, allowed.map((a) => JSON.stringify(a)).join(", "), where);
  }
  return value as T;
}

/** Require a plain object. */
export function checkObject(field: string, value: unknown, where: Where = {}): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FormatError(`${field} must be an object, got ${formatValue(value)}`, { context: { ...where, field, value } });
  }
  return value as Record<string, unknown>;
}

/** Require an array. */
export function checkArray(field: string, value: unknown, where: Where = {}): unknown[] {
  if (!Array.isArray(value)) {
    throw new FormatError(`${field} must be an array, got ${formatValue(value)}`, { context: { ...where, field, value } });
  }
  return value;
}

/** Reject keys that the format does not define, naming the first unknown one. */
export function checkKnownKeys(field: string, obj: Record<string, unknown>, known: readonly string[], where: Where = {}): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) {
      const path = field === "" ? key : `${field}.${key}`;
      const prefix = where.file === undefined ? "" : `${where.file}: `;
      throw new LociError("E_UNKNOWN_FIELD", `${prefix}unknown field ${path} (known: ${known.join(", ")})`, {
        context: { ...where, field: path },
        suggestion: "Remove the field or check its spelling.",
      });
    }
  }
}
