// The product card's two seed tools: both Write/medium, with rationales that name their evidence.
import { describe, expect, it } from 'vitest';
import { CLASSIFIER, classifyTool } from '../../classifier/index.ts';
import { VerdictSchema } from '../../data/model.ts';
import { setTrackMonitoring, trackFxMove } from '../fixtures/classifier/tools.ts';

describe('seed tools', () => {
  it('set_track_monitoring is Write, medium, and its rationale quotes "set" and its parameters', () => {
    const v = classifyTool(setTrackMonitoring);
    expect(v.category).toBe('Write');
    expect(v.risk).toBe('medium');
    expect(v.rationale).toContain('"set"');
    expect(v.rationale).toContain('track_index');
    expect(v.rationale).toContain('monitoring');
    expect(v.evidence.some((e) => e.signal === 'name' && e.excerpt === 'set' && e.suggests === 'Write')).toBe(
      true,
    );
    expect(v.inferredAnnotations).toMatchObject({ readOnlyHint: false, idempotentHint: true });
    expect(v.actions).toEqual([]);
  });

  it('track_fx_move is Write, medium; "move" is the evidence and the declared hints agree', () => {
    const v = classifyTool(trackFxMove);
    expect(v.category).toBe('Write');
    expect(v.risk).toBe('medium');
    expect(v.rationale).toContain('"move"');
    expect(v.rationale).toMatch(/Move an FX plugin/);
    expect(v.inferredAnnotations.readOnlyHint).toBe(false);
    expect(v.inferredAnnotations.idempotentHint).toBe(true);
    expect(v.contradictions.filter((c) => c.hint === 'readOnlyHint' || c.hint === 'idempotentHint')).toEqual(
      [],
    );
  });

  it('rationales are 2–4 sentences and verdicts satisfy the shared zod schema', () => {
    for (const t of [setTrackMonitoring, trackFxMove]) {
      const v = classifyTool(t);
      expect(VerdictSchema.parse(v)).toBeTruthy();
      const sentences = v.rationale.split(/(?<=\.)\s+(?=[A-Z])/);
      expect(sentences.length).toBeGreaterThanOrEqual(2);
      expect(sentences.length).toBeLessThanOrEqual(4);
      expect(v.classifier).toEqual(CLASSIFIER);
      expect(CLASSIFIER.version).not.toBe('0.1.0');
    }
  });
});
