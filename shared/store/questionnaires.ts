/**
 * Questionnaires as versioned data (keys.ts: QUESTIONNAIRE#<id>). A head item says where a
 * questionnaire stands; each published version is an item written once (attribute_not_exists)
 * and never updated; a draft is an item of the version it will become, edited under its
 * revision. Publishing writes the version and moves the head in one transaction, conditioned
 * on the head still pointing at that draft and the draft still at the revision that was read,
 * so two publishes (or a publish racing an edit) never make two versions of one draft.
 *
 * The built-ins' version 1 lives in code (shared/domain/questionnaires.ts): a built-in without a
 * head item reads as published at version 1, and its first change writes that head.
 */

import { Conflict } from '../domain/errors.js';
import {
  BUILT_IN_QUESTIONNAIRES,
  builtInVersion,
  isBuiltIn,
  type LocalizedText,
  type PublishedQuestionnaire,
  type Question,
} from '../domain/questionnaires.js';
import type { QuestionnaireStatus } from '../schemas/questionnaires.js';
import { dynamo } from './client.js';
import { EntityType, questionnaireKeys } from './keys.js';
import { ConditionalCheckFailedException, GetCommand, PutCommand, TransactionCanceledException } from './sdk.js';
import { MAIN_TABLE, tableName, withoutKeys } from './table.js';
import { type TransactItem, transactWrite } from './transact.js';
import { queryAll } from './versioned.js';

export interface QuestionnaireHead {
  id: string;
  status: QuestionnaireStatus;
  name: LocalizedText;
  builtIn: boolean;
  /** Newest published version, 0 before the first publish. */
  latestVersion: number;
  /** The version an open draft will become, null when none is open. */
  draftVersion: number | null;
  questionCount: number;
  /** Changes with every write of the head (its condition). */
  headRevision: number;
  retiredAt?: string;
  updatedAt?: string;
}

export interface StoredVersion extends PublishedQuestionnaire {
  publishedAt?: string;
  publishedBy?: string;
}

export interface DraftRecord {
  id: string;
  version: number;
  name: LocalizedText;
  questions: Question[];
  revision: number;
  updatedAt: string;
  updatedBy: string;
}

/** Questionnaires as versioned data: a head per questionnaire, its drafts and its published versions. */
export interface QuestionnaireStore {
  getHead(id: string): Promise<QuestionnaireHead | undefined>;
  getVersion(id: string, version: number): Promise<StoredVersion | undefined>;
  getDraft(id: string, version: number): Promise<DraftRecord | undefined>;
  /** Every questionnaire: the directory partition (tens of items) and the built-ins never changed. */
  listHeads(): Promise<QuestionnaireHead[]>;
  /**
   * Opens a draft (a new questionnaire's version 1, or an existing one's next version). `also`: writes
   * of the same transaction (a keyed request's claim), here and in `publish` and `putHead`.
   */
  openDraft(
    seen: QuestionnaireHead | undefined,
    next: QuestionnaireHead,
    draft: DraftRecord,
    also?: TransactItem[],
  ): Promise<void>;
  /** Saves a draft's new text, if it is still at the revision the caller read (else 409 lost race). */
  saveDraft(draft: DraftRecord, seenRevision: number, head: QuestionnaireHead): Promise<void>;
  /** Publishes a draft as its version: the version written once, the head moved, in one transaction. */
  publish(
    head: QuestionnaireHead,
    draft: DraftRecord,
    version: StoredVersion,
    nextHead: QuestionnaireHead,
    also?: TransactItem[],
  ): Promise<void>;
  /** Writes the head alone (retire), conditioned on it being as read. */
  putHead(seen: QuestionnaireHead, next: QuestionnaireHead, also?: TransactItem[]): Promise<void>;
}

const table = () => tableName(MAIN_TABLE);

function builtInHead(id: string): QuestionnaireHead | undefined {
  const v1 = builtInVersion(id, 1);
  if (!v1) return undefined;
  return {
    id,
    status: 'published',
    name: v1.name,
    builtIn: true,
    latestVersion: 1,
    draftVersion: null,
    questionCount: v1.questions.length,
    headRevision: 0,
  };
}

function headItem(head: QuestionnaireHead): Record<string, unknown> {
  return {
    ...questionnaireKeys.head(head.id),
    ...questionnaireKeys.directory(head.id),
    type: EntityType.questionnaire,
    ...head,
  };
}

/** The head of a questionnaire (a built-in never changed reads as published version 1), or undefined. */
async function getHead(id: string): Promise<QuestionnaireHead | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: questionnaireKeys.head(id), ConsistentRead: true }),
  );
  return Item ? withoutKeys<QuestionnaireHead>(Item) : builtInHead(id);
}

async function getVersion(id: string, version: number): Promise<StoredVersion | undefined> {
  const builtIn = isBuiltIn(id) ? builtInVersion(id, version) : undefined;
  if (builtIn) return builtIn;
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: questionnaireKeys.version(id, version) }),
  );
  return Item ? withoutKeys<StoredVersion>(Item) : undefined;
}

