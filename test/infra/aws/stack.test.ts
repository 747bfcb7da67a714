import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS } from '../../../infra/aws/bundling.js';
import { CORS_ALLOWED_HEADERS, STAGE_THROTTLE } from '../../../infra/aws/constructs/api.js';
import { GATEWAY_PROBLEMS } from '../../../infra/aws/constructs/gateway-responses.js';
import { LAMBDA_RUNTIME } from '../../../infra/aws/constructs/lambda.js';
import { routeStackOf } from '../../../infra/aws/constructs/route-stacks.js';
import { signingKeyParameterName } from '../../../infra/aws/constructs/survey-links.js';
import { apiEntrySource, ENTRY_DIR, entryExportOf } from '../../../infra/aws/entries.js';
import { PROJECT_ROOT } from '../../../infra/aws/paths.js';
import { CORS_EXPOSED_HEADERS, MIN_COMPRESSION_BYTES } from '../../../shared/http/cors.js';
import { apiFunctions, routeKey, tableActionsOf, writes } from '../../../shared/http/routes/functions.js';
import { ROUTES, type RouteDeclaration } from '../../../shared/http/routes/index.js';
import { SCHEDULES } from '../../../shared/schedules.js';
import { Role } from '../../../shared/schemas/common.js';
import { MAIN_TABLE, TABLES, type TableDeclaration } from '../../../shared/store/table.js';
import { statementsOfRole, synthStack, templateOf, templatesOf } from './synth.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Synth = ReturnType<typeof synthStack> & ReturnType<typeof templateOf>;
let built: Synth;

beforeAll(() => {
  const synth = synthStack();
  built = { ...synth, ...templateOf(synth.stack) };
});

const keySchema = (key: { partitionKey: string; sortKey?: string }) => [
  { AttributeName: key.partitionKey, KeyType: 'HASH' },
  ...(key.sortKey ? [{ AttributeName: key.sortKey, KeyType: 'RANGE' }] : []),
];

function methodOf(route: RouteDeclaration) {
  const method = built.stack.api.methods.find((m) => m.resource.path === route.path && m.httpMethod === route.method);
  if (!method) throw new Error(`no ${route.method} ${route.path} in the API`);
  return built.resourceOf(method);
}

/** Every statement of a function's role, as [actions, resources] with resources resolved to table names. */
function statementsOf(routeId: string) {
  const fn = built.stack.api.functionOf(routeId);
  return statementsOfRole(built.resources, built.resourceOf(fn.role).logicalId);
}

function tableActions(routeId: string, table: TableDeclaration): string[] {
  const logicalId = built.resourceOf(built.stack.data.table(table)).logicalId;
  return statementsOf(routeId)
    .filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': [logicalId, 'Arn'] }))
    .flatMap((statement) => ([] as string[]).concat(statement.Action))
    .sort();
}

describe('data', () => {
  it.each(TABLES.map((table): [string, TableDeclaration] => [table.localName, table]))(
    'builds the %s table from its declaration',
    (_, declaration) => {
      const table = built.resourceOf(built.stack.data.table(declaration));
      expect(table.Properties.KeySchema).toEqual(keySchema(declaration));
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
      expect(table.Properties.TimeToLiveSpecification).toEqual({
        AttributeName: declaration.timeToLiveAttribute,
        Enabled: true,
      });
      // No table keeps a stream nothing reads: a full-image stream is a 24-hour copy of personal data (#27.10).
      expect(declaration).not.toHaveProperty('stream');
      expect(table.Properties.StreamSpecification).toBeUndefined();
      const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as Array<Record<string, unknown>>;
      expect(indexes.map((index) => ({ name: index.IndexName, keys: index.KeySchema }))).toEqual(
        declaration.indexes.map((index) => ({ name: index.name, keys: keySchema(index) })),
      );
    },
  );

  it('keeps the main table (and its data) when the stack is deleted, and protects it from deletion', () => {
    const table = built.resourceOf(built.stack.data.table(MAIN_TABLE));
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
  });

  it('creates no other table than the declared ones', () => {
    built.template.resourceCountIs('AWS::DynamoDB::Table', TABLES.length);
  });
});

