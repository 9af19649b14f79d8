import { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../adapters/s3-object-store.js';
import { lambdaConfig, once, required } from './environment.js';

const client = once(() => new S3Client({}));
export const uploadsStore = once(() => new S3ObjectStore(client(), required(lambdaConfig().uploadBucket, 'UPLOAD_BUCKET')));
export const publishedStore = once(() => new S3ObjectStore(client(), required(lambdaConfig().publishedBucket, 'PUBLISHED_BUCKET')));
