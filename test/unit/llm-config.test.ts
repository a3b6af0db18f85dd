import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../data/config.ts';
import { judgeFromConfig, PROMPT_VERSION } from '../../classifier/llm/index.ts';

describe('judgeFromConfig', () => {
  it('is off unless both the base URL and the model are configured', () => {
    expect(judgeFromConfig(loadConfig({}))).toBeUndefined();
    expect(
      judgeFromConfig(loadConfig({ MCP_CATALOG_LLM_BASE_URL: 'http://127.0.0.1:9/v1' })),
    ).toBeUndefined();
    expect(judgeFromConfig(loadConfig({ MCP_CATALOG_LLM_MODEL: 'm' }))).toBeUndefined();
  });

  it('builds a judge for the configured model', () => {
    const judge = judgeFromConfig(
      loadConfig({ MCP_CATALOG_LLM_BASE_URL: 'http://127.0.0.1:9/v1', MCP_CATALOG_LLM_MODEL: 'small-model' }),
    );
    expect(judge).toMatchObject({ model: 'small-model', promptVersion: PROMPT_VERSION });
  });
});
