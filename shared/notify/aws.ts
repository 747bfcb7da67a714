/**
 * The AWS adapter of each channel (SES for email, SNS for SMS), made exactly-once by the
 * message ledger. A Lambda that sends installs the channels it uses with
 * `provideDefaults(awsSenders('email', 'sms', 'wechat'))`; the SDK clients load on the first message.
 */
import type { MessageChannel } from '../domain/message-ids.js';
import { ports } from '../ports.js';
import { dynamoMessageLedger } from '../store/messages.js';
import { onceSender } from './once.js';
import type { ChannelMessages, Senders, Transport } from './ports.js';
import { sesTransport } from './ses.js';
import { snsTransport } from './sns.js';
import { wechatCredentialsFromEnvironment, wechatTransport } from './wechat.js';

const AWS_TRANSPORTS: { [C in MessageChannel]: () => Transport<ChannelMessages[C]> } = {
  email: () => sesTransport(),
  sms: () => snsTransport(),
  // The Official Account's appid and secret from Secrets Manager (read once per cold start).
  wechat: () => wechatTransport({ credentials: wechatCredentialsFromEnvironment() }),
};

/** The senders of `channels` for `provideDefaults`, each made when first installed. */
export function awsSenders<C extends MessageChannel>(...channels: C[]): { [K in C]: () => Senders[K] } {
  return Object.fromEntries(
    channels.map((channel) => [
      channel,
      () => onceSender(channel, AWS_TRANSPORTS[channel](), dynamoMessageLedger, () => ports().clock),
    ]),
  ) as { [K in C]: () => Senders[K] };
}
