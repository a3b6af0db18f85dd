#!/usr/bin/env node
// The `mcp-catalog` command. The sources are TypeScript; tsx compiles them on the fly so the checkout
// needs no build step after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
