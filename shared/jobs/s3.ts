/**
 * Job results in S3 (the exports bucket, CARELOOP_EXPORTS_BUCKET), fetched by a presigned GET
 * that expires. Objects are encrypted at rest by the bucket and expire by its lifecycle rule
 * (infra/aws/constructs/exports.ts).
 *
 * The S3 client and the presigner load on the first file, not when the function starts: the
 * report functions that install this store (their monthly job included) mostly never export, and
 * the two packages cost more to import than the whole of a small function (issue 26).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ports } from '../ports.js';
import type { FileStore } from './ports.js';

export const EXPORTS_BUCKET_ENV = 'CARELOOP_EXPORTS_BUCKET';

interface S3 {
  client: S3Client;
  sdk: typeof import('@aws-sdk/client-s3');
  getSignedUrl: typeof import('@aws-sdk/s3-request-presigner')['getSignedUrl'];
}

export function s3FileStore(bucket = process.env[EXPORTS_BUCKET_ENV]): FileStore {
  let loading: Promise<S3> | undefined;
  const s3 = () => {
    loading ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]).then(
      ([sdk, presigner]) => ({ client: new sdk.S3Client({}), sdk, getSignedUrl: presigner.getSignedUrl }),
      (error: unknown) => {
        loading = undefined; // the next file tries again
        throw error;
      },
    );
    return loading;
  };
  const name = () => {
    if (!bucket) throw new Error(`${EXPORTS_BUCKET_ENV} is not set`);
    return bucket;
  };
  return {
    async put(key, body, contentType, fileName) {
      const { client, sdk } = await s3();
      await client.send(
        new sdk.PutObjectCommand({
          Bucket: name(),
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentDisposition: `attachment; filename="${fileName}"`,
        }),
      );
    },
    async link(key, expiresInSeconds) {
      const { client, sdk, getSignedUrl } = await s3();
      const url = await getSignedUrl(client, new sdk.GetObjectCommand({ Bucket: name(), Key: key }), {
        expiresIn: expiresInSeconds,
      });
      return { url, expiresAt: new Date(ports().clock.now().getTime() + expiresInSeconds * 1000).toISOString() };
    },
  };
}
