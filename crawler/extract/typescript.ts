// TypeScript/JavaScript: `server.tool(...)` overloads, `server.registerTool(name, config, cb)`,
// fastmcp `addTool({...})`, and tool object literals (`{ name, description, inputSchema }`) in arrays,
// maps and ListTools handlers. Registrations in loops over static definition arrays are expanded.
import type { Node } from 'web-tree-sitter';
import { JsModules, type JsModule } from './js-modules.ts';
import { environments, helperEnvironments } from './js-bindings.ts';
import { applyAnnotations, applyInput, isZodShape, readConfig } from './js-tool-config.ts';
import { evalJs, type Env, type JsCtx } from './js-values.ts';
import { enclosingAt, lineOf, named, type Project } from './project.ts';
import { short } from './python.ts';
import type { RawTool, SourceFile } from './types.ts';
import { SchemaValue, isObject, type Value } from './values.ts';
import { classTools } from './js-classes.ts';

const JS_CALL_SITES =
  /\.(?:tool|registerTool|registerToolTask|addTool)\s*\(|\b(?:define|create|make|build)\w*Tool\s*\(/;
/** What a tool name looks like (the spec's recommended characters); rules out display names. */
const TOOL_NAME = /^[\w.\-/]{1,128}$/;
const JS_LITERAL_SITES = /\b(?:inputSchema|input_schema)\b/;
const CALL_TYPES = new Set(['call_expression']);
const JS_CLASS_SITES = /\bclass\s+[\w$]+\s+extends\s/;
const OBJECT_TYPES = new Set(['object']);

export function mayHoldJsTools(text: string): boolean {
  return JS_CALL_SITES.test(text) || JS_LITERAL_SITES.test(text) || JS_CLASS_SITES.test(text);
}

export { JsModules };

export function extractJs(file: SourceFile, project: Project, modules: JsModules): RawTool[] {
  const mod = modules.get(file);
  const tools: RawTool[] = [];
  const sites = [
    ...enclosingAt(mod.root, file.text, JS_CALL_SITES, CALL_TYPES),
    ...enclosingAt(mod.root, file.text, JS_LITERAL_SITES, OBJECT_TYPES),
  ].sort((a, b) => a.startIndex - b.startIndex);
  for (const node of sites) {
    if (node.type === 'call_expression') {
      const fn = node.childForFieldName('function');
      if (fn?.type === 'identifier' && /^(define|create|make|build)\w*Tool$/.test(fn.text)) {
        // defineTool({ name, description, schema, handler }) or defineTool(() => ({ … })): a definition
        // only when it names itself.
        let arg = named(node.childForFieldName('arguments'))[0];
        if (arg?.type === 'arrow_function' || arg?.type === 'function_expression') {
          const body = arg.childForFieldName('body');
          // `() => ({ … })` or `(args) => { …; return { … }; }`
          arg =
            body?.type === 'statement_block'
              ? (named(body)
                  .find((s) => s.type === 'return_statement')
                  ?.namedChild(0) ?? undefined)
              : (body ?? undefined);
        }
        const def = evalJs(arg, { mod, depth: 0 });
        if (isObject(def) && typeof def.name === 'string' && TOOL_NAME.test(def.name)) {
          const tool = fromDefinition(def, node, mod, project, true);
          if (tool) tools.push(tool);
        }
        continue;
      }
      if (fn?.type !== 'member_expression') continue;
      const method = fn.childForFieldName('property')?.text;
      if (
        method !== 'tool' &&
        method !== 'registerTool' &&
        method !== 'registerToolTask' &&
        method !== 'addTool'
      )
        continue;
      const args = named(node.childForFieldName('arguments')).filter((a) => a.type !== 'comment');
      if (method === 'addTool' && args.length !== 1) continue;
      if (method !== 'addTool' && args.length < 2) continue;
      let envs = environments(node, mod);
      if (envs.length === 1 && (envs[0] as Env).size === 0 && !staticName(method, args, mod))
        envs = helperEnvironments(node, mod, modules);
      if (envs.length === 0) envs = [new Map()];
      for (const env of envs) {
        const ctx: JsCtx = { mod, env, depth: 0 };
        const tool =
          method === 'tool'
            ? fromToolCall(args, ctx, node, project)
            : method === 'registerTool' || method === 'registerToolTask'
              ? fromRegisterTool(args, ctx, node, project)
              : fromDefinition(evalJs(args[0], ctx), node, mod, project, true);
        if (tool) tools.push(tool);
      }
    } else if (node.type === 'object' && isToolLiteral(node) && !unusedDefinition(node, file, project)) {
      const ctx: JsCtx = { mod, depth: 0 };
      const tool = fromDefinition(evalJs(node, ctx), node, mod, project, false);
      if (tool) tools.push(tool);
    }
  }
  tools.push(...classTools(file, mod, project));
  return tools;
}

/**
 * `const fooTool = { name, inputSchema }` that nothing else mentions is dead code (left-over config
 * files), not a tool the server lists.
 */
function unusedDefinition(node: Node, file: SourceFile, project: Project): boolean {
  const decl = node.parent?.type === 'variable_declarator' ? node.parent : undefined;
  const id = decl?.childForFieldName('name');
  if (id?.type !== 'identifier') return false;
  const word = new RegExp(`(^|[^\\w$])${id.text.replace(/\$/g, '\\$')}($|[^\\w$])`, 'g');
  if ((file.text.match(word) ?? []).length > 1) return false;
  for (const other of project.files)
    if (
      other !== file &&
      (other.language === 'typescript' || other.language === 'javascript') &&
      word.test(other.text)
    )
      return false;
  project.note(file, node, 'info', `tool definition ${id.text} is never used; not reported`);
  return true;
}

function staticName(method: string, args: Node[], mod: JsModule): boolean {
  const ctx: JsCtx = { mod, depth: 0 };
  const v = method === 'addTool' ? evalJs(args[0], ctx) : evalJs(args[0], ctx);
  return method === 'addTool' ? isObject(v) && typeof v.name === 'string' : typeof v === 'string';
}

/** `{ name: …, inputSchema: … }` written out in place (not built from spreads only). */
function isToolLiteral(node: Node): boolean {
  let hasName = false;
  let hasSchema = false;
  for (const item of named(node)) {
    if (item.type !== 'pair' && item.type !== 'shorthand_property_identifier') continue;
    const key =
      item.type === 'pair' ? item.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') : item.text;
    if (key === 'name') hasName = true;
    if (key === 'inputSchema' || key === 'input_schema') hasSchema = true;
  }
  if (!hasName || !hasSchema) return false;
  // Objects handed to addTool/registerTool are read at the call.
  const call = node.parent?.parent;
  if (call?.type === 'call_expression') {
    const prop = call.childForFieldName('function')?.childForFieldName('property')?.text;
    if (prop === 'addTool' || prop === 'registerTool' || prop === 'registerToolTask' || prop === 'tool')
      return false;
  }
  return true;
}

function nameOf(v: Value, node: Node | undefined, mod: JsModule, project: Project): string | undefined {
  if (typeof v === 'string') return v;
  project.note(
    mod.file,
    node,
    'warn',
    `tool name is built at run time (${short(node?.text ?? '?')}); not guessed`,
  );
  return undefined;
}

function isCallable(node: Node | undefined): boolean {
  return !!node && node.type !== 'string' && node.type !== 'template_string' && node.type !== 'object';
}

function fromToolCall(args: Node[], ctx: JsCtx, call: Node, project: Project): RawTool | undefined {
  const last = args[args.length - 1];
  if (!isCallable(last)) return undefined;
  const name = nameOf(evalJs(args[0], ctx), args[0], ctx.mod, project);
  if (name === undefined) return undefined;
  const tool = newTool(name, ctx.mod, call);
  let rest = args.slice(1, -1);
  const first = rest[0];
  if (
    first &&
    (first.type === 'string' || first.type === 'template_string' || !isObjectish(evalJs(first, ctx)))
  ) {
    const d = evalJs(first, ctx);
    if (typeof d === 'string') tool.description = d;
    else tool.unresolved.push('description');
    rest = rest.slice(1);
  }
  if (rest.length > 0) {
    const a = evalJs(rest[0], ctx);
    if (rest.length === 1 && !isZodShape(a) && !(a instanceof SchemaValue)) applyAnnotations(tool, a);
    else {
      applyInput(tool, a);
      if (rest[1]) applyAnnotations(tool, evalJs(rest[1], ctx));
    }
  }
  return tool;
}

function isObjectish(v: Value): boolean {
  return isObject(v) || v instanceof SchemaValue;
}

function fromRegisterTool(args: Node[], ctx: JsCtx, call: Node, project: Project): RawTool | undefined {
  const name = nameOf(evalJs(args[0], ctx), args[0], ctx.mod, project);
  if (name === undefined) return undefined;
  const tool = newTool(name, ctx.mod, call);
  const config = evalJs(args[1], ctx);
  if (!isObject(config)) {
    tool.unresolved.push('description', 'inputSchema');
    return tool;
  }
  readConfig(tool, config);
  return tool;
}

function fromDefinition(
  def: Value,
  at: Node,
  mod: JsModule,
  project: Project,
  fastmcp: boolean,
): RawTool | undefined {
  if (!isObject(def)) {
    if (fastmcp)
      project.note(
        mod.file,
        at,
        'warn',
        `tool definition is built at run time (${short(at.text)}); not read`,
      );
    return undefined;
  }
  const nameNode = at.type === 'object' ? undefined : at;
  const name = nameOf(def.name as Value, nameNode ?? at, mod, project);
  if (name === undefined) return undefined;
  const tool = newTool(name, mod, at);
  readConfig(tool, def);
  return tool;
}

function newTool(name: string, mod: JsModule, at: Node): RawTool {
  return {
    name,
    inputSchema: { properties: {}, required: [] },
    source: { path: mod.file.path, line: lineOf(at) },
    unresolved: [],
  };
}
