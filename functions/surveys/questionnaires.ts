/**
 * Use cases of questionnaires (contract "Questionnaires (v1.2)"): list, read a version, open a
 * draft (empty, given, or a copy), edit it under If-Match, publish it as a new immutable version,
 * retire. Surveys ask the newest published version of a questionnaire and keep that version.
 */
import { ulid } from 'ulidx';
import type { Actor } from '../../shared/domain/access.js';
import { Conflict, defined, Invalid, NotFound, PreconditionFailed } from '../../shared/domain/errors.js';
import type { PublishedQuestionnaire } from '../../shared/domain/questionnaires.js';
import type { IfMatch } from '../../shared/domain/versions.js';
import { fieldErrors } from '../../shared/schemas/field-errors.js';
import {
  type CreateQuestionnaireBody,
  PutQuestionnaireDraftBody,
  type Questionnaire,
} from '../../shared/schemas/questionnaires.js';
import {
  type DraftRecord,
  dynamoQuestionnaireStore,
  type QuestionnaireHead,
  type QuestionnaireStore,
  type StoredVersion,
} from '../../shared/store/questionnaires.js';
import { type ClientRequest, claimItems, claimOnly } from '../../shared/store/requests.js';

const store = (): QuestionnaireStore => dynamoQuestionnaireStore;

function versionView(head: QuestionnaireHead, version: StoredVersion): Questionnaire {
  return {
    id: version.id,
    version: version.version,
    status: head.status === 'retired' ? 'retired' : 'published',
    name: version.name,
    questions: version.questions,
    builtIn: head.builtIn,
    ...(version.publishedAt ? { publishedAt: version.publishedAt } : {}),
    ...(version.publishedBy ? { publishedBy: version.publishedBy } : {}),
    ...(head.retiredAt ? { retiredAt: head.retiredAt } : {}),
  };
}

function draftView(head: QuestionnaireHead, draft: DraftRecord): Questionnaire {
  return {
    id: draft.id,
    version: draft.version,
    status: 'draft',
    name: draft.name,
    questions: draft.questions,
    builtIn: head.builtIn,
    revision: draft.revision,
    updatedAt: draft.updatedAt,
    updatedBy: draft.updatedBy,
  };
}

/** A questionnaire and the ETag to answer with (a draft's revision; a published version's number). */
export interface QuestionnaireReply {
  questionnaire: Questionnaire;
  etag: string;
}

const reply = (questionnaire: Questionnaire): QuestionnaireReply => ({
  questionnaire,
  etag: `"${questionnaire.status === 'draft' ? questionnaire.revision : questionnaire.version}"`,
});

async function headOf(id: string): Promise<QuestionnaireHead> {
  const head = await store().getHead(id);
  if (!head) throw new NotFound(`No questionnaire ${id}.`);
  return head;
}

export async function listQuestionnaires() {
  const heads = await store().listHeads();
  return {
    items: heads.map((head) => ({
      id: head.id,
      status: head.status,
      name: head.name,
      builtIn: head.builtIn,
      latestVersion: head.latestVersion,
      draftVersion: head.draftVersion,
      questions: head.questionCount,
    })),
  };
}

/** A version (`draft`, a number, or by default the newest published one: the draft when none is). */
export async function readQuestionnaire(id: string, version?: string): Promise<QuestionnaireReply> {
  const head = await headOf(id);
  const wanted = version ?? (head.latestVersion > 0 ? String(head.latestVersion) : 'draft');
  if (wanted === 'draft') {
    const draft = head.draftVersion ? await store().getDraft(id, head.draftVersion) : undefined;
    if (!draft) throw new NotFound(`Questionnaire ${id} has no open draft.`);
    return reply(draftView(head, draft));
  }
  const stored = Number(wanted) <= head.latestVersion ? await store().getVersion(id, Number(wanted)) : undefined;
  if (!stored) throw new NotFound(`Questionnaire ${id} has no version ${wanted}.`);
  return reply(versionView(head, stored));
}

/**
 * What a keyed request's claim names (shared/store/requests.ts): the questionnaire and the version it
 * opened or published (`<id>@<version>`; ids are kebab-case), so a retry answers that version.
 */
const versionRef = (id: string, version: number) => `${id}@${version}`;

