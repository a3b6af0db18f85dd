// Evaluates JavaScript/TypeScript expressions statically: strings, template literals and concatenation
// of constants (across imports), objects, arrays, spreads, a few pure built-ins, and zod schemas.
import type { Node } from 'web-tree-sitter';
import type { Binding, JsModule, PatternStep } from './js-modules.ts';
import { named } from './project.ts';
import { dedent, unescape } from './text.ts';
import {
  CodeRef,
  SchemaValue,
  Unresolved,
  isObject,
  toJson,
  type Value,
  type ValueObject,
} from './values.ts';
import { evalZod, isZodRoot, modify, shapeOf } from './zod.ts';

const MAX_DEPTH = 40;

/** Loop variables and helper parameters bound while expanding a registration. */
export type Env = ReadonlyMap<string, Value>;

export interface JsCtx {
  mod: JsModule;
  env?: Env;
  depth: number;
}

export function evalJs(node: Node | null | undefined, ctx: JsCtx): Value {
  if (!node) return new Unresolved('missing expression');
  if (ctx.depth > MAX_DEPTH) return new Unresolved('too deep');
  const c: JsCtx = { ...ctx, depth: ctx.depth + 1 };
  switch (node.type) {
    case 'string':
      return named(node)
        .map((p) => (p.type === 'escape_sequence' ? unescape(p.text, 'js') : p.text))
        .join('');
    case 'template_string':
      return evalTemplate(node, c);
    case 'number': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isNaN(n) ? new Unresolved(node.text) : n;
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    case 'undefined':
      return new Unresolved('undefined');
    case 'parenthesized_expression':
    case 'as_expression':
    case 'satisfies_expression':
    case 'non_null_expression':
    case 'type_assertion':
      return evalJs(
        named(node).find(
          (n) => !n.type.startsWith('type') && n.type !== 'predefined_type' && !n.type.endsWith('_type'),
        ) ?? node.namedChild(0),
        c,
      );
    case 'unary_expression': {
      const v = evalJs(node.childForFieldName('argument'), c);
      const op = node.childForFieldName('operator')?.text;
      if (op === '-' && typeof v === 'number') return -v;
      if (op === '!' && typeof v === 'boolean') return !v;
      return new Unresolved(node.text);
    }
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      const l = evalJs(node.childForFieldName('left'), c);
      const r = evalJs(node.childForFieldName('right'), c);
      if (
        op === '+' &&
        (typeof l === 'string' || typeof l === 'number') &&
        (typeof r === 'string' || typeof r === 'number')
      )
        return (l as string) + (r as string);
      if (op === '??' || op === '||') {
        // An argument the caller left out is undefined: the fallback is the value.
        if (l instanceof Unresolved && l.reason === 'undefined') return r;
        if (!(l instanceof Unresolved) && l !== null && (op === '??' || (l !== '' && l !== false && l !== 0)))
          return l;
        if (l === null || (op === '||' && (l === '' || l === false || l === 0))) return r;
      }
      return new Unresolved(node.text);
    }
    case 'identifier':
    case 'shorthand_property_identifier':
      return evalIdentifier(node.text, node, c);
    case 'member_expression':
    case 'subscript_expression': {
      const obj = evalJs(node.childForFieldName('object'), c);
      const propNode = node.childForFieldName(node.type === 'member_expression' ? 'property' : 'index');
      const key = node.type === 'member_expression' ? propNode?.text : evalJs(propNode, c);
      return member(obj, key, node);
    }
    case 'object':
      return evalObject(node, c);
    case 'array': {
      const out: Value[] = [];
      for (const item of named(node)) {
        if (item.type === 'spread_element') {
          const v = evalJs(item.namedChild(0), c);
          if (!Array.isArray(v)) return new Unresolved(node.text);
          out.push(...v);
        } else if (item.type !== 'comment') out.push(evalJs(item, c));
      }
      return out;
    }
    case 'arrow_function':
    case 'function_expression':
    case 'function':
    case 'class':
      return new CodeRef(node);
    case 'call_expression':
      return evalCall(node, c);
    default:
      return new Unresolved(node.text);
  }
}

function evalTemplate(node: Node, c: JsCtx): Value {
  let out = '';
  for (const part of named(node)) {
    if (part.type === 'string_fragment') out += part.text;
    else if (part.type === 'escape_sequence') out += unescape(part.text, 'js');
    else if (part.type === 'template_substitution') {
      const v = evalJs(part.namedChild(0), c);
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out += String(v);
      else return new Unresolved(node.text);
    }
  }
  return out;
}

