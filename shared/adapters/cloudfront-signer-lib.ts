/**
 * `@aws-sdk/cloudfront-signer`, re-exported from an ES module of ours so that it can be imported
 * on demand (`cloudfront-cookie-signer.ts`): a bundler splitting a CommonJS package into its own
 * chunk exposes only its default export to a dynamic import, while a static import here keeps the
 * named ones.
 */
export { getSignedCookies } from '@aws-sdk/cloudfront-signer';
