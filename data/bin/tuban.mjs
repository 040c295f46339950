#!/usr/bin/env node
// Installed `tuban` command: runs the TypeScript CLI through tsx, as the npm scripts do.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/tuban.ts');
