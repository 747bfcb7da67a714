/**
 * The REST API: the declared routes (shared/http/routes), served by one Lambda per capability
 * (reads apart from writes) and one for the public routes, each dispatching to its routes'
 * handlers (shared/http/routes/functions.ts, infra/aws/entries.ts); the Cognito authorizer on
 * every route that is not public, CORS, throttling, access logs, tracing, a web ACL, and
 * problem+json for the errors API Gateway answers by itself.
 *
 * What a function may touch follows from its routes (`tableActionsOf`): reads get GetItem and
 * Query on the main table; writes also PutItem and UpdateItem; DeleteItem only for routes that
 * declare `deletesData`. A keyed POST's claim is an item of the main table (shared/store/requests.ts),
 * written in its record's transaction: no table of its own.
 */
import { ArnFormat, Duration, NestedStack, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  Cors,
  EndpointType,
  type IResource,
  type IRestApi,
  JsonSchemaType,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  type MethodDeploymentOptions,
  MethodLoggingLevel,
  type Model,
  type RequestValidator,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS, MIN_COMPRESSION_BYTES } from '../../../shared/http/cors.js';
import { type ApiFunctionDeclaration, apiFunctions, tableActionsOf } from '../../../shared/http/routes/functions.js';
import type { RouteDeclaration } from '../../../shared/http/routes/index.js';
import { JOB_TIMEOUT_SECONDS } from '../../../shared/jobs/declarations.js';
import { MAIN_TABLE } from '../../../shared/store/table.js';
import { API_ENTRY_HANDLER, writeApiEntry } from '../entries.js';
import type { Auth } from './auth.js';
import type { Data } from './data.js';
import { Firewall } from './firewall.js';
import { addProblemResponses } from './gateway-responses.js';
import { CareLoopFunction } from './lambda.js';
import { ROUTE_STACKS, routeStackOf } from './route-stacks.js';
import { TokenTraces } from './token-traces.js';

/** Request headers browsers may send cross-origin: the same list the handlers' CORS middleware allows. */
export { CORS_ALLOWED_HEADERS };

/** How long a job run by an API function may take (a month's row export at 10× the volume, an erasure). */
export const JOB_TIMEOUT = Duration.seconds(JOB_TIMEOUT_SECONDS);

/** Stage-wide throttle; a route's `rateLimit` tightens it for that route. */
export const STAGE_THROTTLE = { rate: 100, burst: 200 };

export interface ApiProps {
  stage: string;
  routes: readonly RouteDeclaration[];
  allowedOrigins: readonly string[];
  data: Data;
  auth: Auth;
}

const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** `/complaints/{id}/events` → `['id']`. */
function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(?<name>\w+)\+?\}/g)].flatMap((match) => match.groups?.name ?? []);
}

export class Api extends Construct {
  readonly restApi: RestApi;
  readonly accessLogs: LogGroup;
  private functionLogs?: LogGroup;
  readonly firewall: Firewall;
  private readonly functions = new Map<string, { declaration: ApiFunctionDeclaration; fn: CareLoopFunction }>();
  private authorizer?: CognitoUserPoolsAuthorizer;
  private readonly validator: RequestValidator;
  private readonly jsonObject: Model;
  /** The nested stacks holding routes' methods and resources, by name (ROUTE_STACKS), each with its view of the API. */
  private readonly routeStacks = new Map<string, { stack: NestedStack; api: IRestApi }>();
  /** Every method of every route, wherever its stack. */
  readonly methods: Method[] = [];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      // Access logs are security evidence; they outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const perRouteThrottle: Record<string, MethodDeploymentOptions> = {};
    for (const route of props.routes) {
      if (route.rateLimit)
        perRouteThrottle[`${route.path}/${route.method}`] = {
          throttlingRateLimit: route.rateLimit.rate,
          throttlingBurstLimit: route.rateLimit.burst,
        };
    }

