// Class-based tools: `class FindTool extends ToolBase { static toolName = 'find'; description = '…';
// argsShape = {…} }` (and the compiled form with `this.description = …` in the constructor and
// `FindTool.toolName = 'find'` after the class), as mcp-framework and several large servers write them.
import type { Node } from 'web-tree-sitter';
import type { JsModule } from './js-modules.ts';
import { applyAnnotations, applyInput } from './js-tool-config.ts';
import { evalJs, type JsCtx } from './js-values.ts';
import { enclosingAt, lineOf, named, type Project } from './project.ts';
import type { RawTool, SourceFile } from './types.ts';
import { Unresolved, type Value } from './values.ts';

const CLASS_SITES = /\bclass\s+[\w$]+\s+extends\s/;
const CLASS_TYPES = new Set(['class_declaration', 'class', 'abstract_class_declaration']);
const NAME_KEYS = ['toolName', 'name'];
const INPUT_KEYS = ['inputSchema', 'schema', 'argsShape', 'parameters', 'input_schema'];

/** Members of a class by name: field initialisers, `this.x = …` in the constructor, `Cls.x = …` after it. */
function members(cls: Node, mod: JsModule): Map<string, Node> {
  const out = new Map<string, Node>();
  const className = cls.childForFieldName('name')?.text;
  for (const m of named(cls.childForFieldName('body'))) {
    if (m.type === 'public_field_definition' || m.type === 'field_definition') {
      const key = (m.childForFieldName('name') ?? m.childForFieldName('property'))?.text;
      const value = m.childForFieldName('value');
      if (key && value) out.set(key, value);
    } else if (m.type === 'method_definition') {
      const key = m.childForFieldName('name')?.text;
      const body = named(m.childForFieldName('body'));
      if (key === 'constructor') {
        for (const stmt of body) {
          const assign = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
          const left = assign?.type === 'assignment_expression' ? assign.childForFieldName('left') : null;
          const right = assign?.childForFieldName('right');
          if (
            left?.type === 'member_expression' &&
            left.childForFieldName('object')?.type === 'this' &&
            right
          )
            out.set(left.childForFieldName('property')?.text ?? '', right);
        }
      } else if (key && body.length === 1 && body[0]?.type === 'return_statement') {
        // `argsShape() { return shape; }`
        const ret = body[0].namedChild(0);
        if (ret && !out.has(key)) out.set(key, ret);
      } else if (key && (key === 'description' || key === 'name') && m.text.startsWith('get ')) {
        const ret = body.find((b) => b.type === 'return_statement')?.namedChild(0);
        if (ret) out.set(key, ret);
      }
    }
  }
  if (className) {
    const re = new RegExp(`(^|[^\\w$.])${className.replace(/\$/g, '\\$')}\\.([\\w$]+)\\s*=[^=]`, 'g');
    for (const m of mod.file.text.matchAll(re)) {
      const at = (m.index ?? 0) + (m[1]?.length ?? 0);
      let n: Node | null = mod.root.descendantForIndex(at);
      while (n && n.type !== 'assignment_expression') n = n.parent;
      const right = n?.childForFieldName('right');
      if (right && m[2] && !out.has(m[2])) out.set(m[2], right);
    }
  }
  return out;
}

export function classTools(file: SourceFile, mod: JsModule, project: Project): RawTool[] {
  const tools: RawTool[] = [];
  for (const cls of enclosingAt(mod.root, file.text, CLASS_SITES, CLASS_TYPES)) {
    const className = cls.childForFieldName('name')?.text ?? '';
    const heritage = named(cls).find((c) => c.type === 'class_heritage')?.text ?? '';
    // Only classes that say they are tools: a *Tool base class or a *Tool class name.
    if (!/Tool/.test(heritage) && !/Tool$/.test(className)) continue;
    const m = members(cls, mod);
    const ctx: JsCtx = { mod, depth: 0 };
    const nameKey = NAME_KEYS.find((k) => m.has(k));
    if (!nameKey) continue;
    const nameNode = m.get(nameKey) as Node;
    const name = evalJs(nameNode, ctx);
    // A tool class says what it does or takes; display names with spaces are not tool names.
    if (!m.has('description') && !INPUT_KEYS.some((k) => m.has(k))) continue;
    if (typeof name === 'string' && !/^[\w.\-/]{1,128}$/.test(name)) continue;
    if (typeof name !== 'string') {
      project.note(
        file,
        nameNode,
        'warn',
        `tool name is built at run time (${nameNode.text.slice(0, 60)}); not guessed`,
      );
      continue;
    }
    const tool: RawTool = {
      name,
      inputSchema: { properties: {}, required: [] },
      source: { path: file.path, line: lineOf(cls) },
      unresolved: [],
    };
    const str = (key: string, field: 'description' | 'title') => {
      const node = m.get(key);
      if (!node) return;
      const v: Value = evalJs(node, ctx);
      if (typeof v === 'string') tool[field] = v;
      else if (!(v instanceof Unresolved && v.reason === 'undefined')) tool.unresolved.push(field);
    };
    str('description', 'description');
    str('title', 'title');
    const inputKey = INPUT_KEYS.find((k) => m.has(k));
    if (inputKey) applyInput(tool, evalJs(m.get(inputKey), ctx));
    const ann = m.get('annotations');
    if (ann) applyAnnotations(tool, evalJs(ann, ctx));
    tools.push(tool);
  }
  return tools;
}