function evalObject(node: Node, c: JsCtx): Value {
  const out: ValueObject = {};
  for (const item of named(node)) {
    if (item.type === 'pair') {
      const keyNode = item.childForFieldName('key');
      let key: Value | undefined;
      if (keyNode?.type === 'property_identifier') key = keyNode.text;
      else if (keyNode?.type === 'computed_property_name') key = evalJs(keyNode.namedChild(0), c);
      else key = evalJs(keyNode, c);
      if (typeof key !== 'string' && typeof key !== 'number') continue; // unknown key: the rest still counts
      out[String(key)] = evalJs(item.childForFieldName('value'), c);
    } else if (item.type === 'shorthand_property_identifier')
      out[item.text] = evalIdentifier(item.text, item, c);
    else if (item.type === 'spread_element') {
      const v = evalJs(item.namedChild(0), c);
      if (isObject(v)) Object.assign(out, v);
      else if (v instanceof SchemaValue) Object.assign(out, shapeOf(v));
    } else if (item.type === 'method_definition') {
      const key = item.childForFieldName('name')?.text;
      if (key) out[key] = new CodeRef(item);
    }
  }
  return out;
}

export function member(obj: Value, key: Value | undefined, node: Node): Value {
  if (typeof key === 'number' && Array.isArray(obj)) return obj[key] ?? new Unresolved(node.text);
  if (typeof key !== 'string') return new Unresolved(node.text);
  if (Array.isArray(obj) && key === 'length') return obj.length;
  if (isObject(obj) && Object.hasOwn(obj, key)) return obj[key] as Value;
  if (obj instanceof SchemaValue && key === 'shape') return shapeOf(obj);
  if (obj instanceof Unresolved) return obj;
  return new Unresolved(node.text);
}

function evalIdentifier(name: string, at: Node, c: JsCtx): Value {
  const binding = c.mod.lookup(name, at);
  if (binding?.kind === 'param' || (!binding && c.env?.has(name))) {
    const bound = c.env?.get(name);
    return bound ?? new Unresolved(`run-time value ${name}`);
  }
  if (!binding) return new Unresolved(name);
  return evalBinding(binding, name, { mod: c.mod, env: c.env, depth: c.depth });
}

export function evalBinding(binding: Binding, name: string, c: JsCtx): Value {
  switch (binding.kind) {
    case 'value': {
      // Declarations inside a loop body or helper may depend on bound names: not cached.
      if (c.env)
        return follow(
          evalJs(binding.node, { mod: binding.mod, env: c.env, depth: c.depth }),
          binding.pattern ?? [],
          binding.node,
        );
      const cacheKey = binding.node.id;
      let v = binding.mod.cache.get(cacheKey) as Value | undefined;
      if (v === undefined) {
        binding.mod.cache.set(cacheKey, new Unresolved(`cycle at ${name}`));
        v = evalJs(binding.node, { mod: binding.mod, depth: c.depth });
        binding.mod.cache.set(cacheKey, v);
      }
      return follow(v, binding.pattern ?? [], binding.node);
    }
    case 'code':
      return new CodeRef(binding.node);
    case 'import': {
      if (binding.source === 'zod' || binding.source.startsWith('zod/'))
        return new Unresolved('zod namespace');
      const target = binding.mod.modules.resolve(binding.mod.file, binding.source);
      if (!target) return new Unresolved(`import of ${name} from ${binding.source}`);
      if (binding.name === '*') return namespaceOf(target, c);
      return exported(target, binding.name, c);
    }
  }
}

function follow(v: Value, pattern: PatternStep[], node: Node): Value {
  let cur = v;
  for (const step of pattern) cur = member(cur, step, node);
  return cur;
}

export function exported(mod: JsModule, name: string, c: JsCtx, seen = new Set<string>()): Value {
  if (seen.has(mod.file.path)) return new Unresolved(`export cycle at ${name}`);
  seen.add(mod.file.path);
  if (name === 'default') {
    if (mod.defaultExport) return evalJs(mod.defaultExport, { mod, depth: c.depth + 1 });
    const def = mod.exports.get('default');
    return def ? evalBinding(def, name, c) : new Unresolved(`default export of ${mod.file.path}`);
  }
  const b = mod.exports.get(name);
  if (b) return evalBinding(b, name, { mod, depth: c.depth + 1 });
  if (mod.defaultExport?.type === 'object') {
    // CommonJS `module.exports = { X }`.
    const all = evalJs(mod.defaultExport, { mod, depth: c.depth + 1 });
    if (isObject(all) && Object.hasOwn(all, name)) return all[name] as Value;
  }
  for (const src of mod.starExports) {
    const target = mod.modules.resolve(mod.file, src);
    if (!target) continue;
    const v = exported(target, name, c, seen);
    if (!(v instanceof Unresolved)) return v;
  }
  return new Unresolved(`${name} is not exported by ${mod.file.path}`);
}

