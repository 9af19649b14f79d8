/**
 * `node:http`, loaded through require. An ES `import` of it makes Node build the module's ES
 * facade, which reads every export once — among them the lazy fetch classes (`WebSocket`,
 * `EventSource`…), and so loads Node's bundled undici: ~60 ms of CPU at the start of every
 * `lectern` command that opens a state folder (its local API listens on 127.0.0.1).
 */
import { createRequire } from 'node:module';

export const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');
