/**
 * What messaging costs, counted as messages go out: each message marked sent in the ledger
 * ADDs to its cell (local day × channel) in the same transaction as the mark, so a message is
 * counted once however often its send is retried. `/metrics` sums the cells of a period.
 * Costs are kept in micro-USD (integers), so sums are exact.
 */
import { MESSAGING_CHANNELS, type MessagingChannel } from '../domain/messaging.js';
import { forEachCounterItem, pickCounterItem } from './aggregates.js';
import { EntityType, messagingCounterKeys } from './keys.js';
import { MAIN_TABLE, tableName } from './table.js';
import type { TransactItem } from './transact.js';

/** What the messaging counters answer: sends, segments and cost per channel over days. */
export interface MessagingCounterStore {
  /** The messaging counters of the days `from`..`to`: months × AGGREGATE_SHARDS Queries. */
  readMessagingTotals(from: string, to: string): Promise<MessagingTotals>;
}

/** What one message adds to its day's cell. */
export interface MessageMeter {
  channel: MessagingChannel;
  /** Local business day (settings time zone) of the send. */
  day: string;
  /** SMS segments (0 on other channels). */
  segments: number;
  /** List cost in micro-USD. */
  costMicroUsd: number;
  /** A survey message: its invitation (counts an invitation) or a reminder. */
  survey?: 'invitation' | 'reminder' | undefined;
}

/** The counter ADD of one sent message (a random shard and slot, as every counter write). */
export function messagingCounterUpdate(meter: MessageMeter, attempt = 1): TransactItem {
  const { shard, slot } = pickCounterItem(attempt);
  const adds: Record<string, number> = {
    sent: 1,
    segments: meter.segments,
    cost_micro_usd: meter.costMicroUsd,
    ...(meter.survey ? { survey_cost_micro_usd: meter.costMicroUsd } : {}),
    ...(meter.survey === 'invitation' ? { survey_invitations: 1 } : {}),
  };
  const names: Record<string, string> = { '#type': 'type', '#day': 'day', '#channel': 'channel' };
  const values: Record<string, unknown> = {
    ':type': EntityType.messagingCounter,
    ':day': meter.day,
    ':channel': meter.channel,
  };
  const clauses = Object.entries(adds).map(([name, value], i) => {
    names[`#c${i}`] = name;
    values[`:c${i}`] = value;
    return `#c${i} :c${i}`;
  });
  return {
    Update: {
      TableName: tableName(MAIN_TABLE),
      Key: messagingCounterKeys.cell(meter.day, meter.channel, shard, slot),
      UpdateExpression: `SET #type = :type, #day = :day, #channel = :channel ADD ${clauses.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

export interface MessagingTotals {
  byChannel: Record<MessagingChannel, { sent: number; segments: number; costMicroUsd: number }>;
  surveyCostMicroUsd: number;
  surveyInvitations: number;
}

/** The messaging counters of the days `from`..`to`: months × AGGREGATE_SHARDS Queries. */
async function readMessagingTotals(from: string, to: string): Promise<MessagingTotals> {
  const totals: MessagingTotals = {
    byChannel: Object.fromEntries(
      MESSAGING_CHANNELS.map((channel) => [channel, { sent: 0, segments: 0, costMicroUsd: 0 }]),
    ) as MessagingTotals['byChannel'],
    surveyCostMicroUsd: 0,
    surveyInvitations: 0,
  };
  await forEachCounterItem(from, to, messagingCounterKeys.monthPartition, messagingCounterKeys.dayRange, (item) => {
    const { channel } = messagingCounterKeys.parseCell(String(item.sk));
    const row = totals.byChannel[channel as MessagingChannel];
    if (!row) return;
    row.sent += Number(item.sent ?? 0);
    row.segments += Number(item.segments ?? 0);
    row.costMicroUsd += Number(item.cost_micro_usd ?? 0);
    totals.surveyCostMicroUsd += Number(item.survey_cost_micro_usd ?? 0);
    totals.surveyInvitations += Number(item.survey_invitations ?? 0);
  });
  return totals;
}

export const dynamoMessagingCounterStore: MessagingCounterStore = { readMessagingTotals };
