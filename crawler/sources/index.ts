// The discovery sources by name, for `crawl --source <name>`: each is an async iterator of ServerRefs with
// its own options (base URLs, files, clients), and all pass test/integration/sources-contract.test.ts.
export { discoverRegistry, readEntry, REGISTRY_SOURCE, type RegistryOptions } from './registry.ts';
export { discoverSeed, seedRecordToRefs, SEED_SOURCE, type SeedOptions, type SeedKind } from './seed.ts';
export { discoverMarkdown, MARKDOWN_SOURCE, type MarkdownOptions } from './markdown.ts';
export {
  discoverGitHubSearch,
  DEFAULT_CODE_QUERIES,
  DEFAULT_REPO_QUERIES,
  GITHUB_SEARCH_SOURCE,
  type GitHubSearchOptions,
} from './github-search.ts';
export { discoverNpm, NPM_SOURCE, type NpmSourceOptions } from './npm.ts';
export { discoverPypi, PYPI_SOURCE, type PypiSourceOptions } from './pypi.ts';
export { parseGitHubTarget, parseGitHubUrl } from './github-url.ts';
export { SourceError, type DiscoverOptions, type Source } from './source.ts';