describe('resource budget', () => {
  // CloudFormation allows 500 resources per template; 300 leaves room for the routes, alarms and queues still to come.
  // The routes' methods and paths live in nested stacks by concern (infra/aws/constructs/route-stacks.ts).
  const BUDGET = 300;

  it(`holds at most ${BUDGET} resources in every template, the main stack's and each nested stack's`, () => {
    const counts = templatesOf(built.stack).map(({ path, template }) => [path, Object.keys(template.Resources).length]);
    expect(counts.length, 'the route stacks are nested stacks of the main one').toBeGreaterThan(1);
    for (const [path, count] of counts) expect(count, `${count} resources in ${path}`).toBeLessThanOrEqual(BUDGET);
  });

  it('keeps every route of a top-level path in one stack, and the main stack only the API’s own routes', () => {
    for (const route of ROUTES) {
      const method = built.stack.api.methods.find(
        (m) => m.resource.path === route.path && m.httpMethod === route.method,
      )!;
      const stack = routeStackOf(route.path);
      expect(method.stack.node.id, route.path).toBe(stack ?? built.stack.node.id);
    }
  });

  it('serves the routes with far fewer functions than routes (one per capability, reads apart, public apart)', () => {
    const functions = apiFunctions(ROUTES);
    const publicCapabilities = new Set(
      ROUTES.filter((route) => route.auth === 'public').map((route) => route.capability),
    );
    expect(functions.length).toBeLessThanOrEqual(
      new Set(ROUTES.map((route) => route.capability)).size * 2 + publicCapabilities.size,
    );
    expect(functions.length).toBeLessThan(ROUTES.length / 2);
    // One invoke permission per API function and stack its routes are in, not one per method.
    const functionStacks = new Set(
      functions.flatMap((fn) => fn.routes.map((route) => `${fn.id} ${routeStackOf(route.path) ?? 'main'}`)),
    );
    // + CloudWatch Logs invoking the delivery receipts function from the two SNS SMS status log groups.
    built.template.resourceCountIs('AWS::Lambda::Permission', functionStacks.size + 2);
  });
});