/**
 * A retried request's answer: the version a claim names (`<id>@<version>`) as it is now — published,
 * or the draft while it is one — or, for a claim naming the questionnaire alone, its newest version.
 */
export async function readClaimedQuestionnaire(ref: string): Promise<QuestionnaireReply> {
  const at = ref.lastIndexOf('@');
  if (at < 0) return readQuestionnaire(ref);
  const id = ref.slice(0, at);
  const version = Number(ref.slice(at + 1));
  const head = await headOf(id);
  if (version <= head.latestVersion) return readQuestionnaire(id, String(version));
  const draft = await store().getDraft(id, version);
  if (!draft) throw new NotFound(`Questionnaire ${id} has no version ${version}.`);
  return reply(draftView(head, draft));
}

/** The newest published version a survey asks now: 409 when retired or never published, 404 when unknown. */
export async function questionnaireToAsk(id: string): Promise<PublishedQuestionnaire> {
  const head = await headOf(id);
  if (head.status === 'retired') throw new Conflict(`Questionnaire ${id} is retired; surveys can no longer ask it.`);
  if (head.latestVersion === 0) throw new Conflict(`Questionnaire ${id} is a draft; publish it before surveys ask it.`);
  const version = await store().getVersion(id, head.latestVersion);
  if (!version) throw new NotFound(`No questionnaire ${id} version ${head.latestVersion}.`);
  return version;
}

/** A published version as a survey asks it again (its answers keep their version). */
export async function questionnaireVersion(id: string, version: number): Promise<PublishedQuestionnaire> {
  const stored = await store().getVersion(id, version);
  if (!stored) throw new NotFound(`No questionnaire ${id} version ${version}.`);
  return stored;
}

/**
 * Opens a draft: of a new questionnaire (version 1), or — when `id` names an existing one — of
 * its next version. Its text is `questions`, a copy of `copyOf`, or (for an existing
 * questionnaire) its newest version; a new one with neither starts empty.
 */
export async function createQuestionnaire(
  body: CreateQuestionnaireBody,
  actor: Actor,
  now: Date,
  request?: ClientRequest,
): Promise<QuestionnaireReply> {
  const source = body.copyOf ? await copySource(body.copyOf) : undefined;
  const id = body.id ?? `q-${ulid(now.getTime()).toLowerCase()}`;
  const existing = await store().getHead(id);
  if (existing?.status === 'retired') throw new Conflict(`Questionnaire ${id} is retired.`);
  if (existing?.draftVersion)
    throw new Conflict(
      `Questionnaire ${id} already has a draft of version ${existing.draftVersion}; edit it with PUT.`,
      {
        draftVersion: existing.draftVersion,
      },
    );
  const current =
    existing && existing.latestVersion > 0 ? await store().getVersion(id, existing.latestVersion) : undefined;
  const base = source ?? current;
  const name = body.name ?? base?.name;
  if (!name) throw Invalid.field('name', 'is required for a new questionnaire (unless copyOf names one)', 'required');
  const version = (existing?.latestVersion ?? 0) + 1;
  const draft: DraftRecord = {
    id,
    version,
    name,
    questions: body.questions ?? base?.questions ?? [],
    revision: 1,
    updatedAt: now.toISOString(),
    updatedBy: actor.id,
  };
  const head: QuestionnaireHead = existing
    ? { ...existing, draftVersion: version, headRevision: existing.headRevision + 1, updatedAt: draft.updatedAt }
    : {
        id,
        status: 'draft',
        name,
        builtIn: false,
        latestVersion: 0,
        draftVersion: version,
        questionCount: draft.questions.length,
        headRevision: 1,
        updatedAt: draft.updatedAt,
      };
  await store().openDraft(existing, head, draft, claimItems(request, versionRef(id, version), now));
  return reply(draftView(head, draft));
}

async function copySource(copyOf: NonNullable<CreateQuestionnaireBody['copyOf']>): Promise<StoredVersion> {
  const head = await store().getHead(copyOf.id);
  const version = copyOf.version ?? head?.latestVersion ?? 0;
  const stored =
    head && version > 0 && version <= head.latestVersion ? await store().getVersion(copyOf.id, version) : undefined;
  if (!stored) throw Invalid.field('copyOf.id', 'names no published questionnaire version', 'not_found');
  return stored;
}

