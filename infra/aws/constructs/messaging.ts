/**
 * Messaging beyond SES and SNS: the WeChat Official Account's credentials, kept in AWS Secrets
 * Manager and readable only by the functions that send customer messages.
 *
 * The stack creates the secret as `{"appId":"","secret":"<random>"}`: with no app id the WeChat
 * adapter reports the channel as not set up (shared/notify/wechat.ts, `wechat_not_configured`) and
 * every customer message falls back to the next channel of `messaging.channelOrder`. Once the
 * Official Account exists, put its credentials (never in the template, never in a log):
 *   aws secretsmanager put-secret-value --secret-id <WechatSecretArn output> \
 *     --secret-string '{"appId":"wx…","secret":"…"}'
 * A function reads the value once per cold start, so a new value reaches every function within
 * the life of its warm containers (update the functions' configuration to force it sooner).
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { WECHAT_SECRET_ENV } from '../../../shared/notify/wechat.js';
import type { CareLoopFunction } from './lambda.js';

export class WechatCredentials extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: { stage: string }) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: `CareLoop (${props.stage}): the WeChat Official Account's {"appId","secret"}, read by the functions that message customers`,
      // No plaintext in the template: a random placeholder secret and no app id (the channel counts as not set up).
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ appId: '' }),
        generateStringKey: 'secret',
        excludePunctuation: true,
      },
      // The credentials are WeChat's, re-issued in its console; a stack torn down takes its copy with it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The secret holds the WeChat Official Account AppSecret, which only WeChat issues (reset in the Official Account console, mp.weixin.qq.com); Secrets Manager cannot rotate it by itself, so an operator puts the new value with put-secret-value when it is reset.',
    });
  }

  /** Lets the functions read the credentials (GetSecretValue on this secret only) and names it in their environment. */
  allowRead(functions: CareLoopFunction[]): void {
    for (const fn of functions) {
      fn.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }),
      );
      fn.addEnvironment(WECHAT_SECRET_ENV, this.secret.secretArn);
    }
  }
}