describe('functions', () => {
  it('deploys one function per API function declaration, per schedule and per workflow task, and the receipts one', () => {
    const escalationTasks = Object.keys(built.stack.escalation!.functions).length;
    built.template.resourceCountIs(
      'AWS::Lambda::Function',
      apiFunctions(ROUTES).length + SCHEDULES.length + escalationTasks + 1,
    );
  });

  it('puts the public routes, and only those, in public functions, each of one capability', () => {
    for (const fn of apiFunctions(ROUTES)) {
      for (const route of fn.routes) expect(route.auth === 'public', `${route.id} in ${fn.id}`).toBe(fn.public);
      expect(new Set(fn.routes.map((route) => route.capability)).size, fn.id).toBe(1);
    }
    // The survey links and page apart from the board and the document: neither bundles the other's use cases.
    const publicIds = apiFunctions(ROUTES)
      .filter((fn) => fn.public)
      .map((fn) => fn.id);
    expect(publicIds).toEqual(expect.arrayContaining(['systemPublic', 'surveysPublic', 'complaintsPublic']));
  });

  it('runs every function on the newest Node.js runtime aws-cdk-lib knows, bundled for that same version', () => {
    const version = (name: string) => Number(/^nodejs(\d+)/.exec(name)?.[1] ?? 0);
    const newest = Math.max(...Runtime.ALL.map((runtime) => version(runtime.name)));
    expect(version(LAMBDA_RUNTIME.name)).toBe(newest);
    expect(ESBUILD_OPTIONS.target).toBe(`node${newest}`);
    const functions = templatesOf(built.stack).flatMap(({ template }) =>
      Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function'),
    );
    expect(functions.length).toBeGreaterThan(20);
    for (const fn of functions) expect(fn.Properties?.Runtime).toBe(LAMBDA_RUNTIME.name);
  });

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    '%s is served by a dispatcher on Node.js 24, arm64, with active tracing',
    (_, route) => {
      const fn = built.resourceOf(built.stack.api.functionOf(route.id).function);
      expect(fn.Properties).toMatchObject({
        Handler: 'index.handler',
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.Properties.Environment.Variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'careloop',
        CORS_ORIGINS: 'https://app.example.com',
        [MAIN_TABLE.envVar]: { Ref: built.resourceOf(built.stack.data.table(MAIN_TABLE)).logicalId },
      });
    },
  );

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    'the %s method invokes the function whose dispatcher serves that route',
    (_, route) => {
      const fnLogicalId = built.resourceOf(built.stack.api.functionOf(route.id).function).logicalId;
      expect(JSON.stringify(methodOf(route).Properties.Integration.Uri)).toContain(`"${fnLogicalId}","Arn"`);
      const declaration = built.stack.api.all().find(({ fn }) => fn === built.stack.api.functionOf(route.id))!;
      const source = apiEntrySource(declaration.declaration);
      // The dispatcher's table maps the route's key to a local; the local is the handler's export, either
      // built when the entry is written or imported on the first call from a one-line module re-exporting it.
      const local = new RegExp(`${escapeRegExp(JSON.stringify(routeKey(route)))}: (\\w+),`).exec(source)?.[1];
      expect(local, `${route.id} in the dispatch table`).toBeDefined();
      const definition = source.split('\n').find((line) => line.startsWith(`const ${local} = `)) ?? '';
      const lazy = /onFirstCall\(\(\) => import\('\.\/([^']+)\.js'\)\)/.exec(definition)?.[1];
      const module = lazy ? readFileSync(join(ENTRY_DIR, `${lazy}.ts`), 'utf8') : source;
      expect(module).toMatch(
        new RegExp(
          `(export|import) \\{ ${entryExportOf(route)} as \\w+ \\} from '[./]*/functions/${route.capability}/handler\\.js'`,
        ),
      );
    },
  );

  it('logs every function to a log group with a retention: the API functions share one, jobs and tasks have their own', () => {
    const escalationTasks = Object.keys(built.stack.escalation!.functions).length;
    // + the API functions' shared group, + API access logs, + escalation execution logs, + WAF logs,
    // + the delivery receipts function's, + SNS's two SMS delivery status groups
    built.template.resourceCountIs('AWS::Logs::LogGroup', 1 + SCHEDULES.length + escalationTasks + 3 + 3);
    built.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
    const functions = Object.values(built.template.findResources('AWS::Lambda::Function'));
    const groupOf = (fn: any) => JSON.stringify(fn.Properties.LoggingConfig?.LogGroup);
    expect(functions.every((fn) => groupOf(fn) !== undefined)).toBe(true);
    const apiGroups = new Set(
      functions.filter((fn) => String(fn.Properties.Description).match(/^(Public routes|Staff routes)/)).map(groupOf),
    );
    expect(apiGroups.size).toBe(1);
    expect(functions.filter((fn) => apiGroups.has(groupOf(fn)))).toHaveLength(apiFunctions(ROUTES).length);
  });
});

