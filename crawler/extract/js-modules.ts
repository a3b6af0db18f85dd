// JavaScript/TypeScript modules of one server: declarations by scope, imports and exports (ESM and
// the CommonJS that compilers emit), resolved across files without running anything.
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { named, type Project } from './project.ts';
import type { SourceFile } from './types.ts';

export type Binding =
  | { kind: 'value'; node: Node; mod: JsModule; pattern?: PatternStep[] }
  | { kind: 'import'; source: string; name: string | '*' | 'default'; mod: JsModule }
  | { kind: 'code'; node: Node; mod: JsModule };

/** How to reach a destructured name inside a declarator's value: property keys or array indexes. */
export type PatternStep = string | number;

const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

export class JsModule {
  private readonly scopes = new Map<number, Map<string, Binding>>();
  readonly exports = new Map<string, Binding>();
  readonly starExports: string[] = [];
  defaultExport?: Node;
  readonly cache = new Map<number, unknown>();

  constructor(
    readonly file: SourceFile,
    readonly root: Node,
    readonly modules: JsModules,
  ) {
    this.indexExports();
  }

  /** Declarations made directly in a block (program, statement block, class body, switch case). */
  scope(block: Node): Map<string, Binding> {
    let map = this.scopes.get(block.id);
    if (map) return map;
    map = new Map();
    this.scopes.set(block.id, map);
    for (const stmt of named(block)) this.declare(stmt, map);
    return map;
  }

  private declare(stmt: Node, map: Map<string, Binding>): void {
    switch (stmt.type) {
      case 'export_statement': {
        const decl = stmt.childForFieldName('declaration');
        if (decl) this.declare(decl, map);
        return;
      }
      case 'lexical_declaration':
      case 'variable_declaration':
        for (const d of named(stmt)) {
          if (d.type !== 'variable_declarator') continue;
          const nameNode = d.childForFieldName('name');
          const value = d.childForFieldName('value');
          if (!nameNode || !value) continue;
          for (const [name, pattern] of patternNames(nameNode, []))
            map.set(name, { kind: 'value', node: value, mod: this, pattern });
        }
        return;
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'class_declaration': {
        const name = stmt.childForFieldName('name')?.text;
        if (name) map.set(name, { kind: 'code', node: stmt, mod: this });
        return;
      }
      case 'import_statement': {
        const source = stringText(stmt.childForFieldName('source'));
        if (source === undefined) return;
        const clause = named(stmt).find((c) => c.type === 'import_clause');
        for (const part of named(clause)) {
          if (part.type === 'identifier')
            map.set(part.text, { kind: 'import', source, name: 'default', mod: this });
          else if (part.type === 'namespace_import') {
            const id = part.namedChild(0)?.text;
            if (id) map.set(id, { kind: 'import', source, name: '*', mod: this });
          } else if (part.type === 'named_imports')
            for (const spec of named(part)) {
              const orig = spec.childForFieldName('name')?.text;
              const alias = spec.childForFieldName('alias')?.text ?? orig;
              if (orig && alias) map.set(alias, { kind: 'import', source, name: orig, mod: this });
            }
        }
        return;
      }
    }
  }

