/**
 * What a message costs, measured as it is marked sent (shared/store/messages.ts adds it to the
 * messaging counters in the same transaction): its channel, SMS segments and list cost at the
 * prices in force (settings messaging.prices), on the local business day.
 */

import { type MessageChannel, surveyMessageOf } from '../domain/message-ids.js';
import { MESSAGING_CHANNELS, type MessagingChannel, messageCost, messageSegments } from '../domain/messaging.js';
import { localDate } from '../domain/time.js';
import type { MessageMeter } from '../store/messaging-counters.js';
import { dynamoSettingsStore } from '../store/settings.js';
import type { ChannelMessages } from './ports.js';

export type Meter = <C extends MessageChannel>(
  channel: C,
  message: ChannelMessages[C],
  sentAt: Date,
) => Promise<MessageMeter | undefined>;

/** The text a channel's message is billed on (SMS: by segment). */
const billedText = (message: { text?: string }) => message.text ?? '';

/** List price from the settings in force (cached for a minute, as every reader of them). */
export const listPriceMeter: Meter = async (channel, message, sentAt) => {
  if (!(MESSAGING_CHANNELS as readonly string[]).includes(channel)) return undefined;
  const { settings } = await dynamoSettingsStore.current();
  const priced = channel as MessagingChannel;
  const segments = messageSegments(priced, billedText(message as { text?: string }));
  return {
    channel: priced,
    day: localDate(sentAt, settings.timezone),
    segments,
    costMicroUsd: Math.round(messageCost(priced, segments, settings.messaging.prices) * 1e6),
    survey: surveyMessageOf(message.id),
  };
};
