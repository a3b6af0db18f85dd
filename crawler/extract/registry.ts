// Which extractor reads which language. Each extractor has a cheap text pre-check so that files that
// cannot hold a tool are never parsed, and a per-server context (module caches, symbol tables).
import { CsharpConsts, extractCsharp, mayHoldCsharpTools } from './csharp.ts';
import { GoPackages, extractGo, mayHoldGoTools } from './go.ts';
import type { Project } from './project.ts';
import { PyModules } from './python-values.ts';
import { extractPython, mayHoldPythonTools } from './python.ts';
import { JavaConsts, extractJava, mayHoldJavaTools } from './java.ts';
import { JsModules, extractJs, mayHoldJsTools } from './typescript.ts';
import { RustStructs, extractRust, mayHoldRustTools } from './rust.ts';
import type { RawTool, SourceFile, SourceLanguage } from './types.ts';

export interface Extractor<C = unknown> {
  mayHoldTools(text: string): boolean;
  context(project: Project): C;
  extract(file: SourceFile, project: Project, context: C): RawTool[];
}

const none: Extractor<null> = { mayHoldTools: () => false, context: () => null, extract: () => [] };

const python: Extractor<PyModules> = {
  mayHoldTools: mayHoldPythonTools,
  context: (project) => new PyModules(project),
  extract: (file, project, modules) => extractPython(file, project, modules),
};

const js: Extractor<JsModules> = {
  mayHoldTools: mayHoldJsTools,
  context: (project) => new JsModules(project),
  extract: (file, project, modules) => extractJs(file, project, modules),
};

const go: Extractor<GoPackages> = {
  mayHoldTools: mayHoldGoTools,
  context: (project) => new GoPackages(project),
  extract: (file, project, pkgs) => extractGo(file, project, pkgs),
};

const csharp: Extractor<CsharpConsts> = {
  mayHoldTools: mayHoldCsharpTools,
  context: (project) => new CsharpConsts(project),
  extract: (file, project, consts) => extractCsharp(file, project, consts),
};

const rust: Extractor<RustStructs> = {
  mayHoldTools: mayHoldRustTools,
  context: (project) => new RustStructs(project),
  extract: (file, project, structs) => extractRust(file, project, structs),
};

const java: Extractor<JavaConsts> = {
  mayHoldTools: mayHoldJavaTools,
  context: (project) => new JavaConsts(project),
  extract: (file, project, consts) => extractJava(file, project, consts),
};

export function extractorFor(language: SourceLanguage): Extractor {
  switch (language) {
    case 'python':
      return python as Extractor;
    case 'typescript':
    case 'javascript':
      return js as Extractor;
    case 'go':
      return go as Extractor;
    case 'csharp':
      return csharp as Extractor;
    case 'rust':
      return rust as Extractor;
    case 'java':
      return java as Extractor;
    default:
      return none as Extractor;
  }
}
