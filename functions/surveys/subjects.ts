/**
 * What a survey is about: an interaction or a complaint. The survey needs from its subject
 * only the customer and the cell its response is counted in (the subject's service day,
 * channel and team), so each subject type plugs in one lookup here.
 */

import type { SurveySubjectKind, SurveySubjectType } from '../../shared/schemas/surveys.js';
import { dynamoComplaintStore } from '../../shared/store/complaints.js';
import { dynamoInteractionStore } from '../../shared/store/interactions.js';

export interface SurveySubject {
  type: SurveySubjectKind;
  id: string;
  customerId: string;
  /** Local date under which the subject is counted in KPIs (interaction: started; complaint: registered). */
  serviceDay: string;
  channel: string;
  team?: string | undefined;
  /** Whose per-agent figures the answer also counts in: the interaction's agent, the complaint's assignee. */
  agentId?: string | undefined;
  /** Who besides the team may change the subject (contract "Auth"), so may invite a survey about it. */
  people: Array<string | undefined>;
}

/** Finds a subject by id, or undefined when there is none. */
export type SubjectLookup = (id: string) => Promise<SurveySubject | undefined>;

export const interactionSubject: SubjectLookup = async (id) => {
  const interaction = await dynamoInteractionStore.get(id);
  if (!interaction) return undefined;
  return {
    type: 'interaction',
    id,
    customerId: interaction.customerId,
    serviceDay: interaction.serviceDay,
    channel: interaction.channel,
    team: interaction.team,
    agentId: interaction.agentId,
    people: [interaction.agentId, interaction.createdBy],
  };
};

/** A complaint's survey (second-round satisfaction) counts on the day the complaint was registered. */
export const complaintSubject: SubjectLookup = async (id) => {
  const complaint = await dynamoComplaintStore.get(id);
  if (!complaint) return undefined;
  return {
    type: 'complaint',
    id,
    customerId: complaint.customerId,
    serviceDay: complaint.serviceDay,
    channel: complaint.channel,
    team: complaint.team,
    agentId: complaint.assigneeId,
    people: [complaint.assigneeId],
  };
};

export const SUBJECT_LOOKUPS: Record<SurveySubjectType, SubjectLookup> = {
  interaction: interactionSubject,
  complaint: complaintSubject,
};