function namespaceOf(mod: JsModule, c: JsCtx): Value {
  const out: ValueObject = {};
  for (const key of mod.exports.keys()) out[key] = exported(mod, key, c);
  return out;
}

function evalCall(node: Node, c: JsCtx): Value {
  const fn = node.childForFieldName('function');
  const argsNode = node.childForFieldName('arguments');
  const args =
    argsNode?.type === 'template_string' ? [argsNode] : named(argsNode).filter((a) => a.type !== 'comment');
  if (!fn) return new Unresolved(node.text);
  const fname = fn.type === 'member_expression' ? fn.childForFieldName('property')?.text : fn.text;
  if (
    fname === 'zodToJsonSchema' ||
    fname === 'toJSONSchema' ||
    fname === 'toJsonSchema' ||
    fname === 'zodToJSONSchema'
  ) {
    const v = evalJs(args[0], c);
    return v instanceof SchemaValue ? jsonToValue(v.schema) : new Unresolved(node.text);
  }
  if (isZodRoot(node, c)) return evalZod(node, c);
  if (fname === 'require' && fn.type === 'identifier' && args[0]?.type === 'string') {
    const target = c.mod.modules.resolve(c.mod.file, evalJs(args[0], c) as string);
    return target ? namespaceOf(target, c) : new Unresolved(node.text);
  }
  // Tagged templates and helpers that only reshape text.
  if ((fname === 'dedent' || fname === 'outdent' || fname === 'stripIndent') && args[0]) {
    const s = evalJs(args[0], c);
    return typeof s === 'string'
      ? dedent(s)
          .replace(/^\n/, '')
          .replace(/\n\s*$/, '')
      : s;
  }
  if (fname === 'String' && fn.type === 'identifier' && args[0]) {
    const v = evalJs(args[0], c);
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : new Unresolved(node.text);
  }
  if (fn.type === 'member_expression') {
    const recvNode = fn.childForFieldName('object');
    if (recvNode?.text === 'Object' && args[0]) {
      const obj = evalJs(args[0], c);
      if (!isObject(obj)) return new Unresolved(node.text);
      if (fname === 'values') return Object.values(obj);
      if (fname === 'keys') return Object.keys(obj);
      if (fname === 'entries') return Object.entries(obj).map(([k, v]) => [k, v]);
      if (fname === 'freeze') return obj;
      if (fname === 'assign') {
        const out: ValueObject = {};
        for (const a of args) {
          const v = evalJs(a, c);
          if (isObject(v)) Object.assign(out, v);
        }
        return out;
      }
    }
    const recv = evalJs(recvNode, c);
    if (recv instanceof SchemaValue && fname) return modify(recv, fname, args, c);
    const argv = args.map((a) => evalJs(a, c));
    if (typeof recv === 'string') {
      if (fname === 'trim') return recv.trim();
      if (fname === 'trimStart') return recv.trimStart();
      if (fname === 'trimEnd') return recv.trimEnd();
      if (fname === 'concat' && argv.every((a) => typeof a === 'string')) return recv + argv.join('');
      if (fname === 'replace' || fname === 'replaceAll') return new Unresolved(node.text);
    }
    if (Array.isArray(recv)) {
      if (fname === 'join') {
        const sep = argv.length === 0 ? ',' : argv[0];
        if (typeof sep === 'string' && recv.every((x) => typeof x === 'string' || typeof x === 'number'))
          return recv.join(sep);
      }
      if (fname === 'concat') return recv.concat(...argv.map((a) => (Array.isArray(a) ? a : [a])));
      if (fname === 'flat') return recv.flatMap((x) => (Array.isArray(x) ? x : [x]));
      if (fname === 'filter' || fname === 'slice') return new Unresolved(node.text);
    }
  }
  return new Unresolved(node.text);
}

function jsonToValue(json: unknown): Value {
  if (json === null || typeof json === 'string' || typeof json === 'number' || typeof json === 'boolean')
    return json;
  if (Array.isArray(json)) return json.map(jsonToValue);
  if (typeof json === 'object') {
    const out: ValueObject = {};
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) out[k] = jsonToValue(v);
    return out;
  }
  return new Unresolved('not JSON');
}

export { toJson };