describe('least privilege', () => {
  const READ = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];

  it.each(ROUTES.map((route) => [route.method, route.path, route] as const))(
    '%s %s runs in a function with exactly the table access its routes need',
    (_, __, route) => {
      const actions = tableActions(route.id, MAIN_TABLE);
      const siblings = built.stack.api.all().find(({ fn }) => fn === built.stack.api.functionOf(route.id))!.declaration;
      expect(actions).toEqual(tableActionsOf(siblings.routes));
      expect(actions).toEqual(expect.arrayContaining(READ));
      if (writes(route)) expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
      if (route.deletesData) expect(actions).toContain('dynamodb:DeleteItem');
      // A read-only staff route shares its function only with other reads: no write grant at all.
      if (!writes(route) && route.auth !== 'public') expect(actions).toEqual(READ);
      // A keyed POST's claim is an item of the main table, written with its record: the write grant covers it.
      if (route.method === 'POST') expect(actions).toContain('dynamodb:PutItem');
    },
  );

  it('lets the public survey routes read and write the main table but never delete from it', () => {
    for (const id of ['getSurveyForm', 'submitSurveyResponse']) {
      expect(tableActions(id, MAIN_TABLE), id).not.toContain('dynamodb:DeleteItem');
      expect(tableActions(id, MAIN_TABLE), id).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
      );
    }
    expect(built.stack.api.functionOf('getSurveyForm')).not.toBe(built.stack.api.functionOf('eraseCustomer'));
  });

  it('grants no BatchWriteItem or ConditionCheck action anywhere, and BatchGetItem only beside GetItem (no code path uses more)', () => {
    const template = JSON.stringify(built.template.toJSON());
    for (const action of ['dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'])
      expect(template).not.toContain(action);
    for (const route of ROUTES)
      if (tableActions(route.id, MAIN_TABLE).includes('dynamodb:BatchGetItem'))
        expect(tableActions(route.id, MAIN_TABLE), route.id).toContain('dynamodb:GetItem');
    // …and the claim holds: if code starts using one, this fails and the grant must follow.
    const sources = ['functions', 'shared'].flatMap((dir) =>
      readdirSync(join(PROJECT_ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.ts'))
        .map((file) => join(PROJECT_ROOT, dir, file)),
    );
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/BatchWrite(Item)?Command|ConditionCheck:/);
      // Batch reads go through one module (shared/store/batch.ts; shared/store/sdk.ts only loads the SDK's
      // classes for the stores); every function that reads holds BatchGetItem.
      if (!['batch.ts', 'sdk.ts'].some((name) => file.endsWith(join('shared', 'store', name))))
        expect(text, file).not.toMatch(/BatchGet(Item)?Command/);
    }
  });

  it('lets every function read the deployment key from SSM by name, read only (survey links; list cursors)', () => {
    for (const route of ROUTES) {
      const reads = statementsOf(route.id).filter((s) => JSON.stringify(s.Action).includes('ssm:'));
      expect(reads.length, route.id).toBeGreaterThan(0);
      for (const statement of reads) {
        const actions = [statement.Action].flat() as string[];
        expect(
          actions.every((a) => a.startsWith('ssm:Get') || a.startsWith('ssm:Describe')),
          route.id,
        ).toBe(true);
      }
      expect(JSON.stringify(reads.map((s) => s.Resource))).toContain(
        `:parameter${signingKeyParameterName(built.stack.config.stage)}`,
      );
      const env = built.resourceOf(built.stack.api.functionOf(route.id).function).Properties.Environment.Variables;
      expect(env.CARELOOP_SURVEY_SIGNING_KEY_PARAMETER).toBe(signingKeyParameterName(built.stack.config.stage));
    }
  });

  it('points links in messages at the API’s own URL by default (the pages it serves)', () => {
    for (const id of ['createSurvey', 'surveyPage']) {
      const env = built.resourceOf(built.stack.api.functionOf(id).function).Properties.Environment.Variables;
      const url = JSON.stringify(env.CARELOOP_PUBLIC_BASE_URL);
      expect(url, id).toContain('"https://"');
      expect(url, id).toContain(built.stack.getLogicalId(built.stack.api.restApi.node.defaultChild as never));
      expect(url, id).toContain(`.execute-api.`);
      expect(url, id).toContain(`/${built.stack.config.stage}`);
    }
  });

  it('tells GET /health the sender address (to list a placeholder as missing) without letting it send', () => {
    const fn = built.stack.api.functionOf('health');
    const env = built.resourceOf(fn.function).Properties.Environment.Variables;
    expect(env.CARELOOP_SENDER_EMAIL).toBe(built.stack.config.senderEmail);
    const actions = statementsOfRole(built.resources, built.resourceOf(fn.role).logicalId).flatMap((statement) =>
      ([] as string[]).concat(statement.Action),
    );
    expect(actions.filter((action) => action.startsWith('ses:') || action.startsWith('sns:'))).toEqual([]);
  });

  it('lets functions query the main table’s declared indexes by name, not by wildcard', () => {
    const route = ROUTES.find((r) => r.method === 'GET')!;
    const indexStatement = statementsOf(route.id).find((s) => JSON.stringify(s.Resource).includes('/index/'));
    expect(indexStatement?.Action).toBe('dynamodb:Query');
    const indexes = JSON.stringify(indexStatement?.Resource);
    for (const index of MAIN_TABLE.indexes) expect(indexes).toContain(`/index/${index.name}"`);
    expect(indexes).not.toContain('/index/*');
  });

  it('grants nothing on Resource "*" except X-Ray, and never Scan', () => {
    for (const route of ROUTES) {
      for (const statement of statementsOf(route.id).filter((s) => s.Resource === '*')) {
        expect(statement.Action).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
      }
    }
    expect(JSON.stringify(built.template.toJSON())).not.toContain('dynamodb:Scan');
  });

  it('shares a role only between functions whose grants are identical', () => {
    const functions = [
      ...built.stack.api.all().map(({ fn }) => fn),
      ...built.stack.jobs.all(),
      ...Object.values(built.stack.escalation!.functions),
    ];
    // A set of statements (the template drops a statement granted twice, e.g. StartExecution for two routes).
    const asSet = (statements: unknown[]) =>
      JSON.stringify([...new Set(statements.map((s) => JSON.stringify(s)))].sort());
    const grantsOf = (fn: (typeof functions)[number]) =>
      asSet(built.stack.resolve(fn.permissions.toJSON()).Statement as unknown[]);
    const byRole = new Map<string, string[]>();
    for (const fn of functions) {
      const roleId = built.resourceOf(fn.role).logicalId;
      const functionRole = built.resourceOf(fn.function).Properties.Role;
      expect(functionRole).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
      byRole.set(roleId, [...(byRole.get(roleId) ?? []), grantsOf(fn)]);
    }
    for (const [roleId, grants] of byRole) {
      expect(new Set(grants).size, roleId).toBe(1);
      // The role holds exactly those grants.
      expect(asSet(statementsOfRole(built.resources, roleId)), roleId).toBe(grants[0]);
    }
    // …and functions with different grants never share: one role per distinct set of grants.
    expect(byRole.size).toBe(new Set(functions.map(grantsOf)).size);
    expect(byRole.size).toBeLessThan(functions.length);
  });

  it('uses no AWS-managed policy for the functions', () => {
    for (const route of ROUTES)
      expect(built.resourceOf(built.stack.api.functionOf(route.id).role).Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('api', () => {
  const publicRoutes = ROUTES.filter((route) => route.auth === 'public');
  const staffRoutes = ROUTES.filter((route) => route.auth !== 'public');

  it('declares /health and /openapi.json public (the contract says so)', () => {
    expect(publicRoutes.map((route) => route.path).sort()).toEqual(
      expect.arrayContaining(['/health', '/openapi.json']),
    );
  });

  it.each(staffRoutes.map((route) => [route.method, route.path, route] as const))(
    '%s %s requires a Cognito token',
    (_, __, route) => {
      const authorizerId = built.resourceOf(built.stack.api.node.findChild('Authorizer')).logicalId;
      expect(methodOf(route).Properties).toMatchObject({
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizerId: { Ref: authorizerId },
      });
    },
  );

  it.each(publicRoutes.map((route) => [route.method, route.path, route] as const))(
    '%s %s is public',
    (_, __, route) => {
      const method = methodOf(route).Properties;
      expect(method.AuthorizationType).toBe('NONE');
      expect(method.AuthorizerId).toBeUndefined();
    },
  );

  it('validates declared path parameters and JSON object bodies at the edge', () => {
    for (const route of ROUTES) {
      const method = methodOf(route).Properties;
      expect(method.RequestValidatorId).toBeDefined();
      for (const [, name] of route.path.matchAll(/\{(\w+)\}/g))
        expect(method.RequestParameters).toMatchObject({ [`method.request.path.${name}`]: true });
      expect(method.RequestModels === undefined).toBe(route.request?.body === undefined);
    }
    built.template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
  });

  it('answers CORS preflights for the configured origins and the contract’s headers', () => {
    const preflights = built.template.findResources('AWS::ApiGateway::Method', {
      Properties: { HttpMethod: 'OPTIONS' },
    });
    const paths = new Set(ROUTES.map((route) => route.path));
    expect(Object.keys(preflights).length).toBeGreaterThanOrEqual(paths.size);
    for (const preflight of Object.values(preflights)) {
      expect(preflight.Properties.AuthorizationType).toBe('NONE');
      expect(preflight.Properties.Integration.IntegrationResponses[0].ResponseParameters).toMatchObject({
        'method.response.header.Access-Control-Allow-Headers': `'${CORS_ALLOWED_HEADERS.join(',')}'`,
        'method.response.header.Access-Control-Allow-Origin': "'https://app.example.com'",
      });
    }
  });

  it('gzips answers of 1 KiB or more for clients that accept it (the local runtime does the same)', () => {
    const [api] = Object.values(built.template.findResources('AWS::ApiGateway::RestApi'));
    expect(api?.Properties.MinimumCompressionSize).toBe(MIN_COMPRESSION_BYTES);
    expect(MIN_COMPRESSION_BYTES).toBe(1024);
    expect(CORS_ALLOWED_HEADERS).toEqual(expect.arrayContaining(['X-Request-Id', 'traceparent']));
  });

  it('answers preflights on the paths that have routes, and only there', () => {
    const preflights = Object.values(
      built.template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } }),
    );
    expect(preflights).toHaveLength(new Set(ROUTES.map((route) => route.path)).size);
    for (const preflight of preflights)
      expect(JSON.stringify(preflight.Properties.ResourceId)).not.toContain('RootResourceId');
  });

  it('answers the gateway’s own errors as problem+json with CORS headers', () => {
    const responses = built.template.findResources('AWS::ApiGateway::GatewayResponse');
    const byType = new Map(Object.values(responses).map((r) => [r.Properties.ResponseType as string, r.Properties]));
    for (const type of [
      'UNAUTHORIZED',
      'ACCESS_DENIED',
      'THROTTLED',
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'REQUEST_TOO_LARGE',
    ])
      expect(byType.has(type)).toBe(true);
    expect(byType.size).toBe(GATEWAY_PROBLEMS.length);
    for (const [type, response] of byType) {
      const problem = JSON.parse(response.ResponseTemplates['application/json']);
      expect(Object.keys(problem).sort(), type).toEqual(['detail', 'instance', 'status', 'title', 'type']);
      expect(String(problem.status), type).toBe(response.StatusCode);
      // The path the caller asked for, substituted by API Gateway (the handlers' problems carry it too).
      expect(problem.instance, type).toBe('$context.path');
      // The contract's header rules hold for the gateway's own answers too.
      expect(response.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
        'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
        // A screen's script may read Retry-After (a throttle) and the rest, as on the handlers' answers.
        'gatewayresponse.header.Access-Control-Expose-Headers': `'${CORS_EXPOSED_HEADERS.join(',')}'`,
      });
    }
    expect(byType.get('UNAUTHORIZED')!.StatusCode).toBe('401');
    expect(byType.get('THROTTLED')!.StatusCode).toBe('429');
    expect(byType.get('REQUEST_TOO_LARGE')!.StatusCode).toBe('413');
    expect(byType.get('MISSING_AUTHENTICATION_TOKEN')!.StatusCode).toBe('404');
  });

  it('throttles the stage, traces it, logs errors but never bodies', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'test',
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: STAGE_THROTTLE.rate,
          ThrottlingBurstLimit: STAGE_THROTTLE.burst,
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
        }),
      ]),
    });
  });

  it('writes JSON access logs without the request path (survey paths carry a token)', () => {
    const stage = Object.values(built.template.findResources('AWS::ApiGateway::Stage'))[0]!;
    const format = JSON.parse(stage.Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      resource: '$context.resourcePath',
    });
    expect(JSON.stringify(format)).not.toContain('$context.path');
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({
      'Fn::GetAtt': [built.resourceOf(built.stack.api.accessLogs).logicalId, 'Arn'],
    });
  });

  it('puts a web ACL in front of the stage', () => {
    built.template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    built.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([{ Ref: built.resourceOf(built.stack.api.restApi.deploymentStage).logicalId }]),
        ],
      },
    });
  });

  it('rate-limits posts to the public suggestion board per IP, and keeps no request samples (token paths)', () => {
    const acl = Object.values(built.template.findResources('AWS::WAFv2::WebACL'))[0]!.Properties;
    const board = acl.Rules.find((rule: { Name: string }) => rule.Name === 'SuggestionBoardPostsPerIp');
    expect(board.Action).toEqual({ Block: {} });
    expect(board.Statement.RateBasedStatement).toMatchObject({ Limit: 20, AggregateKeyType: 'IP' });
    expect(JSON.stringify(board.Statement.RateBasedStatement.ScopeDownStatement)).toContain('/suggestions/board');
    for (const visibility of [
      acl.VisibilityConfig,
      ...acl.Rules.map((rule: { VisibilityConfig: unknown }) => rule.VisibilityConfig),
    ])
      expect(visibility.SampledRequestsEnabled).toBe(false);
  });
});

