// The tool page's context: a link to the source file and line, the change history, an FAQ written from the
// verdict, related tools in the same server and similar tools in others.
import { MARK_TEXT } from '../../../classifier/changes.ts';
import type { Decision } from '../../../classifier/policy/index.ts';
import { relatedTools, similarTools } from '../../../data/browse.ts';
import { listToolChanges } from '../../../data/changes.ts';
import type { Db } from '../../../data/db.ts';
import type { Category, Risk, ServerRef, Verdict } from '../../../data/model.ts';
import type { SearchHit } from '../../../data/queries.ts';
import { safeHttpUrl } from './text.ts';
import { serverHref, toolHref } from './urls.ts';

export const RELATED_SHOWN = 8;

export interface ChangeView {
  kind: 'added' | 'changed' | 'removed';
  summary: string;
  rugPull: boolean;
  marks: string[];
  detectedAt: string;
  oldRisk: string | null;
  newRisk: string | null;
}

export interface LinkedTool {
  name: string;
  href: string;
  serverName: string;
  serverHref: string;
  category: Category | null;
  risk: Risk | null;
}

export interface Faq {
  question: string;
  answer: string;
}

const SAFE_PATH = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[\w@.~+\-/ ]+$/;

/**
 * A link to the file and line on GitHub, when the server's repository is on GitHub and the path is a plain
 * relative one. Anything else gets no link (the page still shows the path as text).
 */
export function sourceHref(ref: ServerRef, source: { path: string; line: number } | null): string | null {
  if (!source || !SAFE_PATH.test(source.path)) return null;
  let owner = ref.github?.owner;
  let repo = ref.github?.repo;
  let subdir = ref.github?.subdir ?? '';
  const gitRef = ref.github?.ref ?? 'HEAD';
  if (!owner || !repo) {
    const m = /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(ref.repositoryUrl ?? '');
    if (!m) return null;
    owner = m[1]!;
    repo = m[2]!;
    subdir = '';
  }
  const enc = (p: string) => p.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  const full = [subdir, source.path].filter(Boolean).map(enc).join('/');
  const url = `https://github.com/${enc(owner)}/${enc(repo)}/blob/${enc(gitRef)}/${full}#L${source.line}`;
  return safeHttpUrl(url);
}

export function changesOf(db: Db, serverId: string, name: string): ChangeView[] {
  return listToolChanges(db, serverId, name, 20).map((c) => ({
    kind: c.kind,
    summary: c.summary,
    rugPull: c.rugPull,
    marks: c.marks.map((m) => MARK_TEXT[m] ?? m),
    detectedAt: c.detectedAt,
    oldRisk: c.oldRisk,
    newRisk: c.newRisk,
  }));
}

const linked = (h: SearchHit): LinkedTool => ({
  name: h.name,
  href: toolHref(h.serverId, h.name),
  serverName: h.serverName,
  serverHref: serverHref(h.serverId),
  category: h.category,
  risk: h.risk,
});

export function relatedOf(
  db: Db,
  serverId: string,
  name: string,
): { related: LinkedTool[]; similar: LinkedTool[] } {
  return {
    related: relatedTools(db, serverId, name, RELATED_SHOWN).map(linked),
    similar: similarTools(db, serverId, name, RELATED_SHOWN).map(linked),
  };
}

const WHAT: Record<Category, string> = {
  Read: 'retrieves, lists or inspects without changing anything',
  Write: 'creates or changes state in a bounded, reversible way',
  Destructive: 'can delete, overwrite or otherwise lose data or state',
  Execute: 'runs code, commands, queries or a browser with your authority',
};

const DO: Record<Decision, string> = {
  allow: 'allow it',
  'rate-limit': 'allow it with a rate limit of 30 calls a minute',
  approve: 'have a person approve each call',
  deny: 'deny it (hide it from the agent) unless you opt in',
};

/** Questions people ask about a tool, answered from its verdict in our own words. */
export function faqOf(
  tool: { name: string; serverName: string; verdict: Verdict | null; decision: Decision },
  changes: ChangeView[],
): Faq[] {
  const v = tool.verdict;
  const faq: Faq[] = [];
  if (!v) {
    faq.push({
      question: `Is ${tool.name} safe to let an agent call?`,
      answer:
        'It has not been classified yet, so the recommended policy asks a person to approve every call.',
    });
    return faq;
  }
  faq.push({
    question: `Is ${tool.name} safe to let an agent call?`,
    answer: `The catalogue rates it ${v.risk} risk: it ${WHAT[v.category]}. The recommendation is to ${DO[tool.decision]}.`,
  });
  faq.push({ question: `Why is it ${v.category} at ${v.risk} risk?`, answer: v.rationale });
  const contradictions = v.contradictions ?? [];
  faq.push({
    question: "Do the server's own annotations agree?",
    answer:
      contradictions.length === 0
        ? 'No contradiction was found between what the server declares and what the catalogue infers.'
        : `No: ${contradictions.length} declared hint${contradictions.length === 1 ? '' : 's'} disagree${contradictions.length === 1 ? 's' : ''} with the definition. Annotations are the author's hints; the catalogue does not trust them.`,
  });
  const warnings = (v.flags ?? []).filter((f) => f.kind !== 'truncated');
  if (warnings.length > 0) {
    faq.push({
      question: 'Is there anything suspicious in its definition?',
      answer: `Yes: ${[...new Set(warnings.map((f) => f.kind))].join(', ')}. Read the flags below before granting it.`,
    });
  }
  if ((v.actions ?? []).length > 0) {
    const worst = [...v.actions].sort((a, b) => riskRank(b.risk) - riskRank(a.risk))[0]!;
    faq.push({
      question: 'Does it do different things depending on its arguments?',
      answer: `Yes: ${v.actions.length} actions are judged separately; the riskiest is ${worst.param} = ${worst.value} (${worst.category}, ${worst.risk}).`,
    });
  }
  const rugPulls = changes.filter((c) => c.rugPull).length;
  faq.push({
    question: 'Has it changed since it was first seen?',
    answer:
      changes.length === 0
        ? 'No change has been recorded.'
        : `${changes.length} change${changes.length === 1 ? ' was' : 's were'} recorded${rugPulls ? `, ${rugPulls} of them making it more dangerous` : ''}.`,
  });
  return faq;
}

const riskRank = (r: Risk): number => ['low', 'medium', 'high', 'critical'].indexOf(r);
