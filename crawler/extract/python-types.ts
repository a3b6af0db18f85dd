// Python type hints and pydantic `Field(...)` → the JSON Schema pydantic would generate for a parameter.
import type { Node } from 'web-tree-sitter';
import { named } from './project.ts';
import { evalPy, keywordArgs, type PyModule } from './python-values.ts';
import type { JsonSchema } from './types.ts';
import { Unresolved, toJson } from './values.ts';

const SCALARS: Record<string, JsonSchema> = {
  int: { type: 'integer' },
  float: { type: 'number' },
  str: { type: 'string' },
  bool: { type: 'boolean' },
  bytes: { type: 'string', format: 'binary' },
  dict: { type: 'object' },
  Dict: { type: 'object' },
  Mapping: { type: 'object' },
  list: { type: 'array', items: {} },
  List: { type: 'array', items: {} },
  Sequence: { type: 'array', items: {} },
  set: { type: 'array', items: {}, uniqueItems: true },
  tuple: { type: 'array' },
  None: { type: 'null' },
  Any: {},
  object: {},
};

const ARRAYS = new Set(['list', 'List', 'Sequence', 'Iterable', 'set', 'Set', 'frozenset', 'tuple', 'Tuple']);
const OBJECTS = new Set(['dict', 'Dict', 'Mapping', 'MutableMapping']);

/** Meta that a parameter's `Annotated[..., Field(...)]` or `= Field(...)` adds. */
export interface FieldMeta {
  description?: string;
  default?: unknown;
  hasDefault: boolean;
  required?: boolean;
  extra: JsonSchema;
}

function baseName(node: Node): string {
  const t = node.text;
  return t.slice(t.lastIndexOf('.') + 1);
}

/** Unwraps tree-sitter's `type` wrapper node. */
function inner(node: Node): Node {
  return node.type === 'type' && node.namedChild(0) ? (node.namedChild(0) as Node) : node;
}

function typeArgs(node: Node): Node[] {
  // `List[int]` is a generic_type (identifier, type_parameter) in annotations, a subscript elsewhere.
  if (node.type === 'generic_type') return named(named(node).find((c) => c.type === 'type_parameter'));
  if (node.type === 'subscript') return node.childrenForFieldName('subscript').filter((c): c is Node => !!c);
  return [];
}

function typeHead(node: Node): Node | undefined {
  if (node.type === 'generic_type') return node.namedChild(0) ?? undefined;
  if (node.type === 'subscript') return node.childForFieldName('value') ?? undefined;
  return undefined;
}

export function hintToSchema(hint: Node, mod: PyModule, meta?: FieldMeta): JsonSchema {
  const node = inner(hint);
  if (node.type === 'none') return { type: 'null' };
  if (node.type === 'identifier' || node.type === 'attribute') {
    const name = baseName(node);
    const scalar = SCALARS[name];
    if (scalar) return { ...scalar };
    if (mod.classes.has(name)) return classSchema(mod.classes.get(name) as Node);
    return {};
  }
  if (node.type === 'binary_operator' || node.type === 'union_type') {
    const parts = flattenUnion(node).map((p) => hintToSchema(p, mod));
    return { anyOf: parts };
  }
  const head = typeHead(node);
  if (head) {
    const name = baseName(head);
    const args = typeArgs(node);
    if (name === 'Optional' && args[0]) return { anyOf: [hintToSchema(args[0], mod), { type: 'null' }] };
    if (name === 'Union') return { anyOf: args.map((a) => hintToSchema(a, mod)) };
    if (name === 'Annotated' && args[0]) {
      for (const extra of args.slice(1)) if (meta) readFieldCall(inner(extra), mod, meta);
      return hintToSchema(args[0], mod, meta);
    }
    if (name === 'Literal') {
      const values = args.map((a) => toJson(evalPy(inner(a), mod)));
      if (values.some((v) => v === undefined)) return {};
      const types = new Set(values.map((v) => (v === null ? 'null' : typeof v)));
      const schema: JsonSchema = { enum: values };
      if (types.size === 1) {
        const t = [...types][0];
        schema.type =
          t === 'number' ? 'number' : t === 'boolean' ? 'boolean' : t === 'null' ? 'null' : 'string';
        if (values.length === 1) return { const: values[0], type: schema.type };
      }
      return schema;
    }
    if (ARRAYS.has(name)) {
      const out: JsonSchema = { type: 'array', items: args[0] ? hintToSchema(args[0], mod) : {} };
      if (name === 'set' || name === 'Set' || name === 'frozenset') out.uniqueItems = true;
      return out;
    }
    if (OBJECTS.has(name)) {
      const out: JsonSchema = { type: 'object' };
      if (args[1]) out.additionalProperties = hintToSchema(args[1], mod);
      return out;
    }
  }
  if (node.type === 'string') return {};
  return {};
}

function flattenUnion(node: Node): Node[] {
  if (node.type === 'binary_operator' || node.type === 'union_type') {
    const parts = named(node).filter((c) => c.type !== 'comment');
    return parts.flatMap((p) => flattenUnion(inner(p)));
  }
  return [node];
}

/** A pydantic model class used as a parameter type: an object with its annotated fields. */
function classSchema(_cls: Node): JsonSchema {
  return { type: 'object' };
}

/** Reads `Field(default, description=…)`; returns false when the call is something else. */
export function readFieldCall(node: Node, mod: PyModule, meta: FieldMeta): boolean {
  if (node.type === 'string') {
    // `Annotated[int, "doc"]`: FastMCP ignores bare strings, and so does pydantic.
    return false;
  }
  if (node.type !== 'call') return false;
  const fn = node.childForFieldName('function');
  if (!fn || baseName(fn) !== 'Field') return false;
  const kw = keywordArgs(node);
  const positional = named(node.childForFieldName('arguments')).filter((a) => a.type !== 'keyword_argument');
  const desc = kw.get('description');
  if (desc) {
    const v = evalPy(desc, mod);
    if (typeof v === 'string') meta.description = v;
  }
  const dflt = kw.get('default') ?? positional[0];
  if (dflt) {
    if (dflt.type === 'ellipsis') meta.required = true;
    else {
      const v = toJson(evalPy(dflt, mod));
      meta.hasDefault = true;
      if (v !== undefined) meta.default = v;
    }
  }
  if (kw.has('default_factory')) meta.hasDefault = true;
  for (const [key, target] of [
    ['ge', 'minimum'],
    ['le', 'maximum'],
    ['gt', 'exclusiveMinimum'],
    ['lt', 'exclusiveMaximum'],
    ['min_length', 'minLength'],
    ['max_length', 'maxLength'],
    ['pattern', 'pattern'],
  ] as const) {
    const n = kw.get(key);
    if (!n) continue;
    const v = evalPy(n, mod);
    if (!(v instanceof Unresolved) && (typeof v === 'number' || typeof v === 'string'))
      meta.extra[target] = v;
  }
  return true;
}