describe('link tokens stay out of WAF samples and logs, and out of traces', () => {
  it('keeps no WAF sampled requests (samples hold full URIs) on the web ACL or any rule', () => {
    const acl = Object.values(built.template.findResources('AWS::WAFv2::WebACL'))[0]!;
    const configs = [acl.Properties.VisibilityConfig, ...acl.Properties.Rules.map((r: any) => r.VisibilityConfig)];
    expect(configs.length).toBeGreaterThan(1);
    for (const config of configs) expect(config.SampledRequestsEnabled).toBe(false);
  });

  it('logs what WAF blocks or counts, with the URI path, query and Authorization header redacted', () => {
    built.template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [built.resourceOf(built.stack.api.firewall.webAcl).logicalId, 'Arn'] },
      RedactedFields: Match.arrayWith([
        { UriPath: {} },
        { QueryString: {} },
        { SingleHeader: { Name: 'authorization' } },
      ]),
      LoggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [Match.objectLike({ Behavior: 'KEEP' })],
      },
    });
    const group = built.resourceOf(built.stack.api.firewall.logs);
    expect(group.Properties.LogGroupName).toMatch(/^aws-waf-logs-/);
    expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('samples no trace of a route whose path carries a token (X-Ray records full URLs)', () => {
    const tokenRoutes = ROUTES.filter((route) => /\{[^}]*token[^}]*\}/i.test(route.path));
    expect(tokenRoutes.length).toBeGreaterThan(0);
    const rules = Object.values(built.template.findResources('AWS::XRay::SamplingRule')).map(
      (r) => r.Properties.SamplingRule,
    );
    for (const route of tokenRoutes) {
      const prefix = route.path.slice(0, route.path.search(/\{[^}]*token/i));
      const rule = rules.find((r) => r.URLPath === `*${prefix}*`);
      expect(rule, route.path).toMatchObject({
        FixedRate: 0,
        ReservoirSize: 0,
        ServiceType: 'AWS::ApiGateway::Stage',
        HTTPMethod: '*',
      });
      expect(rule.Priority).toBeLessThan(10_000);
      expect(rule.RuleName.length).toBeLessThanOrEqual(32);
      // This API's stage only, never every API of the account (#27.10).
      expect(rule.ServiceName).toBe('careloop-test/test');
      const apiId = built.resourceOf(built.stack.api.restApi).logicalId;
      expect(JSON.stringify(rule.ResourceARN)).toContain(JSON.stringify({ Ref: apiId }));
      expect(JSON.stringify(rule.ResourceARN)).toMatch(/:apigateway:.*::\/restapis\/.*\/stages\/test/);
    }
  });
});

