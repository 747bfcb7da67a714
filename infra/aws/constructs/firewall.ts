/**
 * A WAF web ACL in front of the API stage: AWS-managed rules against known-bad sources and
 * inputs, and a per-IP rate limit. Per-route limits stay with API Gateway (route `rateLimit`),
 * body validation stays with zod in the handlers. Blocked requests get the WAF_FILTERED gateway
 * response (403 problem+json, see gateway-responses.ts).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface FirewallProps {
  stage: Stage;
  /**
   * Requests one IP may make in 5 minutes before WAF blocks it for a while. Default 10 000
   * (about 33 per second): a flood guard, generous because a contact centre's agents share an office IP.
   */
  requestsPerIpPer5Minutes?: number;
  /**
   * Suggestions one IP may post on the public board (POST /suggestions/board) in 5 minutes. Default 20;
   * the handler's own limit (5 per 10 minutes per address, kept in DynamoDB) is the exact one.
   */
  boardPostsPerIpPer5Minutes?: number;
}

/**
 * No sampled requests: WAF keeps a sample's full URI and cannot redact it, and the customer pages'
 * paths (/s/<token>, /c/<token>) carry bearer tokens. Metrics per rule stay.
 */
const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: false,
  metricName,
});

const matches = (
  fieldToMatch: CfnWebACL.FieldToMatchProperty,
  positionalConstraint: 'EXACTLY' | 'ENDS_WITH',
  searchString: string,
): CfnWebACL.StatementProperty => ({
  byteMatchStatement: {
    fieldToMatch,
    positionalConstraint,
    searchString,
    textTransformations: [{ priority: 0, type: 'NONE' }],
  },
});

function managedRuleGroup(name: string, priority: number, countOnly: string[] = []): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ...(countOnly.length
          ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
          : {}),
      },
    },
    visibilityConfig: visibility(name),
  };
}

export class Firewall extends Construct {
  readonly webAcl: CfnWebACL;
  /** WAF's own log of blocked and counted requests (the name must start with aws-waf-logs-). */
  readonly logs: LogGroup;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('careloop-api'),
      rules: [
        managedRuleGroup('AWSManagedRulesAmazonIpReputationList', 0),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 1),
        // The contract accepts bodies up to 64 KiB (the handlers answer 413 above that); this group's body-size rule stops at 8 KiB.
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 2, ['SizeRestrictions_BODY']),
        {
          name: 'RequestsPerIp',
          priority: 3,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.requestsPerIpPer5Minutes ?? 10_000, aggregateKeyType: 'IP' },
          },
          visibilityConfig: visibility('RequestsPerIp'),
        },
        {
          name: 'SuggestionBoardPostsPerIp',
          priority: 4,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              limit: props.boardPostsPerIpPer5Minutes ?? 20,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    matches({ method: {} }, 'EXACTLY', 'POST'),
                    matches({ uriPath: {} }, 'ENDS_WITH', '/suggestions/board'),
                  ],
                },
              },
            },
          },
          visibilityConfig: visibility('SuggestionBoardPostsPerIp'),
        },
      ],
    });
    this.logs = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-careloop-${this.node.addr.slice(0, 12)}`,
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [this.logs.logGroupArn],
      // Tokens ride in the path (/surveys/{token}, /s/{token}, /c/{token}) and bearer tokens in a header.
      redactedFields: [{ uriPath: {} }, { queryString: {} }, { singleHeader: { Name: 'authorization' } }],
      // Only what a rule blocked or counted: allowed traffic is not WAF's to keep.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          },
        ],
      },
    });
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
