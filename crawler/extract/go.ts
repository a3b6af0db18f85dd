// Go: mcp-go `mcp.NewTool("name", mcp.WithDescription(…), mcp.WithString(…, mcp.Required()), …)`
// (also through helper functions whose parameters carry the name), `NewToolWithRawSchema`, and the
// official go-sdk `&mcp.Tool{Name: …}` whose input schema comes from the handler's argument struct.
import type { Node } from 'web-tree-sitter';
import { goSchema, handlerInput } from './go-schema.ts';
import { GoPackages, evalGo, type GoCtx } from './go-values.ts';
import { descendants, enclosingAt, lineOf, named, type Project } from './project.ts';

import { short } from './python.ts';
import type { JsonSchema, RawTool, SourceFile, ToolInput } from './types.ts';
import { CodeRef, cleanAnnotations, isObject, toJson, type Value } from './values.ts';

const CALLS = new Set(['call_expression']);

export function mayHoldGoTools(text: string): boolean {
  return text.includes('NewTool') || /\bTool\s*\{/.test(text);
}

export { GoPackages };

const PROP_KINDS: Record<string, string> = {
  WithString: 'string',
  WithNumber: 'number',
  WithInteger: 'integer',
  WithBoolean: 'boolean',
  WithArray: 'array',
  WithObject: 'object',
};
const HINTS: Record<string, string> = {
  WithReadOnlyHintAnnotation: 'readOnlyHint',
  WithDestructiveHintAnnotation: 'destructiveHint',
  WithIdempotentHintAnnotation: 'idempotentHint',
  WithOpenWorldHintAnnotation: 'openWorldHint',
};

export function callName(node: Node): string | undefined {
  const fn = node.childForFieldName('function');
  if (!fn) return undefined;
  if (fn.type === 'selector_expression') return fn.childForFieldName('field')?.text;
  if (fn.type === 'generic_function' || fn.type === 'index_expression') {
    const inner = fn.namedChild(0);
    return inner?.type === 'selector_expression' ? inner.childForFieldName('field')?.text : inner?.text;
  }
  return fn.text;
}

export function args(node: Node): Node[] {
  return named(node.childForFieldName('arguments')).filter((a) => a.type !== 'comment');
}

export function extractGo(file: SourceFile, project: Project, pkgs: GoPackages): RawTool[] {
  const root = project.tree(file).rootNode;
  const tools: RawTool[] = [];
  const sites = [
    ...enclosingAt(root, file.text, /\bNewTool(?:WithRawSchema)?\s*[([]/, new Set(['call_expression'])),
    ...enclosingAt(root, file.text, /\bTool\s*\{/, new Set(['composite_literal'])),
  ].sort((a, b) => a.startIndex - b.startIndex);
  for (const node of sites) {
    if (node.type === 'call_expression') {
      const name = callName(node);
      if (name !== 'NewTool' && name !== 'NewToolWithRawSchema') continue;
      // A project's own NewTool(…, mcp.Tool{…}, …) wrapper: the literal is read on its own.
      if (args(node).some((a) => isToolLiteral(a.type === 'unary_expression' ? a.namedChild(0) : a)))
        continue;
      for (const env of helperEnvironments(node, args(node)[0], file, pkgs)) {
        const c: GoCtx = { pkgs, file, env, depth: 0 };
        const tool = name === 'NewTool' ? fromNewTool(node, c, project) : fromRawSchema(node, c, project);
        if (tool) tools.push(tool);
      }
    } else if (isToolLiteral(node)) {
      for (const env of helperEnvironments(node, literalField(node, 'Name'), file, pkgs)) {
        const tool = fromToolLiteral(node, { pkgs, file, env, depth: 0 }, project);
        if (tool) tools.push(tool);
      }
    }
  }
  return tools;
}

function literalField(lit: Node, key: string): Node | undefined {
  for (const el of named(lit.childForFieldName('body'))) {
    if (el.type !== 'keyed_element') continue;
    const k = el.namedChild(0);
    if (k?.text === key) return el.namedChild(1)?.namedChild(0) ?? undefined;
  }
  return undefined;
}

function isToolLiteral(node: Node | null): boolean {
  if (node?.type !== 'composite_literal') return false;
  const type = node.childForFieldName('type');
  return (type?.type === 'qualified_type' ? type.childForFieldName('name')?.text : type?.text) === 'Tool';
}

/**
 * When the tool name is a parameter of the enclosing function, the definition is a helper: evaluate it
 * once per call of that helper in this server, with the parameters bound to the call's arguments.
 */
function helperEnvironments(
  at: Node,
  first: Node | undefined,
  file: SourceFile,
  pkgs: GoPackages,
  depth = 0,
): ReadonlyMap<string, Value>[] {
  if (!first || depth > 3) return [new Map()];
  const used = [...descendants(first)].filter((n) => n.type === 'identifier').map((n) => n.text);
  if (used.length === 0) return [new Map()];
  let fn: Node | null = at.parent;
  while (fn && fn.type !== 'function_declaration' && fn.type !== 'method_declaration') fn = fn.parent;
  if (!fn) return [new Map()];
  const params: string[] = [];
  let variadic: string | undefined;
  for (const p of named(fn.childForFieldName('parameters')))
    for (const n of p.childrenForFieldName('name'))
      if (n) {
        params.push(n.text);
        if (p.type === 'variadic_parameter_declaration') variadic = n.text;
      }
  const index = params.findIndex((p) => used.includes(p));
  if (index < 0) return [new Map()];
  const helper = fn.childForFieldName('name')?.text;
  const envs: Map<string, Value>[] = [];
  for (const other of pkgs.project.files) {
    if (other.language !== 'go' || !helper || !other.text.includes(helper)) continue;
    const callRe = new RegExp(`\\b${helper}\\s*[([]`);
    for (const n of enclosingAt(pkgs.project.tree(other).rootNode, other.text, callRe, CALLS)) {
      if (callName(n) !== helper) continue;
      const callArgs = args(n);
      // The helper may itself be called from a helper: bind that one's parameters first.
      for (const outer of helperEnvironments(n, callArgs[index], other, pkgs, depth + 1)) {
        const env = new Map<string, Value>(outer);
        callArgs.forEach((a, i) => {
          const p = params[i];
          if (p && p !== variadic) env.set(p, evalGo(a, { pkgs, file: other, env: outer, depth: 0 }));
        });
        // Options passed through a variadic parameter (`opts ...mcp.ToolOption`) still apply.
        const extra = variadic ? callArgs.slice(params.indexOf(variadic)) : [];
        const inherited = outer.get(OPTIONS);
        env.set(OPTIONS, [
          ...(Array.isArray(inherited) ? inherited : []),
          ...extra.map((a) => new CodeRef(a)),
        ]);
        if (!outer.has(SITE)) env.set(SITE, `${other.path}:${lineOf(n)}`);
        envs.push(env);
      }
    }
  }
  return envs.length > 0 ? envs : [new Map()];
}

/** Environment keys that cannot clash with Go identifiers. */
const OPTIONS = '\u0000options';
const SITE = '\u0000site';

function newTool(name: string, c: GoCtx, at: Node): RawTool {
  // A tool made by a helper is located where the helper is called with its name.
  const site = c.env?.get(SITE);
  const m = typeof site === 'string' ? /^(.*):(\d+)$/.exec(site) : null;
  const source = m ? { path: m[1] as string, line: Number(m[2]) } : { path: c.file.path, line: lineOf(at) };
  return { name, inputSchema: { properties: {}, required: [] }, source, unresolved: [] };
}

/** Option calls handed to a helper through its variadic parameter. */
function inheritedOptions(c: GoCtx): Node[] {
  const v = c.env?.get(OPTIONS);
  return Array.isArray(v) ? v.filter((x): x is CodeRef<Node> => x instanceof CodeRef).map((x) => x.node) : [];
}

function nameOrNote(v: Value, node: Node | undefined, c: GoCtx, project: Project): string | undefined {
  if (typeof v === 'string') return v;
  project.note(
    c.file,
    node,
    'warn',
    `tool name is built at run time (${short(node?.text ?? '?')}); not guessed`,
  );
  return undefined;
}

function fromNewTool(call: Node, c: GoCtx, project: Project): RawTool | undefined {
  const [nameNode, ...opts] = args(call);
  const name = nameOrNote(evalGo(nameNode, c), nameNode, c, project);
  if (name === undefined) return undefined;
  const tool = newTool(name, c, call);
  applyOptions(tool, [...opts, ...inheritedOptions(c)], c);
  return tool;
}

function applyOptions(tool: RawTool, opts: Node[], c: GoCtx): void {
  const annotations: Record<string, Value> = { ...(tool.annotations as Record<string, Value> | undefined) };
  for (const opt of opts) {
    if (opt.type === 'variadic_argument') {
      // Options forwarded from a helper's caller are applied from the environment instead.
      if (!c.env?.has(OPTIONS)) tool.unresolved.push('options');
      continue;
    }
    if (opt.type !== 'call_expression') continue;
    const o = callName(opt) ?? '';
    const a = args(opt);
    if (o === 'WithDescription') {
      const d = evalGo(a[0], c);
      if (typeof d === 'string') tool.description = d;
      else tool.unresolved.push('description');
    } else if (o === 'WithTitleAnnotation') {
      const t = evalGo(a[0], c);
      if (typeof t === 'string') annotations.title = t;
    } else if (HINTS[o]) annotations[HINTS[o]] = evalGo(a[0], c);
    else if (o === 'WithToolAnnotation') {
      const v = evalGo(a[0], c);
      if (isObject(v))
        for (const [k, x] of Object.entries(v)) annotations[k.charAt(0).toLowerCase() + k.slice(1)] = x;
    } else if (PROP_KINDS[o]) addProperty(tool, PROP_KINDS[o], a, c);
    else if (o === 'WithInputSchema' || o === 'WithRawInputSchema') tool.unresolved.push('inputSchema');
  }
  const ann = cleanAnnotations(annotations);
  if (ann) tool.annotations = ann;
}

function addProperty(tool: RawTool, type: string, a: Node[], c: GoCtx): void {
  const key = evalGo(a[0], c);
  if (typeof key !== 'string') {
    tool.unresolved.push('inputSchema');
    return;
  }
  const schema: JsonSchema = { type };
  let required = false;
  for (const opt of a.slice(1)) {
    if (opt.type !== 'call_expression') continue;
    const o = callName(opt) ?? '';
    const v = args(opt).map((x) => evalGo(x, c));
    if (o === 'Required') required = true;
    else if (o === 'Description' && typeof v[0] === 'string') schema.description = v[0];
    else if (o === 'Title' && typeof v[0] === 'string') schema.title = v[0];
    else if (o === 'Enum') {
      const values = v.length === 1 && Array.isArray(v[0]) ? v[0] : v;
      const json = toJson(values);
      if (Array.isArray(json)) schema.enum = json;
    } else if (o.startsWith('Default')) {
      const json = toJson(v[0]);
      if (json !== undefined) schema.default = json;
    } else if (o === 'Min' || o === 'Max') schema[o === 'Min' ? 'minimum' : 'maximum'] = toJson(v[0]);
    else if (o === 'MinLength' || o === 'MaxLength')
      schema[o === 'MinLength' ? 'minLength' : 'maxLength'] = toJson(v[0]);
    else if (o === 'Pattern' && typeof v[0] === 'string') schema.pattern = v[0];
    else if (o === 'Items') {
      const json = toJson(v[0]);
      if (json && typeof json === 'object') schema.items = json;
    } else if (o === 'WithStringItems') schema.items = { type: 'string' };
    else if (o === 'WithNumberItems') schema.items = { type: 'number' };
  }
  tool.inputSchema.properties[key] = schema;
  if (required) tool.inputSchema.required.push(key);
}

function fromRawSchema(call: Node, c: GoCtx, project: Project): RawTool | undefined {
  const [nameNode, descNode, schemaNode] = args(call);
  const name = nameOrNote(evalGo(nameNode, c), nameNode, c, project);
  if (name === undefined) return undefined;
  const tool = newTool(name, c, call);
  const d = evalGo(descNode, c);
  if (typeof d === 'string') tool.description = d;
  else tool.unresolved.push('description');
  const raw = schemaNode?.type === 'call_expression' ? args(schemaNode)[0] : schemaNode;
  const text = evalGo(raw, c);
  try {
    const json = JSON.parse(typeof text === 'string' ? text : '') as {
      properties?: ToolInput['properties'];
      required?: string[];
    };
    tool.inputSchema = { properties: json.properties ?? {}, required: json.required ?? [] };
  } catch {
    tool.unresolved.push('inputSchema');
  }
  return tool;
}

/** go-sdk: `&mcp.Tool{Name, Title, Description, Annotations, InputSchema}`. */
function fromToolLiteral(lit: Node, c: GoCtx, project: Project): RawTool | undefined {
  const v = evalGo(lit, c);
  if (!isObject(v) || !('Name' in v)) return undefined;
  const name = nameOrNote(v.Name as Value, lit, c, project);
  if (name === undefined) return undefined;
  const tool = newTool(name, c, lit);
  if ('Description' in v) {
    if (typeof v.Description === 'string') tool.description = v.Description;
    else tool.unresolved.push('description');
  }
  if (typeof v.Title === 'string') tool.title = v.Title;
  if (isObject(v.Annotations)) {
    const lowered: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v.Annotations)) lowered[k.charAt(0).toLowerCase() + k.slice(1)] = x;
    const ann = cleanAnnotations(lowered);
    if (ann) tool.annotations = ann;
  }
  if ('InputSchema' in v) {
    const schema = goSchema(v.InputSchema as Value);
    if (schema)
      tool.inputSchema = {
        properties: (schema.properties ?? {}) as ToolInput['properties'],
        required: (schema.required as string[]) ?? [],
      };
    else tool.unresolved.push('inputSchema');
  } else {
    const input = handlerInput(lit, c);
    if (input) tool.inputSchema = input;
    else tool.unresolved.push('inputSchema');
  }
  const inherited = inheritedOptions(c);
  if (inherited.length > 0) applyOptions(tool, inherited, c);
  return tool;
}
