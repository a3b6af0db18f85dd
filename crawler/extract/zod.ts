// zod schemas → the JSON Schema the MCP SDK would serve for them (zod v3 and v4 method names).
import type { Node } from 'web-tree-sitter';
import type { JsCtx } from './js-values.ts';
import { evalJs } from './js-values.ts';
import { named } from './project.ts';
import type { JsonSchema, ToolInput } from './types.ts';
import { SchemaValue, Unresolved, isObject, toJson, type Value, type ValueObject } from './values.ts';

/** zod v4 bounds `.int()` to the safe-integer range in its JSON Schema. */
const SAFE_INT = { minimum: -9007199254740991, maximum: 9007199254740991 };

const STRING_FORMATS: Record<string, string> = {
  email: 'email',
  url: 'uri',
  uuid: 'uuid',
  datetime: 'date-time',
  date: 'date',
  time: 'time',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
};
/** Methods that refine or transform but leave the served input schema as it is. */
const NEUTRAL = new Set([
  'refine',
  'superRefine',
  'transform',
  'pipe',
  'brand',
  'readonly',
  'catch',
  'check',
  'strip',
  'strict',
  'passthrough',
  'nonstrict',
  'trim',
  'toLowerCase',
  'toUpperCase',
  'startsWith',
  'endsWith',
  'includes',
  'finite',
  'safe',
  'multipleOf',
  'step',
  'nonempty',
  'openapi',
]);

function chainRoot(node: Node): Node {
  let n = node;
  while (true) {
    if (n.type === 'call_expression') n = n.childForFieldName('function') ?? n;
    else if (n.type === 'member_expression') n = n.childForFieldName('object') ?? n;
    else return n;
    if (n.type !== 'call_expression' && n.type !== 'member_expression') return n;
  }
}

