// The static value model: what an expression evaluates to without running anything.
import type { JsonSchema } from './types.ts';

/** An expression whose value is only known at run time. */
export class Unresolved {
  constructor(readonly reason: string) {}
}

/** A schema-valued expression (a zod type, a Python type hint): what it would serve as JSON Schema. */
export class SchemaValue {
  constructor(
    readonly schema: JsonSchema,
    readonly optional = false,
  ) {}
}

/** A function or other code object, carried so that callers can look at its definition. */
export class CodeRef<N = unknown> {
  constructor(readonly node: N) {}
}

export type Value =
  string | number | boolean | null | Value[] | ValueObject | Unresolved | SchemaValue | CodeRef;
export interface ValueObject {
  [key: string]: Value;
}

export function isObject(v: Value | undefined): v is ValueObject {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Unresolved) &&
    !(v instanceof SchemaValue) &&
    !(v instanceof CodeRef)
  );
}

/** Plain JSON (no unresolved parts), or undefined. */
export function toJson(v: Value | undefined): unknown {
  if (v === undefined || v instanceof Unresolved || v instanceof CodeRef) return undefined;
  if (v instanceof SchemaValue) return v.schema;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const j = toJson(item);
      if (j === undefined) return undefined;
      out.push(j);
    }
    return out;
  }
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) {
      const j = toJson(item);
      if (j === undefined) return undefined;
      out[k] = j;
    }
    return out;
  }
  return v;
}

export function asString(v: Value | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export const ANNOTATION_HINTS = [
  'readOnlyHint',
  'destructiveHint',
  'idempotentHint',
  'openWorldHint',
] as const;

/** Keeps the known annotation keys with values of the right type. */
export function cleanAnnotations(v: Value | undefined): Record<string, unknown> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of ANNOTATION_HINTS) if (typeof v[key] === 'boolean') out[key] = v[key];
  if (typeof v.title === 'string') out.title = v.title;
  return Object.keys(out).length > 0 ? out : undefined;
}
