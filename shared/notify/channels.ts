/**
 * What differs between channels, one entry each: how a notice's words become the channel's
 * message for one address, and which provider answers blame the address. A third channel
 * (WeChat) is its name in MESSAGE_CHANNELS (shared/domain/message-ids.ts), its message type in
 * ChannelMessages (ports.ts), one entry here, and its adapter: a Transport for AWS (aws.ts) and
 * its local stand-in (outbox.ts). The compiler asks for each once the name is added.
 */
import type { MessageChannel } from '../domain/message-ids.js';
import { isTransient } from '../transient.js';
import { type ChannelMessages, DeliveryFailed, type OutgoingMessage } from './ports.js';

/** Words without a WeChat template (none configured for this kind of message): not for WeChat. */
export const WECHAT_NO_TEMPLATE = 'no_wechat_template';

/** A notice's words, for any channel: the email's subject and text (and HTML), the short form for a text message. */
export interface NoticeWords {
  subject: string;
  text: string;
  html?: string | undefined;
  /** The short form (an SMS); the text when absent. */
  short?: string | undefined;
  /**
   * The WeChat template message of these words: the Official Account's template id for this
   * kind of message (settings messaging.wechat.templates) and its fields; without it the words
   * cannot go by WeChat.
   */
  wechat?: { templateId: string; fields: Record<string, string>; url?: string | undefined } | undefined;
}

interface ChannelRules<C extends MessageChannel> {
  /** The message of `words` to one address on this channel, under the message id `id`. */
  compose(id: string, address: string, words: NoticeWords): ChannelMessages[C];
  /** True when the provider's answer blames the address itself (a hard bounce, an invalid or opted-out number). */
  addressRefused(errorName: string, errorMessage: string): boolean;
}

export const CHANNELS: { [C in MessageChannel]: ChannelRules<C> } = {
  email: {
    compose: (id, address, { subject, text, html }) => ({
      id,
      to: [address],
      subject,
      text,
      ...(html ? { html } : {}),
    }),
    // SES on a malformed address or a hard bounce.
    addressRefused: (name, message) =>
      name === 'HardBounce' ||
      (name === 'BadRequestException' && /(illegal|invalid|malformed) (email )?address/i.test(message)),
  },
  wechat: {
    compose: (id, address, { subject, text, wechat }) => {
      if (!wechat)
        throw new DeliveryFailed(`wechat not delivered: ${WECHAT_NO_TEMPLATE}`, false, { channel: 'wechat' });
      return {
        id,
        to: address,
        templateId: wechat.templateId,
        ...(wechat.url ? { url: wechat.url } : {}),
        data: Object.keys(wechat.fields).length ? wechat.fields : { first: subject, remark: text },
      };
    },
    // 43004 (not following the account) and 43101 (refused): the adapter marks them itself.
    addressRefused: () => false,
  },
  sms: {
    compose: (id, address, { text, short }) => ({ id, to: address, text: short ?? text }),
    // SNS on an invalid or opted-out number.
    addressRefused: (name, message) =>
      (/^InvalidParameter(Exception)?$/.test(name) && /phone ?number/i.test(message)) ||
      name === 'OptedOutException' ||
      /opted[ -]?out/i.test(message),
  },
};

/** `words` to `address` on `channel`, as the message `send` takes. */
export function compose<C extends MessageChannel>(
  channel: C,
  id: string,
  address: string,
  words: NoticeWords,
): OutgoingMessage<C> {
  return { channel, ...CHANNELS[channel].compose(id, address, words) } as OutgoingMessage<C>;
}

/** A provider's error as DeliveryFailed: transient ones (shared/transient.ts) may be retried, the rest may not. */
export function deliveryFailure(error: unknown, channel: MessageChannel): DeliveryFailed {
  if (error instanceof DeliveryFailed) return error;
  const { name = 'Error', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
  const retryable = isTransient(error);
  return new DeliveryFailed(`${channel} not delivered: ${name}: ${message}`, retryable, {
    cause: error,
    channel,
    addressRefused: !retryable && CHANNELS[channel].addressRefused(name, message),
  });
}
