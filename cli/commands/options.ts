// Options shared by several commands.
import { Option, type Command } from 'commander';
import { RISKS, type Risk } from '../../data/model.ts';

export interface FailOnOptions {
  failOn?: Risk;
}

/** `--fail-on <risk>`: exit 1 when any tool is at or above that risk (for CI). */
export function failOnOption(command: Command): Command {
  return command.addOption(
    new Option('--fail-on <risk>', 'exit with code 1 if any tool is at or above this risk').choices(RISKS),
  );
}

export function dbOption(command: Command): Command {
  return command.option('--db <file>', 'catalogue database (default: $MCP_CATALOG_DB or data/catalog.db)');
}
