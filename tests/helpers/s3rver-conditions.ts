/**
 * S3's conditional PutObject — `If-Match: "<etag>"`, `If-None-Match: *` — for s3rver, which ignores
 * both and stores the object. Put in front of s3rver's own routes, it checks the condition against
 * the stored object's ETag, one conditional write per key at a time (S3 evaluates and writes
 * atomically), and answers a failed condition with S3's 412 PreconditionFailed. The S3 adapter then
 * sees over HTTP what it would see from S3, so the object-store contract's conditional cases run
 * against it as they do against the filesystem twin.
 */
interface KoaContext {
  method: string;
  path: string;
  status: number;
  type: string;
  body: unknown;
  get(header: string): string;
}
type Middleware = (ctx: KoaContext, next: () => Promise<unknown>) => Promise<unknown>;

export interface S3rverServer {
  middleware: Middleware[];
  store: { getMetadata(bucket: string, key: string): Promise<{ etag: string }> };
}

const PRECONDITION_FAILED = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>`;

export function honourConditionalWrites(server: S3rverServer): void {
  const tails = new Map<string, Promise<unknown>>();
  const currentEtag = (bucket: string, key: string): Promise<string | undefined> =>
    server.store.getMetadata(bucket, key).then(
      (metadata) => metadata.etag.replace(/"/g, ''),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
  const conditionalPut: Middleware = async (ctx, next) => {
    const ifMatch = ctx.get('if-match').replace(/"/g, '');
    const ifNoneMatch = ctx.get('if-none-match');
    if (ctx.method !== 'PUT' || (!ifMatch && !ifNoneMatch)) return next();
    const [bucket = '', ...rest] = ctx.path.replace(/^\//, '').split('/');
    const key = decodeURIComponent(rest.join('/'));
    const evaluate = async () => {
      const current = await currentEtag(bucket, key);
      if ((ifNoneMatch === '*' && current !== undefined) || (ifMatch && ifMatch !== current)) {
        ctx.status = 412;
        ctx.type = 'application/xml';
        ctx.body = PRECONDITION_FAILED;
        return;
      }
      await next();
    };
    const id = `${bucket}/${key}`;
    const mine = (tails.get(id) ?? Promise.resolve()).then(evaluate, evaluate);
    tails.set(id, mine.catch(() => undefined));
    await mine;
  };
  server.middleware.unshift(conditionalPut);
}
