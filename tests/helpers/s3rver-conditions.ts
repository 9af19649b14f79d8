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
  headers: Record<string, string | string[] | undefined>;
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

/**
 * S3 reads `x-amz-copy-source` as a URL-encoded path: `%2B` is a `+` in the key. s3rver decodes it
 * with `decodeURI`, which leaves `%2B` (and the other reserved characters) encoded, so a key with a
 * `+` is "not found". In front of it, the header is decoded as S3 does and re-encoded so that
 * s3rver's `decodeURI` gives back the very key.
 */
export function decodeCopySourceAsS3Does(server: S3rverServer): void {
  server.middleware.unshift(async (ctx, next) => {
    const source = ctx.headers['x-amz-copy-source'];
    if (typeof source === 'string') ctx.headers['x-amz-copy-source'] = encodeURI(source.split('/').map(decodeURIComponent).join('/'));
    return next();
  });
}
