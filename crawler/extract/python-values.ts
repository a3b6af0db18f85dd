// Evaluates Python expressions statically: string literals and constants (also across imports),
// f-strings of constants, concatenation, dedent/cleandoc/strip/join, numbers, lists and dicts.
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { named, type Project } from './project.ts';
import { cleandoc, dedent, unescape } from './text.ts';
import type { SourceFile } from './types.ts';
import { CodeRef, Unresolved, isObject, type Value, type ValueObject } from './values.ts';

const MAX_DEPTH = 24;

interface ImportBinding {
  /** Module spec as written, with leading dots for relative imports. */
  module: string;
  /** Imported name, or undefined when the binding is the module itself. */
  name?: string;
}

export class PyModule {
  readonly consts = new Map<string, Node>();
  readonly functions = new Map<string, Node>();
  readonly classes = new Map<string, Node>();
  readonly imports = new Map<string, ImportBinding>();

  constructor(
    readonly file: SourceFile,
    readonly root: Node,
    readonly modules: PyModules,
  ) {
    for (const stmt of named(root)) this.index(stmt);
  }

  private index(stmt: Node): void {
    if (stmt.type === 'decorated_definition') {
      const def = stmt.childForFieldName('definition');
      if (def) this.index(def);
      return;
    }
    if (stmt.type === 'function_definition') {
      const name = stmt.childForFieldName('name')?.text;
      if (name) this.functions.set(name, stmt);
    } else if (stmt.type === 'class_definition') {
      const name = stmt.childForFieldName('name')?.text;
      if (name) this.classes.set(name, stmt);
    } else if (stmt.type === 'expression_statement') {
      const assign = stmt.namedChild(0);
      if (assign?.type === 'assignment') {
        const left = assign.childForFieldName('left');
        const right = assign.childForFieldName('right');
        if (left?.type === 'identifier' && right) this.consts.set(left.text, right);
      }
    } else if (stmt.type === 'import_from_statement') {
      const mod = stmt.childForFieldName('module_name')?.text;
      if (!mod) return;
      for (const n of stmt.childrenForFieldName('name')) {
        if (!n) continue;
        if (n.type === 'aliased_import') {
          const orig = n.childForFieldName('name')?.text;
          const alias = n.childForFieldName('alias')?.text;
          if (orig && alias) this.imports.set(alias, { module: mod, name: orig });
        } else {
          this.imports.set(n.text, { module: mod, name: n.text });
        }
      }
    } else if (stmt.type === 'import_statement') {
      for (const n of named(stmt)) {
        if (n.type === 'aliased_import') {
          const orig = n.childForFieldName('name')?.text;
          const alias = n.childForFieldName('alias')?.text;
          if (orig && alias) this.imports.set(alias, { module: orig });
        } else this.imports.set(n.text.split('.')[0] as string, { module: n.text.split('.')[0] as string });
      }
    } else if (stmt.type === 'if_statement' || stmt.type === 'try_statement') {
      // Constants under `if TYPE_CHECKING:` or `try: import …` still count.
      for (const child of named(stmt))
        if (child.type === 'block') for (const s of named(child)) this.index(s);
    }
  }
}

/** Python modules of one server, by file. */
export class PyModules {
  private readonly cache = new Map<string, PyModule>();
  constructor(readonly project: Project) {}

  get(file: SourceFile): PyModule {
    let mod = this.cache.get(file.path);
    if (!mod) {
      mod = new PyModule(file, this.project.tree(file).rootNode, this);
      this.cache.set(file.path, mod);
    }
    return mod;
  }

  resolve(from: SourceFile, spec: string): PyModule | undefined {
    const level = /^\.*/.exec(spec)?.[0].length ?? 0;
    const rest = spec.slice(level).replace(/\./g, '/');
    const bases: string[] = [];
    if (level > 0) {
      let dir = path.posix.dirname(from.path);
      for (let i = 1; i < level; i++) dir = path.posix.dirname(dir);
      bases.push(dir);
    } else {
      // Absolute imports: try every ancestor of the importing file, and its `src/` layout sibling.
      let dir = path.posix.dirname(from.path);
      while (true) {
        bases.push(dir, path.posix.join(dir, 'src'));
        if (dir === '.' || dir === '/' || dir === '') break;
        dir = path.posix.dirname(dir);
      }
    }
    for (const base of bases) {
      const stem = rest ? path.posix.join(base, rest) : base;
      const file =
        this.project.find(stem, ['.py']) ?? this.project.find(path.posix.join(stem, '__init__'), ['.py']);
      if (file && file.language === 'python') return this.get(file);
    }
    return undefined;
  }
}

