/**
 * The DynamoDB tables, built from the declarations in shared/store/table.ts (the local runtime
 * builds DynamoDB Local's tables from the same ones), and the one way a function is given access
 * to a table: `connect`, which grants exactly the item actions it needs and sets the environment
 * variable the handlers read the table name from.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MAIN_TABLE, TABLES, type TableDeclaration } from '../../../shared/store/table.js';
import type { CareLoopFunction } from './lambda.js';

/**
 * `read`: get (one key or many: BatchGetItem reaches the same items) and query (table and declared
 * indexes). `readWrite`: also put, update and delete (single items and TransactWriteItems, which IAM
 * checks as the item actions it holds). Or the exact item actions, e.g. `tableActionsOf(routes)` for
 * an API function. No BatchWriteItem or ConditionCheck action is granted: no code path uses one.
 */
export type TableAccess = 'read' | 'readWrite' | readonly string[];

const READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
// No dynamodb:Scan anywhere: every access pattern is a key lookup or a Query (shared/store/keys.ts).

/** Tables whose data must outlive the stack (a table added for short-lived data would go with it). */
const RETAINED: ReadonlySet<TableDeclaration> = new Set([MAIN_TABLE]);

function constructId(declaration: TableDeclaration): string {
  const words = declaration.localName.split(/[^a-z0-9]+/i).filter(Boolean);
  return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Table`;
}

export class Data extends Construct {
  private readonly tables = new Map<TableDeclaration, Table>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const declaration of TABLES) this.tables.set(declaration, this.createTable(declaration));
  }

  /** The deployed table of a declaration, e.g. `data.table(MAIN_TABLE)`. */
  table(declaration: TableDeclaration): Table {
    const table = this.tables.get(declaration);
    if (!table) throw new Error(`No table is declared for ${declaration.envVar} in shared/store/table.ts`);
    return table;
  }

  /**
   * Lets `fn` use a table: grants the actions of `access` on the table and on its declared
   * indexes (by name, no wildcard), and sets `declaration.envVar` to the table's name.
   */
  connect(fn: CareLoopFunction, declaration: TableDeclaration, access: TableAccess): void {
    const table = this.table(declaration);
    const actions =
      access === 'read' ? READ_ACTIONS : access === 'readWrite' ? [...READ_ACTIONS, ...WRITE_ACTIONS] : [...access];
    if (actions.some((action) => !action.startsWith('dynamodb:') || action === 'dynamodb:Scan'))
      throw new Error(`connect() grants DynamoDB item actions, never Scan: ${actions.join(', ')}`);
    fn.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [table.tableArn] }));
    if (declaration.indexes.length > 0) {
      fn.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: declaration.indexes.map((index) => `${table.tableArn}/index/${index.name}`),
        }),
      );
    }
    fn.addEnvironment(declaration.envVar, table.tableName);
  }

  private createTable(declaration: TableDeclaration): Table {
    const retained = RETAINED.has(declaration);
    const key = (name: string) => ({ name, type: AttributeType.STRING });
    const table = new Table(this, constructId(declaration), {
      partitionKey: key(declaration.partitionKey),
      ...(declaration.sortKey ? { sortKey: key(declaration.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      ...(declaration.timeToLiveAttribute ? { timeToLiveAttribute: declaration.timeToLiveAttribute } : {}),
      ...(declaration.stream ? { stream: StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      removalPolicy: retained ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: retained,
    });
    for (const index of declaration.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: key(index.partitionKey),
        ...(index.sortKey ? { sortKey: key(index.sortKey) } : {}),
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }
}
