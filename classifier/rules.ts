// Rules classifier v0: name verbs, description phrases, input-schema cues and declared annotations.
// Each rule that fires adds evidence; the category is the most dangerous one with evidence.
import type { Category, Evidence, Risk, ToolDefinition, Verdict } from '../data/model.ts';
import type { ClassifyContext } from './index.ts';

const ORDER: Category[] = ['Read', 'Write', 'Destructive', 'Execute'];
const VERBS: Record<Exclude<Category, 'Read'>, string[]> = {
  Execute: [
    'run',
    'exec',
    'execute',
    'eval',
    'evaluate',
    'shell',
    'spawn',
    'invoke',
    'navigate',
    'click',
    'script',
  ],
  Destructive: [
    'delete',
    'remove',
    'drop',
    'purge',
    'destroy',
    'wipe',
    'truncate',
    'erase',
    'overwrite',
    'reset',
    'kill',
  ],
  Write: [
    'set',
    'create',
    'update',
    'add',
    'move',
    'rename',
    'write',
    'edit',
    'insert',
    'put',
    'post',
    'send',
    'commit',
    'push',
    'toggle',
    'upload',
    'save',
    'modify',
    'change',
    'enable',
    'disable',
    'start',
    'stop',
    'apply',
  ],
};
const RISK_OF: Record<Category, Risk> = {
  Read: 'low',
  Write: 'medium',
  Destructive: 'high',
  Execute: 'high',
};
const EXEC_PARAMS = ['command', 'cmd', 'script', 'code', 'sql', 'query', 'shell'];

export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function classifyWithRules(
  tool: ToolDefinition,
  _context: ClassifyContext,
  classifier: { name: string; version: string },
): Verdict {
  const evidence: Evidence[] = [];
  const words = splitWords(tool.name);
  for (const category of ['Execute', 'Destructive', 'Write'] as const) {
    const verb = words.find((w) => VERBS[category].includes(w));
    if (verb)
      evidence.push({ signal: 'name', excerpt: verb, suggests: category, note: `name contains "${verb}"` });
  }
  const props = Object.keys((tool.inputSchema?.properties as Record<string, unknown> | undefined) ?? {});
  const execParam = props.find((p) => EXEC_PARAMS.includes(p.toLowerCase()));
  if (execParam) {
    evidence.push({
      signal: 'schema',
      excerpt: execParam,
      suggests: 'Execute',
      note: `takes free-form "${execParam}" text`,
    });
  }
  if (tool.annotations?.readOnlyHint === true) {
    evidence.push({
      signal: 'annotation',
      excerpt: 'readOnlyHint: true',
      suggests: 'Read',
      note: 'the author declares it read-only',
    });
  }
  const category = evidence.reduce<Category>(
    (best, e) => (e.suggests && ORDER.indexOf(e.suggests) > ORDER.indexOf(best) ? e.suggests : best),
    'Read',
  );
  const risk = execParam && category === 'Execute' ? 'critical' : RISK_OF[category];
  const shown = evidence.map((e) => e.note).join('; ');
  const rationale =
    `${tool.name} is classed ${category} (${risk} risk). ` +
    (shown ? `Evidence: ${shown}.` : 'Its definition shows no sign of changing anything.');
  return {
    category,
    risk,
    confidence: evidence.length > 0 ? 0.6 : 0.3,
    rationale,
    evidence,
    inferredAnnotations: {
      readOnlyHint: category === 'Read',
      destructiveHint: category === 'Destructive',
      idempotentHint: category === 'Read',
      openWorldHint: false,
    },
    contradictions: [],
    actions: [],
    flags: [],
    tags: [],
    classifier,
  };
}
