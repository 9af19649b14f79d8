/**
 * zod for lectern's schemas: the tree-shakable `zod/mini` build (~9 KB zipped in a function
 * instead of ~95 KB for the classic build, which carries every method of every schema type),
 * with zod's English messages — the ones the classic build installs by default, and the ones our
 * reasons quote (`issue.message`). Import `z` from here, never from 'zod' directly.
 */
import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';

z.config(en());

export { z };