describe('a route with a rate limit', () => {
  it('gets its own method throttle on top of the stage default', () => {
    const health = ROUTES.find((route) => route.id === 'health')!;
    const limited = {
      ...health,
      id: 'limitedHealth',
      path: '/surveys/{token}',
      rateLimit: { rate: 5, burst: 10 },
    } satisfies RouteDeclaration;
    const { template } = templateOf(synthStack({ routes: [health, limited] }).stack);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: 'GET',
          ResourcePath: '/~1surveys~1{token}',
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        }),
      ]),
    });
  });
});

describe('several allowed origins', () => {
  it('tells the functions all of them and echoes the caller’s Origin on gateway errors', () => {
    const origins = ['https://app.example.com', 'https://survey.example.com'];
    const { stack } = synthStack({
      config: { allowedOrigins: origins },
      routes: ROUTES.filter((route) => route.id === 'health'),
    });
    const { template } = templateOf(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CORS_ORIGINS: origins.join(',') }) },
    });
    template.allResourcesProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseParameters: Match.objectLike({
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.Vary': "'Origin'",
      }),
    });
  });
});

describe('auth', () => {
  it('has one group per role', () => {
    const groups = built.template.findResources('AWS::Cognito::UserPoolGroup');
    expect(
      Object.values(groups)
        .map((g) => g.Properties.GroupName)
        .sort(),
    ).toEqual([...Role.options].sort());
  });

  it('has the custom:team attribute, a strong password policy, TOTP MFA required of all staff and threat protection', () => {
    built.template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'team', AttributeDataType: 'String', Mutable: true })]),
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      // Admins and managers export and erase personal data: Cognito cannot require MFA per group, so all staff enrol.
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('lets staff read their team but not change it', () => {
    const client = built.resourceOf(built.stack.auth.client).Properties;
    expect(client.ReadAttributes).toContain('custom:team');
    expect(client.WriteAttributes).not.toContain('custom:team');
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toBeUndefined();
  });
});

