// The bindings under which a JS registration runs: loop variables over static definition arrays, and the
// parameters of helper functions bound to the arguments of each call.
import type { Node } from 'web-tree-sitter';
import type { JsModule, JsModules } from './js-modules.ts';
import { evalJs, type Env } from './js-values.ts';
import { enclosingAt, named } from './project.ts';
import { Unresolved, isObject, type Value } from './values.ts';

const FUNCTION_TYPES = new Set(['arrow_function', 'function_expression', 'function']);
const CALL_TYPES = new Set(['call_expression']);

/**
 * The variable bindings under which a registration runs: one empty set normally; one per element
 * when it sits in `for (const t of DEFS)` or `DEFS.forEach((t) => …)` over a static array.
 */
export function environments(call: Node, mod: JsModule): Env[] {
  for (let n: Node | null = call.parent; n; n = n.parent) {
    if (n.type === 'for_in_statement' && n.child(2)?.text !== 'in') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (!left || !right) break;
      const items = evalJs(right, { mod, depth: 0 });
      if (!Array.isArray(items)) return [new Map()];
      return items.map((item) => bind(left, item));
    }
    if (FUNCTION_TYPES.has(n.type)) {
      const outer = n.parent?.parent;
      const method = outer?.childForFieldName('function')?.childForFieldName('property')?.text;
      if (
        outer?.type === 'call_expression' &&
        (method === 'forEach' || method === 'map') &&
        n.parent?.type === 'arguments'
      ) {
        const items = evalJs(outer.childForFieldName('function')?.childForFieldName('object'), {
          mod,
          depth: 0,
        });
        const param = named(n.childForFieldName('parameters')).at(0) ?? n.childForFieldName('parameter');
        if (!Array.isArray(items) || !param) return [new Map()];
        const pattern = param.childForFieldName('pattern') ?? param;
        return items.map((item) => bind(pattern, item));
      }
      return [new Map()];
    }
  }
  return [new Map()];
}

function bind(pattern: Node, value: Value): Env {
  const env = new Map<string, Value>();
  const visit = (p: Node, v: Value) => {
    if (p.type === 'identifier' || p.type === 'shorthand_property_identifier_pattern')
      env.set(
        p.text,
        p.type === 'identifier'
          ? v
          : isObject(v)
            ? (v[p.text] ?? new Unresolved(p.text))
            : new Unresolved(p.text),
      );
    else if (p.type === 'array_pattern')
      named(p).forEach((c, i) =>
        visit(c, Array.isArray(v) ? (v[i] ?? new Unresolved('')) : new Unresolved('')),
      );
    else if (p.type === 'object_pattern')
      for (const c of named(p)) {
        if (c.type === 'shorthand_property_identifier_pattern') visit(c, v);
        else if (c.type === 'pair_pattern') {
          const key = c.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') ?? '';
          const value = c.childForFieldName('value');
          if (value) visit(value, isObject(v) ? (v[key] ?? new Unresolved(key)) : new Unresolved(key));
        }
      }
    else if (p.type === 'lexical_declaration' || p.type === 'variable_declaration') {
      const d = p.namedChild(0)?.childForFieldName('name');
      if (d) visit(d, v);
    }
  };
  visit(pattern, value);
  return env;
}

/**
 * A registration inside a helper whose parameters carry the name (`function registerSearch(server,
 * toolName) { server.tool(toolName || 'search', …) }`): one environment per call of the helper in this
 * server, with parameters bound to the call's arguments (left-out arguments are undefined).
 */
export function helperEnvironments(call: Node, mod: JsModule, modules: JsModules): Env[] {
  let fn: Node | null = call.parent;
  while (
    fn &&
    !FUNCTION_TYPES.has(fn.type) &&
    fn.type !== 'function_declaration' &&
    fn.type !== 'method_definition'
  )
    fn = fn.parent;
  if (!fn) return [];
  const holder =
    fn.parent?.type === 'variable_declarator' ? fn.parent : fn.parent?.type === 'pair' ? fn.parent : fn;
  const helper = (holder.childForFieldName('name') ?? holder.childForFieldName('key'))?.text;
  if (!helper || !/^[A-Za-z_$][\w$]*$/.test(helper)) return [];
  const params = named(fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter'));
  const callRe = new RegExp(`\\b${helper.replace(/\$/g, '\\$')}\\s*\\(`);
  const envs: Env[] = [];
  for (const file of modules.project.files) {
    if ((file.language !== 'typescript' && file.language !== 'javascript') || !file.text.includes(helper))
      continue;
    const m = modules.get(file);
    for (const site of enclosingAt(m.root, file.text, callRe, CALL_TYPES)) {
      const callee = site.childForFieldName('function');
      const calleeName =
        callee?.type === 'member_expression' ? callee.childForFieldName('property')?.text : callee?.text;
      if (calleeName !== helper || site.id === call.id) continue;
      const args = named(site.childForFieldName('arguments')).filter((a) => a.type !== 'comment');
      const env = new Map<string, Value>();
      params.forEach((p, i) => {
        const pattern = p.childForFieldName('pattern') ?? p;
        const fallback = p.childForFieldName('value');
        if (pattern.type !== 'identifier') return;
        const arg = args[i];
        env.set(
          pattern.text,
          arg
            ? evalJs(arg, { mod: m, depth: 0 })
            : fallback
              ? evalJs(fallback, { mod, depth: 0 })
              : new Unresolved('undefined'),
        );
      });
      envs.push(env);
    }
  }
  return envs;
}