async function openDraftOf(id: string): Promise<{ head: QuestionnaireHead; draft: DraftRecord }> {
  const head = await headOf(id);
  if (head.status === 'retired') throw new Conflict(`Questionnaire ${id} is retired.`);
  const draft = head.draftVersion ? await store().getDraft(id, head.draftVersion) : undefined;
  if (!draft)
    throw new Conflict(
      `Version ${head.latestVersion} of ${id} is published and never changes; open a draft of the next version with POST /questionnaires {"id":"${id}"}.`,
      { latestVersion: head.latestVersion },
    );
  return { head, draft };
}

/** Replaces the draft's name and questions; If-Match names the revision read (412 when stale). */
export async function saveQuestionnaireDraft(
  id: string,
  body: PutQuestionnaireDraftBody,
  ifMatch: IfMatch,
  actor: Actor,
  now: Date,
): Promise<QuestionnaireReply> {
  const { head, draft } = await openDraftOf(id);
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== draft.revision)
    throw new PreconditionFailed(
      `The draft of ${id} is at revision ${draft.revision}, you sent ${ifMatch}; read it again (GET ?version=draft) and retry.`,
    );
  const next: DraftRecord = {
    ...draft,
    name: body.name,
    questions: body.questions,
    revision: draft.revision + 1,
    updatedAt: now.toISOString(),
    updatedBy: actor.id,
  };
  // A questionnaire never published is listed with its draft's name and size.
  const unpublished = head.latestVersion === 0;
  const nextHead: QuestionnaireHead = {
    ...head,
    ...(unpublished ? { name: body.name, questionCount: body.questions.length } : {}),
    updatedAt: next.updatedAt,
  };
  await store().saveDraft(next, draft.revision, nextHead);
  return reply(draftView({ ...nextHead, headRevision: head.headRevision + 1 }, next));
}

/**
 * Publishes the open draft as the next version, which never changes again. With `request` (a keyed
 * POST) its claim names that version, in the publication's transaction: a retry after the draft is
 * gone (a 409 without the key) answers the version it published.
 */
export async function publishQuestionnaire(
  id: string,
  actor: Actor,
  now: Date,
  request?: ClientRequest,
): Promise<QuestionnaireReply> {
  const { head, draft } = await openDraftOf(id);
  const text = { name: draft.name, questions: draft.questions };
  const checked = PutQuestionnaireDraftBody.safeParse(text);
  if (!checked.success) {
    const errors = fieldErrors(checked.error, text);
    throw new Invalid(
      `The draft cannot be published: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      errors,
    );
  }
  const version: StoredVersion = {
    id,
    version: draft.version,
    name: draft.name,
    questions: draft.questions,
    publishedAt: now.toISOString(),
    publishedBy: actor.id,
  };
  const nextHead: QuestionnaireHead = {
    ...head,
    status: 'published',
    name: draft.name,
    latestVersion: draft.version,
    draftVersion: null,
    questionCount: draft.questions.length,
    headRevision: head.headRevision + 1,
    updatedAt: defined(version.publishedAt, 'the publication time'),
  };
  await store().publish(head, draft, version, nextHead, claimItems(request, versionRef(id, draft.version), now));
  return reply(versionView(nextHead, version));
}

/**
 * Retires a questionnaire: no new survey asks it; its versions and answers stay readable. Retiring
 * again answers it as it stands; with `request` (a keyed POST) the claim is written with the head,
 * or alone when it was retired already, so a retry is a replay either way.
 */
export async function retireQuestionnaire(
  id: string,
  _actor: Actor,
  now: Date,
  request?: ClientRequest,
): Promise<QuestionnaireReply> {
  const head = await headOf(id);
  if (head.status === 'retired') {
    await claimOnly(request, id, now);
    return readQuestionnaire(id);
  }
  if (head.latestVersion === 0)
    throw new Conflict(`Questionnaire ${id} was never published; there is nothing to retire (leave the draft unused).`);
  const next: QuestionnaireHead = {
    ...head,
    status: 'retired',
    draftVersion: null,
    retiredAt: now.toISOString(),
    headRevision: head.headRevision + 1,
    updatedAt: now.toISOString(),
  };
  await store().putHead(head, next, claimItems(request, id, now));
  return readQuestionnaire(id);
}