async function getDraft(id: string, version: number): Promise<DraftRecord | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: table(), Key: questionnaireKeys.draft(id, version), ConsistentRead: true }),
  );
  return Item ? withoutKeys<DraftRecord>(Item) : undefined;
}

/** Every questionnaire: the directory partition (tens of items) and the built-ins never changed. */
async function listHeads(): Promise<QuestionnaireHead[]> {
  const heads = new Map<string, QuestionnaireHead>();
  const items = await queryAll({
    TableName: table(),
    IndexName: 'gsi1',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': questionnaireKeys.directoryPartition },
  });
  for (const item of items) {
    const head = withoutKeys<QuestionnaireHead>(item);
    heads.set(head.id, head);
  }
  for (const q of BUILT_IN_QUESTIONNAIRES) {
    const head = heads.has(q.id) ? undefined : builtInHead(q.id);
    if (head) heads.set(q.id, head);
  }
  return [...heads.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The head's condition: unchanged since it was read (or, for a built-in never written, still absent). */
function headCondition(head: QuestionnaireHead | undefined) {
  return head && head.headRevision > 0
    ? {
        ConditionExpression: 'headRevision = :seen',
        ExpressionAttributeValues: { ':seen': head.headRevision },
      }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
}

const lostRace = () =>
  new Conflict('The questionnaire was changed by someone else meanwhile; read it again and retry.');

async function transact(items: Parameters<typeof transactWrite>[0], id: string): Promise<void> {
  try {
    await transactWrite(items, `questionnaire ${id}`);
  } catch (error) {
    if (error instanceof TransactionCanceledException) throw lostRace();
    throw error;
  }
}

/** Opens a draft (a new questionnaire's version 1, or an existing one's next version). */
async function openDraft(
  seen: QuestionnaireHead | undefined,
  next: QuestionnaireHead,
  draft: DraftRecord,
  also: TransactItem[] = [],
): Promise<void> {
  await transact(
    () => [
      { Put: { TableName: table(), Item: headItem(next), ...headCondition(seen) } },
      {
        Put: {
          TableName: table(),
          Item: { ...questionnaireKeys.draft(draft.id, draft.version), type: EntityType.questionnaireDraft, ...draft },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...also,
    ],
    draft.id,
  );
}

/** Saves a draft's new text, if it is still at the revision the caller read (else 409 lost race). */
async function saveDraft(draft: DraftRecord, seenRevision: number, head: QuestionnaireHead): Promise<void> {
  await transact(
    () => [
      {
        Put: {
          TableName: table(),
          Item: { ...questionnaireKeys.draft(draft.id, draft.version), type: EntityType.questionnaireDraft, ...draft },
          ConditionExpression: 'revision = :seen',
          ExpressionAttributeValues: { ':seen': seenRevision },
        },
      },
      {
        Put: {
          TableName: table(),
          Item: headItem({ ...head, headRevision: head.headRevision + 1 }),
          ...headCondition(head),
        },
      },
    ],
    draft.id,
  );
}

/** Publishes a draft as its version: the version written once, the head moved, in one transaction. */
async function publish(
  head: QuestionnaireHead,
  draft: DraftRecord,
  version: StoredVersion,
  nextHead: QuestionnaireHead,
  also: TransactItem[] = [],
): Promise<void> {
  await transact(
    () => [
      {
        Put: {
          TableName: table(),
          Item: {
            ...questionnaireKeys.version(version.id, version.version),
            type: EntityType.questionnaireVersion,
            ...version,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: table(),
          Key: questionnaireKeys.draft(draft.id, draft.version),
          UpdateExpression: 'SET publishedAt = :at',
          ConditionExpression: 'revision = :seen AND attribute_not_exists(publishedAt)',
          ExpressionAttributeValues: { ':seen': draft.revision, ':at': version.publishedAt },
        },
      },
      { Put: { TableName: table(), Item: headItem(nextHead), ...headCondition(head) } },
      ...also,
    ],
    draft.id,
  );
}

/** Writes the head alone (retire), conditioned on it being as read. */
async function putHead(seen: QuestionnaireHead, next: QuestionnaireHead, also: TransactItem[] = []): Promise<void> {
  if (also.length) {
    await transact(
      () => [{ Put: { TableName: table(), Item: headItem(next), ...headCondition(seen) } }, ...also],
      seen.id,
    );
    return;
  }
  try {
    await dynamo().send(new PutCommand({ TableName: table(), Item: headItem(next), ...headCondition(seen) }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw lostRace();
    throw error;
  }
}

export const dynamoQuestionnaireStore: QuestionnaireStore = {
  getHead,
  getVersion,
  getDraft,
  listHeads,
  openDraft,
  saveDraft,
  publish,
  putHead,
};