    const apiName = `careloop-${props.stage}`;
    this.restApi = new RestApi(this, 'RestApi', {
      restApiName: apiName,
      description: 'CareLoop: service interactions, complaints, surveys, KPIs and reports',
      endpointTypes: [EndpointType.REGIONAL],
      // JSON (any answer) of 1 KiB or more is gzip-compressed for a client that accepts it.
      minCompressionSize: Size.bytes(MIN_COMPRESSION_BYTES),
      // Execution logging (ERROR level) needs the account-wide API Gateway logging role; kept if the stack goes.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stage,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        // Never log request or response bodies: they carry customers' personal data.
        dataTraceEnabled: false,
        throttlingRateLimit: STAGE_THROTTLE.rate,
        throttlingBurstLimit: STAGE_THROTTLE.burst,
        methodOptions: perRouteThrottle,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            time: AccessLogField.contextRequestTime(),
            method: AccessLogField.contextHttpMethod(),
            // The resource path, not the path: survey paths carry a bearer token.
            resource: AccessLogField.contextResourcePath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            latencyMs: AccessLogField.contextResponseLatency(),
            integrationLatencyMs: AccessLogField.contextIntegrationLatency(),
            integrationStatus: AccessLogField.contextIntegrationStatus(),
            errorType: AccessLogField.contextErrorResponseType(),
            error: AccessLogField.contextErrorMessage(),
            wafStatus: AccessLogField.contextWafStatus(),
            sub: AccessLogField.contextAuthorizerClaims('sub'),
            ip: AccessLogField.contextIdentitySourceIp(),
            userAgent: AccessLogField.contextIdentityUserAgent(),
            xrayTraceId: AccessLogField.contextXrayTraceId(),
          }),
        ),
      },
      // CORS preflights only where a route is (addRoute): a path with no method of its own (`/`, `/reports`…) needs none.
    });

    // Basic validation at the edge: declared path parameters present, JSON bodies are objects.
    // The full contract (fields, formats, limits) is checked by zod in the handler, so errors keep the contract's `errors` list.
    this.validator = this.restApi.addRequestValidator('BasicValidation', {
      requestValidatorName: 'basic',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.jsonObject = this.restApi.addModel('JsonObject', {
      contentType: 'application/json',
      modelName: 'JsonObject',
      schema: { schema: JsonSchemaVersion.DRAFT4, title: 'JsonObject', type: JsonSchemaType.OBJECT },
    });

    addProblemResponses(this.restApi, { allowedOrigins: props.allowedOrigins });
    this.firewall = new Firewall(this, 'Firewall', { stage: this.restApi.deploymentStage });
    // Link tokens ride in paths: those requests are never traced (X-Ray keeps full URLs).
    new TokenTraces(this, 'TokenTraces', {
      stage: props.stage,
      routes: props.routes,
      api: this.restApi,
      apiName,
    });

    for (const declaration of apiFunctions(props.routes)) {
      const fn = this.addFunction(declaration, props);
      for (const route of declaration.routes) this.addRoute(route, fn, props);
    }
    this.deployAfterRouteStacks(props.routes);

    Validations.of(this.restApi).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level role API Gateway uses to write execution logs (AWS::ApiGateway::Account) uses the AWS-managed AmazonAPIGatewayPushToCloudWatchLogs policy, which AWS documents for exactly this role and which grants only CloudWatch Logs actions.',
    });
  }

  /** The function serving a route, by route id (e.g. to add an environment variable). */
  functionOf(routeId: string): CareLoopFunction {
    for (const { declaration, fn } of this.functions.values())
      if (declaration.routes.some((route) => route.id === routeId)) return fn;
    throw new Error(`No route ${routeId} in the API`);
  }

  /** The API functions with the declaration each was built from (its id, its routes). */
  all(): Array<{ declaration: ApiFunctionDeclaration; fn: CareLoopFunction }> {
    return [...this.functions.values()];
  }

  /**
   * The functions serving any route of one capability, for constructs that hand them something:
   * e.g. `api.functionsOf('surveys')` read the survey signing key (the staff function that invites
   * and the public one that serves the links).
   */
  functionsOf(capability: string): CareLoopFunction[] {
    return this.all()
      .filter(({ declaration }) => declaration.routes.some((route) => route.capability === capability))
      .map(({ fn }) => fn);
  }

  /** Verifies staff ID tokens; created with the first non-public route (CDK refuses an authorizer no method uses). */
  private staffAuthorizer(props: ApiProps): CognitoUserPoolsAuthorizer {
    this.authorizer ??= new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      authorizerName: 'careloop-staff',
      cognitoUserPools: [props.auth.userPool],
      resultsCacheTtl: Duration.minutes(5),
    });
    return this.authorizer;
  }

  private addFunction(declaration: ApiFunctionDeclaration, props: ApiProps): CareLoopFunction {
    const { routes } = declaration;
    const [firstRoute] = routes;
    if (!firstRoute) throw new Error(`API function ${declaration.id} declares no route`);
    // One log group for every API function (streams are per function): keeps the stack within its resource budget.
    this.functionLogs ??= new LogGroup(this, 'FunctionLogs', {
      retention: RetentionDays.ONE_MONTH,
      // Operational logs; the retention bounds them and they are not the audit trail (the timeline is).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A function whose routes start a job (shared/jobs) runs it too, invoking itself asynchronously: it
    // gets a fixed name (its ARN without a reference to itself), the right to invoke only itself, and a
    // job's time and memory (API Gateway still answers a request within 29 s).
    const runsJobs = routes.some((route) => route.startsJob);
    const stack = Stack.of(this);
    const functionName = runsJobs ? `${stack.stackName}-${declaration.id}`.slice(0, 64) : undefined;
    const fn = new CareLoopFunction(this, pascal(declaration.id), {
      ...(functionName ? { functionName, timeout: JOB_TIMEOUT, memorySize: 1024 } : {}),
      logGroup: this.functionLogs,
      entry: writeApiEntry(declaration),
      handler: API_ENTRY_HANDLER,
      description: `${declaration.public ? 'Public routes' : `Staff routes of ${firstRoute.capability}`}: ${routes
        .map((route) => `${route.method} ${route.path}`)
        .join(', ')}`,
      environment: { CORS_ORIGINS: props.allowedOrigins.join(',') },
    });
    if (functionName)
      fn.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: [
            stack.formatArn({
              service: 'lambda',
              resource: 'function',
              resourceName: functionName,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ],
        }),
      );
    // Invoked by API Gateway and nothing else (a function that also runs jobs gets an on-failure destination, Jobs.catchFailedRuns).
    if (!runsJobs)
      fn.acknowledgeNoDeadLetterQueue(
        'Invoked synchronously by API Gateway only (Lambda proxy integration): a failure is answered to the caller as a 5xx problem (alarmed as the API 5xx rate), and Lambda never queues a synchronous event, so a dead-letter queue would stay empty.',
      );
    props.data.connect(fn, MAIN_TABLE, tableActionsOf(routes));
    this.functions.set(declaration.id, { declaration, fn });
    return fn;
  }

  /**
   * Where a route's resources and methods are created: the API's own root for the routes of the
   * stack itself, else the root of its nested route stack (ROUTE_STACKS), which sees the API by
   * its id. A top-level path lives in one stack only (API Gateway allows one resource per path).
   */
  private routeRoot(route: RouteDeclaration): IResource {
    const name = routeStackOf(route.path);
    if (!name) return this.restApi.root;
    let found = this.routeStacks.get(name);
    if (!found) {
      const stack = new NestedStack(this, name, { description: ROUTE_STACKS[name]?.description });
      const api = RestApi.fromRestApiAttributes(stack, 'RestApi', {
        restApiId: this.restApi.restApiId,
        rootResourceId: this.restApi.restApiRootResourceId,
      });
      found = { stack, api };
      this.routeStacks.set(name, found);
    }
    return found.api.root;
  }

  /**
   * The deployment waits for every route stack, and is a new one whenever a route of those stacks
   * changes (CDK hashes the methods of the API's own stack into its id; those of nested stacks it cannot see).
   */
  private deployAfterRouteStacks(routes: readonly RouteDeclaration[]): void {
    const deployment = this.restApi.latestDeployment;
    if (!deployment) return;
    for (const { stack } of this.routeStacks.values()) deployment.node.addDependency(stack);
    deployment.addToLogicalId({
      nestedRoutes: routes
        .filter((route) => routeStackOf(route.path))
        .map((route) => ({
          id: route.id,
          method: route.method,
          path: route.path,
          auth: route.auth,
          body: !!route.request?.body,
          stack: routeStackOf(route.path),
        })),
    });
  }

  private addRoute(route: RouteDeclaration, fn: CareLoopFunction, props: ApiProps): void {
    const isPublic = route.auth === 'public';
    const resource = this.routeRoot(route).resourceForPath(route.path);
    if (!resource.node.tryFindChild('OPTIONS'))
      resource.addCorsPreflight({
        allowOrigins: [...props.allowedOrigins],
        allowHeaders: [...CORS_ALLOWED_HEADERS],
        allowMethods: Cors.ALL_METHODS,
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      });
    const method = resource.addMethod(
      route.method,
      // One invoke permission per function for this API (not one per method), so routes cost no extra resources.
      new LambdaIntegration(fn.function, { scopePermissionToMethod: false }),
      {
        operationName: route.id,
        ...(isPublic
          ? { authorizationType: AuthorizationType.NONE }
          : { authorizationType: AuthorizationType.COGNITO, authorizer: this.staffAuthorizer(props) }),
        requestValidator: this.validator,
        requestParameters: Object.fromEntries(
          pathParameters(route.path).map((name) => [`method.request.path.${name}`, true]),
        ),
        ...(route.request?.body ? { requestModels: { 'application/json': this.jsonObject } } : {}),
      },
    );
    this.methods.push(method);

    if (isPublic) {
      const reason = `${route.method} ${route.path} is public by contract (auth: 'public' in shared/http/routes, "${route.summary}"): its callers hold no Cognito token. Anything it must protect is checked by the handler (e.g. the signed, single-use survey token), and the stage throttle, the route's rate limit and the web ACL still apply.`;
      Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason });
    }
  }
}
