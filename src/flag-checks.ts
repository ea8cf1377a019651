import { UsageError } from './errors.js';

/** Checks on numeric flag values; each error names the flag, the rule and the value. */

export function positive(flag: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`${flag}: expected a number > 0, got ${value}`);
  return value;
}

export function atLeast(flag: string, value: number, min: number): number {
  if (!(value >= min) || !Number.isFinite(value))
    throw new UsageError(`${flag}: expected a number ≥ ${min}, got ${value}`);
  return value;
}

export function integer(flag: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`${flag}: expected an integer ≥ ${min}, got ${value}`);
  return value;
}

export function percent(flag: string, value: number): number {
  if (!(value >= 0 && value <= 100)) throw new UsageError(`${flag}: expected a percentage from 0 to 100, got ${value}`);
  return value;
}

export function port(flag: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new UsageError(`${flag}: expected a port number from 1 to 65535, got ${value}`);
  }
  return value;
}
