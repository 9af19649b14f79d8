/** An S3 client for an s3rver on 127.0.0.1:`port`: path-style, s3rver's fixed credentials, and no CRC checksums by default (s3rver predates them). */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

export function s3rverClient(port: number, options: S3ClientConfig = {}): S3Client {
  return new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...options,
  });
}
