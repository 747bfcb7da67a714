import { describe, expect, it } from 'vitest';
import {
  messageIdOfSesTag,
  parseDeliveryRecord,
  SES_MESSAGE_TAG,
  sesMessageTag,
  UnreadableDeliveryEvent,
} from '../../../shared/domain/delivery-events.js';
import { followUpTaskOf } from '../../../shared/domain/message-ids.js';

const tagged = (id: string) => ({
  tags: { [SES_MESSAGE_TAG]: [sesMessageTag(id)] },
  timestamp: '2026-11-10T02:31:00Z',
});

describe('delivery events', () => {
  it('round-trips any message id through an SES tag value (letters, digits, _ and - only)', () => {
    for (const id of ['followup:invite:interaction:01J', 'report-2026-10@careloop', '投诉:x']) {
      expect(sesMessageTag(id)).toMatch(/^[\w-]+$/);
      expect(messageIdOfSesTag(sesMessageTag(id))).toBe(id);
    }
  });

  it('reads an SES identity notification inside an SNS envelope (raw delivery off) like an event', () => {
    const inner = {
      notificationType: 'Bounce',
      mail: tagged('followup:x'),
      bounce: { bounceType: 'Permanent', bounceSubType: 'NoEmail', bouncedRecipients: [{ emailAddress: 'a@b.cn' }] },
    };
    const [event] = parseDeliveryRecord(JSON.stringify({ Type: 'Notification', Message: JSON.stringify(inner) }));
    expect(event).toMatchObject({
      channel: 'email',
      messageId: 'followup:x',
      status: 'bounced',
      problem: 'hard_bounce',
      permanent: true,
      addresses: ['a@b.cn'],
    });
  });

  it('ignores what says nothing about delivery, and messages without our tag', () => {
    expect(parseDeliveryRecord(JSON.stringify({ eventType: 'Send', mail: tagged('m') }))).toEqual([]);
    expect(parseDeliveryRecord(JSON.stringify({ eventType: 'Bounce', mail: { tags: {} } }))).toEqual([]);
    expect(parseDeliveryRecord(JSON.stringify({ Type: 'SubscriptionConfirmation' }))).toEqual([]);
  });

  it('tells a refused SMS number (permanent) from one the network could not reach (not)', () => {
    const status = (providerResponse: string) =>
      parseDeliveryRecord(
        JSON.stringify({
          notification: { messageId: 'sns-1', timestamp: 't' },
          delivery: { destination: '+8613700000000', providerResponse },
          status: 'FAILURE',
        }),
      )[0];
    expect(status('Phone number is opted out')).toMatchObject({ problem: 'refused', permanent: true });
    expect(status('Invalid phone number')).toMatchObject({ problem: 'refused', permanent: true });
    expect(status('Phone is currently unreachable/unavailable')).toMatchObject({
      status: 'failed',
      problem: 'undeliverable',
      permanent: false,
    });
  });

  it('refuses what no provider sends', () => {
    for (const body of ['not json', '[]', '{"hello":1}', '{"Type":"Notification","Message":"x"}'])
      expect(() => parseDeliveryRecord(body), body).toThrow(UnreadableDeliveryEvent);
  });

  it('finds the follow-up task of a message id, and none for other messages', () => {
    expect(followUpTaskOf('followup:invite:interaction:I-1')).toBe('invite:interaction:I-1');
    expect(followUpTaskOf('escalation-X-respond-l1-email')).toBeUndefined();
    expect(followUpTaskOf('followup:')).toBeUndefined();
  });
});
