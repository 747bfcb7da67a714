/**
 * What a survey is about: an interaction or a complaint. The survey needs from its subject
 * only the customer and the cell its response is counted in (the subject's service day,
 * channel and team), so each subject type plugs in one lookup here.
 */
import { dynamoInteractionStore } from '../../shared/store/interactions.js';
import type { SurveySubjectType } from '../../shared/schemas/surveys.js';

export interface SurveySubject {
  type: SurveySubjectType;
  id: string;
  customerId: string;
  /** Local date under which the subject is counted in KPIs (interaction: started; complaint: registered). */
  serviceDay: string;
  channel: string;
  team?: string | undefined;
}

/** Finds a subject by id, or undefined when there is none. */
export type SubjectLookup = (id: string) => Promise<SurveySubject | undefined>;

export const interactionSubject: SubjectLookup = async (id) => {
  const interaction = await dynamoInteractionStore.get(id);
  if (!interaction) return undefined;
  return { type: 'interaction', id, customerId: interaction.customerId, serviceDay: interaction.serviceDay, channel: interaction.channel, team: interaction.team };
};

/**
 * Complaints are built on their own branch; until their store is merged no complaint can be
 * found, so a complaint subject is a 404. When it lands, replace this with a lookup on the
 * complaint store (customerId, registration serviceDay, channel, team).
 */
export const complaintSubject: SubjectLookup = async () => undefined;

export const SUBJECT_LOOKUPS: Record<SurveySubjectType, SubjectLookup> = {
  interaction: interactionSubject,
  complaint: complaintSubject,
};