describe('report exports (issue 15 item 6)', () => {
  it('logs every request to the exports bucket (each download) to a private access-log bucket kept a year (#27.10)', () => {
    const exportsNode = built.stack.node.findChild('Exports');
    const bucket = built.resourceOf(exportsNode.node.findChild('Bucket'));
    const logs = built.resourceOf(exportsNode.node.findChild('AccessLogs'));
    expect(bucket.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logs.logicalId },
      LogFilePrefix: 'exports-bucket/',
    });
    expect(logs.Properties.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true });
    expect(logs.Properties.LifecycleConfiguration.Rules).toEqual([
      expect.objectContaining({ ExpirationInDays: 365, Status: 'Enabled' }),
    ]);
    expect(logs.DeletionPolicy).toBe('Retain');
    // S3 log delivery may write there, over TLS only.
    const policies = Object.values(built.template.findResources('AWS::S3::BucketPolicy')).filter(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: logs.logicalId }),
    );
    expect(JSON.stringify(policies)).toContain('logging.s3.amazonaws.com');
  });

  it('keeps export files in a private, encrypted, TLS-only bucket where they expire', () => {
    const bucket = built.resourceOf(built.stack.node.findChild('Exports').node.findChild('Bucket'));
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.Properties.BucketEncryption)).toContain('AES256');
    const rules = bucket.Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: 'exports/', ExpirationInDays: 7, Status: 'Enabled' })]),
    );
    built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  const s3Actions = (routeId: string) =>
    statementsOf(routeId)
      .filter((s) => JSON.stringify(s.Action).includes('s3:'))
      .map((s) => ({ actions: [s.Action].flat().sort(), resource: JSON.stringify(s.Resource) }));

  it('lets the function that runs the export job put and get export files, report readers only get them, no one else', () => {
    expect(s3Actions('createReportExport')).toEqual([
      { actions: ['s3:GetObject', 's3:PutObject'], resource: expect.stringContaining('/exports/*') },
    ]);
    expect(s3Actions('getReportExport')).toEqual([
      { actions: ['s3:GetObject'], resource: expect.stringContaining('/exports/*') },
    ]);
    for (const route of ROUTES.filter((r) => r.capability !== 'reports'))
      expect(s3Actions(route.id), route.id).toEqual([]);
  });

  it('lets a function that starts jobs invoke itself, and only itself, with a job’s time', () => {
    for (const route of ROUTES) {
      const fn = built.resourceOf(built.stack.api.functionOf(route.id).function);
      const invokes = statementsOf(route.id).filter((s) => JSON.stringify(s.Action).includes('lambda:InvokeFunction'));
      const runsJobs = built.stack.api
        .all()
        .find(({ fn: f }) => f === built.stack.api.functionOf(route.id))!
        .declaration.routes.some((r) => r.startsJob);
      if (!runsJobs) {
        expect(invokes, route.id).toEqual([]);
        continue;
      }
      expect(fn.Properties.FunctionName).toMatch(/^CareLoopTest-/);
      expect(invokes).toHaveLength(1);
      expect(JSON.stringify(invokes[0]!.Resource)).toContain(`:function:${fn.Properties.FunctionName}"`);
      expect(fn.Properties.Timeout).toBeGreaterThan(60);
    }
  });
});
