/**
 * Bundled in place of `@aws-sdk/credential-provider-node` (an esbuild alias in serverless.yml):
 * Lambda always hands a function its role's credentials in environment variables, so the SDK's
 * default chain (SSO, INI files, process, web identity, IMDS — with the nested STS/SSO clients it
 * brings) is dead weight in a function bundle.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (_init?: unknown) => fromEnv();
export const credentialsTreatedAsExpired = () => false;
export const credentialsWillNeedRefresh = () => false;
