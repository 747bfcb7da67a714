/**
 * The bucket export jobs write their files to (functions/reports: a month's CSV with every row),
 * fetched by presigned GETs that expire in minutes (shared/jobs/s3.ts). Private (all public access
 * blocked), encrypted at rest, TLS only, and every file expires after EXPORT_RETENTION_DAYS. The
 * job's function may put and get files under `exports/`; functions that only hand out links may
 * only get them (a presigned URL carries the signer's rights). Every request to the bucket (each
 * download of an export) is written to a second bucket's server access logs, kept a year.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EXPORT_RETENTION_DAYS } from '../../../shared/jobs/declarations.js';
import { EXPORTS_BUCKET_ENV } from '../../../shared/jobs/s3.js';
import type { CareLoopFunction } from './lambda.js';

export const EXPORTS_PREFIX = 'exports/';
/** How long the record of each export download is kept. */
export const ACCESS_LOG_RETENTION_DAYS = 365;
const ACCESS_LOG_PREFIX = 'exports-bucket/';

export class ExportFiles extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: { writers: CareLoopFunction[]; readers: CareLoopFunction[] }) {
    super(scope, id);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'AccessLogsExpire', expiration: Duration.days(ACCESS_LOG_RETENTION_DAYS) }],
      // Evidence of who downloaded personal data: kept when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the exports bucket server access logs; logging the log bucket itself would need a third bucket and would record only S3 log delivery and the operators who read the logs, which CloudTrail already records.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'ExportsExpire', prefix: EXPORTS_PREFIX, expiration: Duration.days(EXPORT_RETENTION_DAYS) },
        { id: 'UploadsAbandoned', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Only expiring exports (re-made on request): nothing to keep. Deleting the stack fails while files remain; they expire within the retention.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Log delivery by bucket policy (ACLs stay disabled): S3's logging service, for this bucket and account only.
    (this.bucket.node.defaultChild as CfnBucket).loggingConfiguration = {
      destinationBucketName: this.accessLogs.bucketName,
      logFilePrefix: ACCESS_LOG_PREFIX,
    };
    this.accessLogs.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogs.arnForObjects(`${ACCESS_LOG_PREFIX}*`)],
        conditions: {
          ArnLike: { 'aws:SourceArn': this.bucket.bucketArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
    const objects = this.bucket.arnForObjects(`${EXPORTS_PREFIX}*`);
    for (const fn of props.writers)
      fn.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [objects] }),
      );
    for (const fn of props.readers.filter((f) => !props.writers.includes(f)))
      fn.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }),
      );
    const arn = Stack.of(this).resolve(this.bucket.bucketArn) as { 'Fn::GetAtt': [string, string] };
    for (const fn of new Set([...props.writers, ...props.readers])) {
      fn.addEnvironment(EXPORTS_BUCKET_ENV, this.bucket.bucketName);
      fn.acknowledgeGrant(
        `AwsSolutions-IAM5[Resource::<${arn['Fn::GetAtt'][0]}.Arn>/${EXPORTS_PREFIX}*]`,
        `Export files are named per job (${EXPORTS_PREFIX}<period>/<job id>.csv), so the grant covers the ${EXPORTS_PREFIX} prefix of the exports bucket and nothing else: no other prefix, no other bucket, no list or delete.`,
      );
    }
  }
}
