/**
 * `POST /grants {course, ttlSeconds, ipRange?, subject?}` on a Lambda function URL with AWS_IAM
 * auth: the platform's backend (which knows enrolments) signs the request with its IAM role; the
 * answer is the three CloudFront cookies as `Set-Cookie` values (docs/access.md). Every grant is
 * logged with the course, the caller's IAM ARN and the opaque subject, if one was passed.
 */
import type { LambdaFunctionURLEventWithIAMAuthorizer as LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { ValidationError } from '../../shared/contract/errors.js';
import { handlerFactory } from '../../shared/runtime/lambda.js';
import { logger } from '../../shared/runtime/logger.js';
import { grantAccess, type GrantAccessDeps } from '../../shared/use-cases/grant-access.js';

const json = (statusCode: number, body: unknown): LambdaFunctionURLResult => ({ statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) });

export async function answerGrantRequest(event: LambdaFunctionURLEvent, deps: GrantAccessDeps): Promise<LambdaFunctionURLResult> {
  const { method, path } = event.requestContext.http;
  if (path.replace(/\/+$/, '') !== '/grants') return json(404, { error: `No such resource ${path}: POST /grants.` });
  if (method !== 'POST') return json(405, { error: `${method} /grants is not allowed: POST /grants {"course", "ttlSeconds"}.` });
  const caller = event.requestContext.authorizer?.iam?.userArn ?? 'unknown';
  let request: Record<string, unknown>;
  try {
    const body = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
    request = JSON.parse(body) as Record<string, unknown>;
    if (request === null || typeof request !== 'object' || Array.isArray(request)) throw new SyntaxError('not an object');
  } catch {
    return json(400, { error: 'The body must be a JSON object: {"course": "bio-101", "ttlSeconds": 7200}.' });
  }
  try {
    const grant = await grantAccess(request, deps);
    logger.info('access granted', { course: grant.course, caller, subject: grant.subject, ttlSeconds: grant.ttlSeconds, expiresAt: grant.expiresAt });
    return json(200, grant);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    logger.warn('grant refused', { caller, reason: error.message });
    return json(400, { error: error.message, code: error.code });
  }
}

export const createHandler = handlerFactory(answerGrantRequest);
