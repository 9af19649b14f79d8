/**
 * zod for lectern's schemas: the tree-shakable `zod/mini` build (~9 KB zipped in a function
 * instead of ~95 KB for the classic build, which carries every method of every schema type),
 * with zod's English messages — the ones the classic build installs by default, and the ones our
 * reasons quote (`issue.message`). Import it as `import * as z from '../util/zod.js'`, never from 'zod'
 * directly; a namespace import keeps it tree-shakable (re-exporting the namespace object would
 * pull in every locale and schema type).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