function isZodNamespace(node: Node, c: JsCtx): boolean {
  if (node.type === 'member_expression') {
    // CommonJS output: `const zod_1 = require("zod"); zod_1.z.string()`.
    const prop = node.childForFieldName('property')?.text;
    const obj = node.childForFieldName('object');
    return (prop === 'z' || prop === 'default') && !!obj && isZodNamespace(obj, c);
  }
  if (node.type !== 'identifier') return false;
  const b = c.mod.lookup(node.text, node);
  // `zod`/`z` imported from zod, or from a module that re-exports it (a vendored third_party bundle).
  if (b?.kind === 'import')
    return b.source === 'zod' || b.source.startsWith('zod/') || node.text === 'z' || node.text === 'zod';
  if (b?.kind === 'value' && b.node.type === 'call_expression') {
    const fn = b.node.childForFieldName('function')?.text;
    const arg = b.node.childForFieldName('arguments')?.namedChild(0);
    return fn === 'require' && arg?.type === 'string' && /^['"]zod(\/|['"])/.test(arg.text);
  }
  return !b && (node.text === 'z' || node.text === 'zod');
}

/** Whether a call expression is a zod schema built from the `z` namespace. */
export function isZodRoot(node: Node, c: JsCtx): boolean {
  return isZodNamespace(chainRoot(node), c);
}

export function evalZod(node: Node, c: JsCtx): Value {
  const fn = node.childForFieldName('function');
  const args = named(node.childForFieldName('arguments')).filter((a) => a.type !== 'comment');
  if (fn?.type !== 'member_expression') return new Unresolved(node.text);
  const method = fn.childForFieldName('property')?.text ?? '';
  let obj = fn.childForFieldName('object') as Node;
  if (obj.type === 'member_expression' && obj.childForFieldName('property')?.text === 'coerce')
    obj = obj.childForFieldName('object') as Node;
  if (isZodNamespace(obj, c)) return construct(method, args, c, node);
  const base = evalJs(obj, c);
  if (!(base instanceof SchemaValue)) return new Unresolved(node.text);
  return modify(base, method, args, c);
}

function sv(schema: JsonSchema, optional = false): SchemaValue {
  return new SchemaValue(schema, optional);
}

function schemaOf(v: Value): JsonSchema {
  return v instanceof SchemaValue ? v.schema : {};
}

function construct(method: string, args: Node[], c: JsCtx, node: Node): Value {
  const arg = (i: number) => evalJs(args[i], c);
  switch (method) {
    case 'string':
      return sv({ type: 'string' });
    case 'number':
      return sv({ type: 'number' });
    case 'int':
      return sv({ type: 'integer', ...SAFE_INT });
    case 'int32':
      return sv({ type: 'integer', minimum: -2147483648, maximum: 2147483647 });
    case 'bigint':
      return sv({ type: 'integer' });
    case 'boolean':
      return sv({ type: 'boolean' });
    case 'date':
      return sv({ type: 'string', format: 'date-time' });
    case 'null':
      return sv({ type: 'null' });
    case 'any':
    case 'unknown':
      return sv({});
    case 'undefined':
    case 'void':
      return sv({}, true);
    case 'literal': {
      const v = toJson(arg(0));
      if (v === undefined) return sv({});
      return sv({ type: v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v, const: v });
    }
    case 'enum': {
      const v = arg(0);
      const values = Array.isArray(v) ? v : isObject(v) ? Object.values(v) : undefined;
      const json = values ? toJson(values) : undefined;
      if (!Array.isArray(json)) return sv({ type: 'string' });
      return sv({ type: json.every((x) => typeof x === 'number') ? 'number' : 'string', enum: json });
    }
    case 'nativeEnum':
      return sv({});
    case 'array':
      return sv({ type: 'array', items: schemaOf(arg(0)) });
    case 'set':
      return sv({ type: 'array', uniqueItems: true, items: schemaOf(arg(0)) });
    case 'tuple': {
      const items = arg(0);
      return sv({ type: 'array', prefixItems: Array.isArray(items) ? items.map(schemaOf) : [] });
    }
    case 'object':
    case 'strictObject':
    case 'looseObject': {
      const shape = args[0] ? arg(0) : {};
      if (!isObject(shape)) return new Unresolved(node.text);
      return sv(objectSchema(shape));
    }
    case 'record':
    case 'map':
      return sv({ type: 'object', additionalProperties: schemaOf(arg(args.length > 1 ? 1 : 0)) });
    case 'union':
    case 'discriminatedUnion': {
      const options = arg(method === 'union' ? 0 : 1);
      return sv(union(Array.isArray(options) ? options.map(schemaOf) : []));
    }
    case 'intersection':
      return sv({ allOf: [schemaOf(arg(0)), schemaOf(arg(1))] });
    case 'optional': {
      const inner = arg(0);
      return sv(schemaOf(inner), true);
    }
    case 'nullable':
      return sv(nullable(schemaOf(arg(0))));
    case 'preprocess':
      return args[1] ? evalJs(args[1], c) : sv({});
    case 'lazy':
    case 'custom':
    case 'instanceof':
    case 'function':
    case 'promise':
      return sv({});
    default:
      if (STRING_FORMATS[method]) return sv({ type: 'string', format: STRING_FORMATS[method] });
      return new Unresolved(node.text);
  }
}

export function modify(base: SchemaValue, method: string, args: Node[], c: JsCtx): Value {
  const arg = (i: number) => evalJs(args[i], c);
  const s = { ...base.schema };
  switch (method) {
    case 'describe': {
      const d = arg(0);
      if (typeof d === 'string') s.description = d;
      return sv(s, base.optional);
    }
    case 'meta': {
      const m = arg(0);
      if (isObject(m) && typeof m.description === 'string') s.description = m.description;
      return sv(s, base.optional);
    }
    case 'optional':
      return sv(s, true);
    case 'nullable':
      return sv(nullable(s), base.optional);
    case 'nullish':
      return sv(nullable(s), true);
    case 'default':
    case 'prefault': {
      const d = toJson(arg(0));
      if (d !== undefined) s.default = d;
      return sv(s, true);
    }
    case 'int':
      return sv({ ...s, type: 'integer', ...SAFE_INT }, base.optional);
    case 'array':
      return sv({ type: 'array', items: s }, base.optional);
    case 'or':
      return sv(union([s, schemaOf(arg(0))]), base.optional);
    case 'and':
      return sv({ allOf: [s, schemaOf(arg(0))] }, base.optional);
    case 'min':
    case 'max':
    case 'length':
    case 'gte':
    case 'lte':
    case 'gt':
    case 'lt': {
      const n = arg(0);
      if (typeof n !== 'number') return sv(s, base.optional);
      const lower = method === 'min' || method === 'gte' || method === 'gt';
      const key =
        s.type === 'string'
          ? lower
            ? 'minLength'
            : 'maxLength'
          : s.type === 'array'
            ? lower
              ? 'minItems'
              : 'maxItems'
            : method === 'gt'
              ? 'exclusiveMinimum'
              : method === 'lt'
                ? 'exclusiveMaximum'
                : lower
                  ? 'minimum'
                  : 'maximum';
      if (method === 'length') {
        if (s.type === 'string') Object.assign(s, { minLength: n, maxLength: n });
        else if (s.type === 'array') Object.assign(s, { minItems: n, maxItems: n });
      } else s[key] = n;
      return sv(s, base.optional);
    }
    case 'extend':
    case 'merge':
    case 'safeExtend': {
      const more = arg(0);
      const shape = more instanceof SchemaValue ? shapeOf(more) : more;
      if (!isObject(shape)) return sv(s, base.optional);
      return sv(objectSchema({ ...shapeOf(base), ...shape }), base.optional);
    }
    case 'partial':
      return sv({ ...s, required: undefined }, base.optional);
    case 'required':
      return sv({ ...s, required: Object.keys((s.properties as object) ?? {}) }, base.optional);
    case 'pick':
    case 'omit': {
      const keys = arg(0);
      if (!isObject(keys)) return sv(s, base.optional);
      const shape = shapeOf(base);
      const picked: ValueObject = {};
      for (const [k, v] of Object.entries(shape)) if (k in keys === (method === 'pick')) picked[k] = v;
      return sv(objectSchema(picked), base.optional);
    }
    case 'regex': {
      const re = args[0]?.type === 'regex' ? args[0].childForFieldName('pattern')?.text : undefined;
      return sv(re !== undefined ? { ...s, pattern: re } : s, base.optional);
    }
    case 'positive':
    case 'negative':
    case 'nonnegative':
    case 'nonpositive': {
      const bound =
        method === 'positive'
          ? 'exclusiveMinimum'
          : method === 'negative'
            ? 'exclusiveMaximum'
            : method === 'nonnegative'
              ? 'minimum'
              : 'maximum';
      const out = { ...s, [bound]: 0 };
      if (bound === 'exclusiveMinimum') delete out.minimum;
      if (bound === 'exclusiveMaximum') delete out.maximum;
      return sv(out, base.optional);
    }
    default:
      if (STRING_FORMATS[method]) return sv({ ...s, format: STRING_FORMATS[method] }, base.optional);
      if (NEUTRAL.has(method)) return sv(s, base.optional);
      return sv(s, base.optional);
  }
}

/** A bare `{ type }` schema, which zod v4's draft-7 output folds into a `type` array in unions. */
function bareType(s: JsonSchema): string[] | undefined {
  const keys = Object.keys(s);
  if (keys.length !== 1 || keys[0] !== 'type') return undefined;
  return Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : undefined;
}

function union(options: JsonSchema[]): JsonSchema {
  const types = options.map(bareType);
  if (options.length > 0 && types.every((t) => t !== undefined)) return { type: [...new Set(types.flat())] };
  return { anyOf: options };
}

function nullable(s: JsonSchema): JsonSchema {
  return union([s, { type: 'null' }]);
}

function objectSchema(shape: ValueObject): JsonSchema {
  const input = shapeToInput(shape);
  const out: JsonSchema = { type: 'object', properties: input.properties };
  if (input.required.length > 0) out.required = input.required;
  return out;
}

/** A zod raw shape (`{ a: z.string() }`) as tool parameters. */
export function shapeToInput(shape: ValueObject): ToolInput {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [key, v] of Object.entries(shape)) {
    properties[key] = v instanceof SchemaValue ? v.schema : {};
    if (!(v instanceof SchemaValue && v.optional)) required.push(key);
  }
  return { properties, required };
}

/** The raw shape of an object schema, so `.shape`, `.extend` and spreads work. */
export function shapeOf(v: SchemaValue): ValueObject {
  const props = (v.schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((v.schema.required as string[] | undefined) ?? []);
  const out: ValueObject = {};
  for (const [k, schema] of Object.entries(props)) out[k] = new SchemaValue(schema, !required.has(k));
  return out;
}