export function evalPy(node: Node | null | undefined, mod: PyModule, depth = 0): Value {
  if (!node) return new Unresolved('missing expression');
  if (depth > MAX_DEPTH) return new Unresolved('too deep');
  const d = depth + 1;
  switch (node.type) {
    case 'string':
      return evalString(node, mod, d);
    case 'concatenated_string': {
      let out = '';
      for (const part of named(node)) {
        const v = evalPy(part, mod, d);
        if (typeof v !== 'string') return v instanceof Unresolved ? v : new Unresolved(node.text);
        out += v;
      }
      return out;
    }
    case 'integer':
      return Number(node.text.replace(/_/g, '').replace(/[lL]$/, ''));
    case 'float':
      return Number(node.text.replace(/_/g, ''));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'parenthesized_expression':
      return evalPy(node.namedChild(0), mod, d);
    case 'unary_operator': {
      const v = evalPy(node.childForFieldName('argument'), mod, d);
      const op = node.childForFieldName('operator')?.text;
      if (typeof v === 'number') return op === '-' ? -v : v;
      return new Unresolved(node.text);
    }
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const l = evalPy(node.childForFieldName('left'), mod, d);
      const r = evalPy(node.childForFieldName('right'), mod, d);
      if (op === '+' && typeof l === 'string' && typeof r === 'string') return l + r;
      if (op === '+' && typeof l === 'number' && typeof r === 'number') return l + r;
      if (op === '+' && Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
      if (op === '|' && isObject(l) && isObject(r)) return { ...l, ...r };
      return new Unresolved(node.text);
    }
    case 'list':
    case 'tuple':
    case 'set': {
      const out: Value[] = [];
      for (const item of named(node)) {
        if (item.type === 'list_splat') {
          const v = evalPy(item.namedChild(0), mod, d);
          if (!Array.isArray(v)) return new Unresolved(node.text);
          out.push(...v);
        } else out.push(evalPy(item, mod, d));
      }
      return out;
    }
    case 'dictionary': {
      const out: ValueObject = {};
      for (const item of named(node)) {
        if (item.type === 'pair') {
          const k = evalPy(item.childForFieldName('key'), mod, d);
          if (typeof k !== 'string' && typeof k !== 'number') return new Unresolved(node.text);
          out[String(k)] = evalPy(item.childForFieldName('value'), mod, d);
        } else if (item.type === 'dictionary_splat') {
          const v = evalPy(item.namedChild(0), mod, d);
          if (!isObject(v)) return new Unresolved(node.text);
          Object.assign(out, v);
        }
      }
      return out;
    }
    case 'identifier':
      return lookup(node.text, mod, d);
    case 'attribute': {
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute')?.text ?? '';
      if (obj?.type === 'identifier') {
        const binding = mod.imports.get(obj.text);
        if (binding && binding.name === undefined) {
          const target = mod.modules.resolve(mod.file, binding.module);
          if (target) return lookup(attr, target, d);
        }
      }
      // Class constants and enum members: `GitTools.STATUS`, `TimeTools.GET_CURRENT_TIME.value`.
      const member = classMember(obj, attr, mod, d);
      if (member !== undefined) return member;
      if (attr === 'value' && obj?.type === 'attribute') {
        const inner = obj.childForFieldName('object');
        const name = obj.childForFieldName('attribute')?.text ?? '';
        const enumValue = inner ? classMember(inner, name, mod, d) : undefined;
        if (enumValue !== undefined) return enumValue;
      }
      const base = evalPy(obj, mod, d);
      if (isObject(base) && attr in base) return base[attr] as Value;
      return new Unresolved(node.text);
    }
    case 'subscript': {
      const base = evalPy(node.childForFieldName('value'), mod, d);
      const key = evalPy(node.childForFieldName('subscript'), mod, d);
      if (isObject(base) && typeof key === 'string' && Object.hasOwn(base, key)) return base[key] as Value;
      if (Array.isArray(base) && typeof key === 'number')
        return base[key < 0 ? base.length + key : key] ?? new Unresolved(node.text);
      return new Unresolved(node.text);
    }
    case 'call':
      return evalCall(node, mod, d);
    default:
      return new Unresolved(node.text);
  }
}

