import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** WhatsApp media live under this prefix; photos and knowledge-base documents under their own (written by later issues' handlers). */
const MEDIA_PREFIX = 'media/';

export interface StorageProps {
  readonly removalPolicy: RemovalPolicy;
}

/** One private bucket for aspirants' photos, WhatsApp media and knowledge-base documents, and its access log. */
export class Storage extends Construct {
  readonly files: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: props.removalPolicy,
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket; logging it into itself would log its own log deliveries endlessly.',
    });

    this.files = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'files/',
      lifecycleRules: [
        {
          id: 'media-to-glacier',
          prefix: MEDIA_PREFIX,
          // Instant Retrieval keeps old conversation media viewable through presigned GETs; Flexible Retrieval would need a restore first.
          transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }],
        },
        {
          id: 'expire-replaced-versions',
          // Versions protect against mistakes, not forever: an erasure request must really erase within a month.
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: props.removalPolicy,
    });
  }
}
