/**
 * Keeps link tokens out of X-Ray. API Gateway records each traced request's full URL, and survey
 * and confirmation links carry their token in the path (`/surveys/{token}`, …). A sampling rule per
 * token route, ahead of the default rule, samples none of them: those requests are never traced
 * (their metrics and the functions' masked logs remain). Derived from the route declarations, so a
 * new token route is covered without touching this file. Each rule matches this API's stage only
 * (its service name and ARN): a rule on `*` would stop tracing every API of the account whose
 * paths look alike.
 */
import { Aws } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import type { RouteDeclaration } from '../../../shared/http/routes/route.js';

/** A path parameter that holds a token (survey links, confirmation links). */
const TOKEN_PARAMETER = /\{[^}]*token[^}]*\}/i;

/** The X-Ray URL-path pattern of every route whose path carries a token, e.g. `* /surveys/*`. */
export function tokenPathPatterns(routes: readonly RouteDeclaration[]): string[] {
  const patterns = routes
    .filter((route) => TOKEN_PARAMETER.test(route.path))
    .map((route) => `*${route.path.slice(0, route.path.search(TOKEN_PARAMETER))}*`);
  return [...new Set(patterns)].sort();
}

export class TokenTraces extends Construct {
  readonly rules: CfnSamplingRule[] = [];

  constructor(
    scope: Construct,
    id: string,
    props: { stage: string; routes: readonly RouteDeclaration[]; api: RestApi; apiName: string },
  ) {
    super(scope, id);
    // X-Ray names an API Gateway stage `<api name>/<stage name>`; its ARN is the stage's.
    const serviceName = `${props.apiName}/${props.stage}`;
    const resourceArn = `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::/restapis/${props.api.restApiId}/stages/${props.stage}`;
    tokenPathPatterns(props.routes).forEach((urlPath, i) => {
      this.rules.push(
        new CfnSamplingRule(this, `NoTrace${i}`, {
          samplingRule: {
            // Names are unique per account and region, at most 32 characters.
            ruleName: `careloop-${props.stage}`.slice(0, 24) + `-tok${i}`,
            priority: 10 + i,
            fixedRate: 0,
            reservoirSize: 0,
            serviceName,
            serviceType: 'AWS::ApiGateway::Stage',
            host: '*',
            httpMethod: '*',
            urlPath,
            resourceArn,
            version: 1,
          },
        }),
      );
    });
  }
}
