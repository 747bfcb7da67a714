/**
 * What the survey functions need beyond their route: the key that signs survey links (an SSM
 * SecureString, created out of band because CloudFormation cannot create SecureStrings), the
 * base address the links point to (the API's own URL unless a custom domain is configured). (The form route's write access, for recording when the form was
 * first opened, comes from `writesData` on its route declaration.)
 *
 * Create the key once per stage before the first deploy, e.g.:
 *   aws ssm put-parameter --type SecureString --name /careloop/dev/survey-signing-key \
 *     --value "$(openssl rand -base64 48)"
 * To rotate, put "<new>,<old>" (the first signs, both verify) and drop the old one after the
 * longest link validity (settings.surveys.linkValidDays).
 */
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PUBLIC_BASE_URL_ENV } from '../../../shared/links.js';
import type { CareLoopFunction } from './lambda.js';

export interface SurveyLinksProps {
  stage: string;
  /** The functions of the surveys capability. */
  functions: CareLoopFunction[];
  /** The base of links in messages (`<base>/s/<token>`): the configured one or the API's own URL. */
  publicBaseUrl: string;
}

export const signingKeyParameterName = (stage: string) => `/careloop/${stage}/survey-signing-key`;

/**
 * Lets functions read the deployment's secret key (the same SecureString): list cursors are sealed
 * with a key derived from it under their own label (shared/store/paging.ts), so every function that
 * pages through a list, for a caller or in a job, reads it. Read only; nothing else of SSM.
 */
export class SecretKeyReaders extends Construct {
  constructor(scope: Construct, id: string, props: { stage: string; functions: CareLoopFunction[] }) {
    super(scope, id);
    const name = signingKeyParameterName(props.stage);
    const key = StringParameter.fromSecureStringParameterAttributes(this, 'SigningKey', { parameterName: name });
    for (const fn of props.functions) {
      key.grantRead(fn);
      fn.addEnvironment('CARELOOP_SURVEY_SIGNING_KEY_PARAMETER', name);
    }
  }
}

export class SurveyLinks extends Construct {
  constructor(scope: Construct, id: string, props: SurveyLinksProps) {
    super(scope, id);
    const name = signingKeyParameterName(props.stage);
    const signingKey = StringParameter.fromSecureStringParameterAttributes(this, 'SigningKey', { parameterName: name });
    for (const fn of props.functions) {
      signingKey.grantRead(fn);
      fn.addEnvironment('CARELOOP_SURVEY_SIGNING_KEY_PARAMETER', name);
      fn.addEnvironment(PUBLIC_BASE_URL_ENV, props.publicBaseUrl);
    }
  }
}
