// Shared inputs for the policy tests: one tool per category, a few risks, one without a verdict, and
// tool names chosen to break naive escaping in every format.
import type { Category, Risk } from '../../../data/model.ts';

export interface FixtureTool {
  name: string;
  verdict: { category: Category; risk: Risk } | null;
}

export const SERVER = { id: 'npm/@example/reaper-mcp', name: 'reaper' };

export const READ: FixtureTool = { name: 'get_track', verdict: { category: 'Read', risk: 'low' } };
export const WRITE: FixtureTool = {
  name: 'set_track_monitoring',
  verdict: { category: 'Write', risk: 'medium' },
};
export const EXECUTE: FixtureTool = {
  name: 'run_command',
  verdict: { category: 'Execute', risk: 'critical' },
};
export const DESTRUCTIVE: FixtureTool = {
  name: 'delete_track',
  verdict: { category: 'Destructive', risk: 'high' },
};
export const UNCLASSIFIED: FixtureTool = { name: 'mystery_tool', verdict: null };

/** A whole server, deliberately out of order: the policy sorts it. */
export const MIXED: FixtureTool[] = [
  WRITE,
  { name: 'track_fx_move', verdict: { category: 'Write', risk: 'medium' } },
  DESTRUCTIVE,
  READ,
  { name: 'list_tracks', verdict: { category: 'Read', risk: 'low' } },
  { name: 'read_secret', verdict: { category: 'Read', risk: 'high' } },
  EXECUTE,
  { name: 'execute_sql', verdict: { category: 'Execute', risk: 'high' } },
  { name: 'drop_project', verdict: { category: 'Destructive', risk: 'critical' } },
  UNCLASSIFIED,
];

/** Names a hostile or careless server might serve; each must stay a valid, exact name in every format. */
export const HOSTILE_NAMES = [
  'say "hi"',
  'back\\slash',
  'new\nline',
  'cr\rtab\t',
  '</script><script>alert(1)</script>',
  'ünïcødé_名前',
  'emoji_🔥',
  'rtl\u202Eoverride',
  'zero\u200Bwidth',
  'nul\u0000byte',
  'lone\uD800surrogate',
  "it's",
  '__proto__',
  'constructor',
  '*',
  'a: b # not a comment',
  '- dash',
  'yes',
  '',
  '   ',
];

const CATEGORIES: Category[] = ['Read', 'Write', 'Execute', 'Destructive'];

/** Hostile names spread over all categories so each decision is exercised. */
export const HOSTILE: FixtureTool[] = HOSTILE_NAMES.map((name, i) => ({
  name,
  verdict: { category: CATEGORIES[i % CATEGORIES.length]!, risk: 'high' },
}));
