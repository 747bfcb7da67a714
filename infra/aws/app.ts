/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`, see cdk.json). Environment-agnostic: no
 * account or region lookups, so it synthesizes offline; the account and region come from the
 * credentials at deploy time. Every synth is checked against the cdk-nag AWS Solutions and
 * Serverless rules; an unacknowledged finding fails it.
 */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { readConfig } from './config.js';
import { CareLoopStack } from './stack.js';

const app = new App();
const config = readConfig(app.node);

new CareLoopStack(app, `CareLoop-${config.stage}`, {
  config,
  description: `CareLoop customer-satisfaction API (${config.stage})`,
});

Tags.of(app).add('application', 'careloop');
Tags.of(app).add('stage', config.stage);
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app, { verbose: true }),
  new ServerlessChecks(app, { verbose: true }),
);