  private indexExports(): void {
    for (const stmt of named(this.root)) {
      if (stmt.type === 'export_statement') {
        const decl = stmt.childForFieldName('declaration');
        const source = stringText(stmt.childForFieldName('source'));
        const value = stmt.childForFieldName('value');
        if (decl) {
          const local = new Map<string, Binding>();
          this.declare(decl, local);
          for (const [k, v] of local) this.exports.set(k, v);
        } else if (value) this.defaultExport = value;
        else {
          const clause = named(stmt).find((c) => c.type === 'export_clause');
          if (!clause && source !== undefined) this.starExports.push(source);
          for (const spec of named(clause)) {
            const orig = spec.childForFieldName('name')?.text;
            const alias = spec.childForFieldName('alias')?.text ?? orig;
            if (!orig || !alias) continue;
            if (source !== undefined)
              this.exports.set(alias, { kind: 'import', source, name: orig, mod: this });
            else {
              const local = this.scope(this.root).get(orig);
              if (local) this.exports.set(alias, local);
            }
          }
        }
      } else if (stmt.type === 'expression_statement') {
        // CommonJS: exports.X = …, module.exports = {…}, module.exports.X = …
        const assign = stmt.namedChild(0);
        if (assign?.type !== 'assignment_expression') continue;
        const left = assign.childForFieldName('left')?.text ?? '';
        const right = assign.childForFieldName('right');
        if (!right) continue;
        const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left);
        if (m?.[1]) this.exports.set(m[1], { kind: 'value', node: right, mod: this });
        else if (left === 'module.exports') this.defaultExport = right;
      }
    }
  }

  /** The binding a name has at a node: the innermost enclosing scope that declares it. */
  lookup(name: string, at: Node): Binding | { kind: 'param'; node: Node } | undefined {
    for (let n: Node | null = at.parent; n; n = n.parent) {
      switch (n.type) {
        case 'program':
        case 'statement_block':
        case 'class_body':
        case 'switch_body': {
          const b = this.scope(n).get(name);
          if (b) return b;
          break;
        }
        case 'arrow_function':
        case 'function_expression':
        case 'function_declaration':
        case 'method_definition': {
          const params = n.childForFieldName('parameters') ?? n.childForFieldName('parameter');
          if (params && declaresName(params, name)) return { kind: 'param', node: n };
          break;
        }
        case 'for_in_statement': {
          const left = n.childForFieldName('left');
          if (left && declaresName(left, name)) return { kind: 'param', node: n };
          break;
        }
      }
    }
    return undefined;
  }
}

export function patternNames(node: Node, prefix: PatternStep[]): [string, PatternStep[]][] {
  switch (node.type) {
    case 'identifier':
      return [[node.text, prefix]];
    case 'shorthand_property_identifier_pattern':
      return [[node.text, [...prefix, node.text]]];
    case 'object_pattern':
      return named(node).flatMap((p) => {
        if (p.type === 'shorthand_property_identifier_pattern')
          return [[p.text, [...prefix, p.text]] as [string, PatternStep[]]];
        if (p.type === 'pair_pattern') {
          const key = p.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '');
          const value = p.childForFieldName('value');
          return key && value ? patternNames(value, [...prefix, key]) : [];
        }
        if (p.type === 'object_assignment_pattern') {
          const left = p.childForFieldName('left');
          return left ? patternNames(left, prefix) : [];
        }
        return [];
      });
    case 'array_pattern':
      return named(node).flatMap((p, i) => patternNames(p, [...prefix, i]));
    case 'assignment_pattern': {
      const left = node.childForFieldName('left');
      return left ? patternNames(left, prefix) : [];
    }
    default:
      return [];
  }
}

function declaresName(node: Node, name: string): boolean {
  if (node.type === 'identifier') return node.text === name;
  if (node.type === 'required_parameter' || node.type === 'optional_parameter') {
    const p = node.childForFieldName('pattern');
    return p ? declaresName(p, name) : false;
  }
  if (node.type === 'lexical_declaration' || node.type === 'variable_declaration')
    return named(node).some((d) => {
      const n = d.childForFieldName('name');
      return n ? declaresName(n, name) : false;
    });
  return (
    patternNames(node, []).some(([n]) => n === name) ||
    named(node).some((c) => c.type !== 'type_annotation' && declaresName(c, name))
  );
}

export function stringText(node: Node | null | undefined): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  return node.text.slice(1, -1);
}

/** JS modules of one server, by file, with relative-import resolution. */
export class JsModules {
  private readonly cache = new Map<string, JsModule>();
  constructor(readonly project: Project) {}

  get(file: SourceFile): JsModule {
    let mod = this.cache.get(file.path);
    if (!mod) {
      mod = new JsModule(file, this.project.tree(file).rootNode, this);
      this.cache.set(file.path, mod);
    }
    return mod;
  }

  resolve(from: SourceFile, spec: string): JsModule | undefined {
    if (!spec.startsWith('.')) return undefined;
    const target = path.posix.join(path.posix.dirname(from.path), spec);
    const stem = target.replace(/\.(m|c)?js$/, '');
    const candidates = [stem, target, path.posix.join(target, 'index')];
    for (const c of candidates) {
      const file = this.project.find(c, RESOLVE_EXTENSIONS);
      if (file && (file.language === 'typescript' || file.language === 'javascript')) return this.get(file);
    }
    return undefined;
  }
}
