/**
 * Job results in S3 (the exports bucket, CARELOOP_EXPORTS_BUCKET), fetched by a presigned GET
 * that expires. Objects are encrypted at rest by the bucket and expire by its lifecycle rule
 * (infra/aws/constructs/exports.ts).
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ports } from '../ports.js';
import type { FileStore } from './ports.js';

export const EXPORTS_BUCKET_ENV = 'CARELOOP_EXPORTS_BUCKET';

export function s3FileStore(bucket = process.env[EXPORTS_BUCKET_ENV]): FileStore {
  const client = new S3Client({});
  const name = () => {
    if (!bucket) throw new Error(`${EXPORTS_BUCKET_ENV} is not set`);
    return bucket;
  };
  return {
    async put(key, body, contentType, fileName) {
      await client.send(
        new PutObjectCommand({
          Bucket: name(),
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentDisposition: `attachment; filename="${fileName}"`,
        }),
      );
    },
    async link(key, expiresInSeconds) {
      const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: name(), Key: key }), {
        expiresIn: expiresInSeconds,
      });
      return { url, expiresAt: new Date(ports().clock.now().getTime() + expiresInSeconds * 1000).toISOString() };
    },
  };
}
