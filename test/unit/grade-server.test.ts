import { describe, expect, it } from 'vitest';
import { GRADE_MEANING, gradeServer, type GradeInput } from '../../classifier/grade.ts';
import type { Contradiction, Verdict } from '../../data/model.ts';

const verdict = (
  category: Verdict['category'],
  risk: Verdict['risk'],
  extra: { flags?: string[]; contradictions?: Contradiction[] } = {},
): Verdict => ({
  category,
  risk,
  confidence: 0.9,
  rationale: 'r',
  evidence: [],
  inferredAnnotations: {
    readOnlyHint: category === 'Read',
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
  contradictions: extra.contradictions ?? [],
  actions: [],
  flags: (extra.flags ?? []).map((kind) => ({ kind, message: kind })),
  tags: [],
  classifier: { name: 'rules', version: 't' },
});
const tool = (name: string, v: Verdict | null): GradeInput => ({ name, verdict: v });
const reads = (n: number): GradeInput[] =>
  Array.from({ length: n }, (_, i) => tool(`get_${i}`, verdict('Read', 'low')));
const claimsReadOnly: Contradiction = { hint: 'readOnlyHint', declared: true, inferred: false, message: 'm' };
const idempotentMismatch: Contradiction = {
  hint: 'idempotentHint',
  declared: true,
  inferred: false,
  message: 'm',
};

describe('gradeServer bands', () => {
  it('gives A to a server of low-risk reads and medium writes, and says why', () => {
    const g = gradeServer([...reads(3), tool('set_track_monitoring', verdict('Write', 'medium'))]);
    expect(g).toEqual({
      grade: 'A',
      score: 100,
      reasons: [
        'All 4 tools are classified; none is high or critical risk, carries a warning flag or contradicts its author’s annotations.',
      ],
    });
  });

  it('gives A to a server without tools', () => {
    expect(gradeServer([])).toMatchObject({
      grade: 'A',
      reasons: [expect.stringContaining('lists no tools')],
    });
  });

  it('gives B to a server with several high-risk tools', () => {
    const g = gradeServer([
      ...reads(2),
      ...['create_issue', 'delete_branch', 'merge_pr', 'post_comment', 'delete_repo', 'add_member'].map((n) =>
        tool(n, verdict(n.startsWith('delete') ? 'Destructive' : 'Write', 'high')),
      ),
    ]);
    expect(g.score).toBe(85);
    expect(g.grade).toBe('B');
    expect(g.reasons).toEqual([
      '6 tools carry high risk: destructive actions, changes others see, or external side effects (create_issue, delete_branch, merge_pr and 3 more).',
    ]);
  });

  it('caps a server with a critical tool at C', () => {
    const g = gradeServer([...reads(5), tool('run_command', verdict('Execute', 'critical'))]);
    expect(g.score).toBe(85);
    expect(g.grade).toBe('C');
    expect(g.reasons).toEqual([
      '1 tool carries critical risk: one call can run code on the host, move money irreversibly or wipe a datastore (run_command).',
      'Graded no higher than C because the server has a critical-risk tool.',
    ]);
  });

  it('gives D by score to many critical and Execute tools', () => {
    const g = gradeServer([
      ...['run', 'exec', 'eval', 'sh'].map((n) => tool(n, verdict('Execute', 'critical'))),
      tool('navigate', verdict('Execute', 'high')),
    ]);
    expect(g.score).toBe(100 - 45 - 8);
    expect(g.grade).toBe('D');
    expect(g.reasons[1]).toBe(
      '1 tool runs commands, scripts or queries, or drives a browser or process with the user’s authority (navigate).',
    );
  });

  it('caps one poisoned tool at D and gives F to two', () => {
    const one = gradeServer([
      ...reads(3),
      tool('add', verdict('Write', 'medium', { flags: ['model-instructions'] })),
    ]);
    expect(one).toMatchObject({ grade: 'D', score: 70 });
    expect(one.reasons).toEqual([
      '1 tool has a definition with tool-poisoning signs, such as instructions aimed at the model or hidden text (add).',
      'Graded no higher than D because a tool shows signs of tool poisoning.',
    ]);
    const two = gradeServer([
      tool('add', verdict('Write', 'medium', { flags: ['shadowing'] })),
      tool('sum', verdict('Read', 'low', { flags: ['invisible-unicode', 'truncated'] })),
    ]);
    expect(two).toMatchObject({ grade: 'F', score: 40 });
    expect(two.reasons.at(-1)).toBe('Graded F because more than one tool shows signs of tool poisoning.');
  });

  it('gives F by score when everything goes wrong', () => {
    const g = gradeServer(
      [
        tool(
          'run',
          verdict('Execute', 'critical', { flags: ['model-instructions'], contradictions: [claimsReadOnly] }),
        ),
        tool('exec', verdict('Execute', 'critical', { contradictions: [claimsReadOnly] })),
      ],
      { rugPulls: 1 },
    );
    expect(g.score).toBe(100 - 30 - 30 - 15 - 20);
    expect(g.grade).toBe('F');
  });
});

describe('gradeServer reasons', () => {
  it('names annotations that claim a tool is safer than it is', () => {
    const g = gradeServer([
      ...reads(2),
      tool('wipe', verdict('Destructive', 'medium', { contradictions: [claimsReadOnly] })),
    ]);
    expect(g).toMatchObject({ grade: 'A', score: 90 });
    expect(g.reasons).toEqual([
      '1 tool is declared safer by the author than it is (read-only or non-destructive annotations that the definition contradicts) (wipe).',
    ]);
  });

  it('names milder contradictions separately', () => {
    const g = gradeServer([
      tool('set', verdict('Write', 'medium', { contradictions: [idempotentMismatch] })),
    ]);
    expect(g.score).toBe(98);
    expect(g.reasons).toEqual(['1 tool has annotations that disagree with what the definition shows (set).']);
  });

  it('counts weaker and unknown warning flags, but not our own processing flags', () => {
    const g = gradeServer([
      tool('a', verdict('Read', 'low', { flags: ['encoded-payload'] })),
      tool('b', verdict('Read', 'low', { flags: ['some-new-kind'] })),
      tool('c', verdict('Read', 'low', { flags: ['truncated', 'judge-disagrees'] })),
    ]);
    expect(g.score).toBe(90);
    expect(g.reasons).toEqual([
      '2 tools carry other warning flags, such as encoded payloads or overlong descriptions (a, b).',
    ]);
  });

  it('counts tools without verdicts and caps at C when most are unknown', () => {
    const few = gradeServer([...reads(3), tool('mystery', null)]);
    expect(few).toMatchObject({ grade: 'A', score: 95 });
    expect(few.reasons).toEqual(['1 tool could not be classified, so its risk is unknown (mystery).']);
    const most = gradeServer([tool('a', null), tool('b', null), tool('c', verdict('Read', 'low'))]);
    expect(most).toMatchObject({ grade: 'C', score: 90 });
    expect(most.reasons.at(-1)).toBe(
      'Graded no higher than C because most of its tools could not be classified.',
    );
  });

  it('flags Execute tools without annotations only when annotations were passed', () => {
    const exec = verdict('Execute', 'high');
    expect(gradeServer([{ name: 'navigate', verdict: exec }]).score).toBe(92);
    const g = gradeServer([
      { name: 'navigate', verdict: exec, annotations: undefined },
      { name: 'click', verdict: exec, annotations: { openWorldHint: true } },
    ]);
    expect(g.score).toBe(100 - 16 - 5);
    expect(g.reasons).toContain(
      '1 tool that executes code or commands declares no annotations, so a client gets no warning from the author (navigate).',
    );
  });

  it('counts risk that rose after publication', () => {
    const g = gradeServer(reads(2), { rugPulls: 2 });
    expect(g).toMatchObject({ grade: 'C', score: 70 });
    expect(g.reasons).toEqual([
      '2 changes to its tools raised the risk after it was published, so an approval given earlier may no longer fit.',
    ]);
  });
});

describe('GRADE_MEANING', () => {
  it('has a legend line for every grade', () => {
    expect(Object.keys(GRADE_MEANING)).toEqual(['A', 'B', 'C', 'D', 'F']);
  });
});