/** A class defined in this module or imported into it, by the name used here. */
function findClass(name: string, mod: PyModule, depth = 0): { cls: Node; mod: PyModule } | undefined {
  const local = mod.classes.get(name);
  if (local) return { cls: local, mod };
  const binding = mod.imports.get(name);
  if (binding?.name && depth < 8) {
    const target = mod.modules.resolve(mod.file, binding.module);
    if (target) return findClass(binding.name, target, depth + 1);
  }
  return undefined;
}

/** `Cls.NAME` where the class body assigns NAME a static value. */
function classMember(obj: Node | null, attr: string, mod: PyModule, depth: number): Value | undefined {
  if (obj?.type !== 'identifier') return undefined;
  const found = findClass(obj.text, mod);
  if (!found) return undefined;
  for (const stmt of named(found.cls.childForFieldName('body'))) {
    const assign = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
    if (assign?.type !== 'assignment' || assign.childForFieldName('left')?.text !== attr) continue;
    const v = evalPy(assign.childForFieldName('right'), found.mod, depth + 1);
    return v instanceof Unresolved ? undefined : v;
  }
  return undefined;
}

function lookup(name: string, mod: PyModule, depth: number): Value {
  const local = mod.consts.get(name);
  if (local) return evalPy(local, mod, depth);
  const fn = mod.functions.get(name);
  if (fn) return new CodeRef(fn);
  const binding = mod.imports.get(name);
  if (binding?.name) {
    const target = mod.modules.resolve(mod.file, binding.module);
    if (target) return lookup(binding.name, target, depth + 1);
  }
  return new Unresolved(name);
}

function evalString(node: Node, mod: PyModule, depth: number): Value {
  const start = node.child(0)?.text ?? '';
  const prefix = start.replace(/['"]+$/, '').toLowerCase();
  const raw = prefix.includes('r');
  const fstring = prefix.includes('f');
  let out = '';
  for (const part of named(node)) {
    if (part.type === 'string_content') {
      let text = part.text;
      if (fstring) text = text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      out += raw ? text : unescape(text, 'python');
    } else if (part.type === 'interpolation') {
      if (named(part).length !== 1) return new Unresolved(node.text);
      const v = evalPy(part.childForFieldName('expression'), mod, depth);
      if (typeof v === 'string') out += v;
      else if (typeof v === 'number') out += String(v);
      else return new Unresolved(node.text);
    }
  }
  return out;
}

function evalCall(node: Node, mod: PyModule, depth: number): Value {
  const fn = node.childForFieldName('function');
  const args = named(node.childForFieldName('arguments'));
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  const fnName = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  if (fn?.type === 'attribute') {
    const recv = fn.childForFieldName('object');
    const method = fnName;
    if (method === 'strip' || method === 'lstrip' || method === 'rstrip') {
      const s = evalPy(recv, mod, depth);
      if (typeof s !== 'string' || positional.length > 0) return new Unresolved(node.text);
      return method === 'strip' ? s.trim() : method === 'lstrip' ? s.trimStart() : s.trimEnd();
    }
    if (method === 'join' && positional.length === 1) {
      const sep = evalPy(recv, mod, depth);
      const items = evalPy(positional[0], mod, depth);
      if (typeof sep === 'string' && Array.isArray(items) && items.every((i) => typeof i === 'string'))
        return items.join(sep);
      return new Unresolved(node.text);
    }
  }
  if ((fnName === 'dedent' || fnName === 'cleandoc') && positional.length === 1) {
    const s = evalPy(positional[0], mod, depth);
    if (typeof s !== 'string') return new Unresolved(node.text);
    return fnName === 'dedent' ? dedent(s) : cleandoc(s);
  }
  if (fnName === 'dict' || fnName === 'ToolAnnotations') {
    const out: ValueObject = {};
    for (const a of args)
      if (a.type === 'keyword_argument') {
        const key = a.childForFieldName('name')?.text;
        if (key) out[key] = evalPy(a.childForFieldName('value'), mod, depth);
      }
    return out;
  }
  return new Unresolved(node.text);
}

/** Keyword arguments of a call, by name. */
export function keywordArgs(call: Node): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const a of named(call.childForFieldName('arguments')))
    if (a.type === 'keyword_argument') {
      const key = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (key && value) out.set(key, value);
    }
  return out;
}

export function positionalArgs(call: Node): Node[] {
  return named(call.childForFieldName('arguments')).filter(
    (a) => a.type !== 'keyword_argument' && a.type !== 'comment',
  );
}
