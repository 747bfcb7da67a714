import { describe, expect, it } from 'vitest';
import { compose } from '../../../shared/notify/channels.js';
import type { ChannelMessages, Sender, Senders } from '../../../shared/notify/ports.js';
import { failuresOf, send, sendEach } from '../../../shared/notify/send.js';

/** Senders that keep what they were given, per channel; `refuse` names message ids that fail. */
function recordingSenders(refuse: string[] = []) {
  const got: Array<[string, unknown]> = [];
  const sender = <C extends keyof ChannelMessages>(channel: C): Sender<ChannelMessages[C]> => ({
    async send(message) {
      if (refuse.includes(message.id)) throw new Error(`${message.id} refused`);
      got.push([channel, message]);
      return { messageId: message.id, status: 'sent' };
    },
  });
  const senders: Senders = { email: sender('email'), sms: sender('sms'), wechat: sender('wechat') };
  return { senders, got };
}

describe('the one send path', () => {
  it('hands each message to the sender of its channel', async () => {
    const { senders, got } = recordingSenders();
    await send({ channel: 'sms', id: 'm-1', to: '+8613800000000', text: 'hi' }, senders);
    await send({ channel: 'email', id: 'm-2', to: ['a@example.com'], subject: 's', text: 't' }, senders);
    expect(got.map(([channel, message]) => [channel, (message as { id: string }).id])).toEqual([
      ['sms', 'm-1'],
      ['email', 'm-2'],
    ]);
  });

  it("composes a notice's words for a channel: the short form for a text message, subject and text for email", () => {
    const words = { subject: 'About your complaint', text: 'The long text', short: 'Short' };
    expect(compose('sms', 'id-1', '+8613800000000', words)).toEqual({
      channel: 'sms',
      id: 'id-1',
      to: '+8613800000000',
      text: 'Short',
    });
    expect(compose('email', 'id-2', 'a@example.com', words)).toEqual({
      channel: 'email',
      id: 'id-2',
      to: ['a@example.com'],
      subject: 'About your complaint',
      text: 'The long text',
    });
    expect(compose('sms', 'id-3', '+86', { subject: 's', text: 'only text' })).toMatchObject({ text: 'only text' });
  });

  it('tries every message even when one fails, and reports the failures in order', async () => {
    const { senders, got } = recordingSenders(['bad']);
    const sent = await sendEach(
      [
        { channel: 'email', id: 'bad', to: ['a@example.com'], subject: 's', text: 't' },
        { channel: 'sms', id: 'good', to: '+8613800000000', text: 't' },
      ],
      senders,
    );
    expect(sent.map((s) => s.ok)).toEqual([false, true]);
    expect(failuresOf(sent).map((e) => e.message)).toEqual(['bad refused']);
    expect(got.map(([, message]) => (message as { id: string }).id)).toEqual(['good']);
  });
});
