/**
 * The AWS adapter of each channel (SES for email, SNS for SMS), made exactly-once by the
 * message ledger. A Lambda that sends installs the channels it uses with
 * `provideDefaults(awsSenders('email', 'sms', 'wechat'))`; the SDK clients load on the first message.
 * A Lambda that only emails installs `awsEmailSender()`, so its bundle leaves the SMS and WeChat
 * adapters out (the WeChat one is 4 KiB; issue 26: the `reports` function over 350 KiB).
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

const exactlyOnce = <C extends MessageChannel>(channel: C, transport: Transport<ChannelMessages[C]>) =>
  onceSender(channel, transport, dynamoMessageLedger, () => ports().clock);

/** The senders of `channels` for `provideDefaults`, each made when first installed. */
export function awsSenders<C extends MessageChannel>(...channels: C[]): { [K in C]: () => Senders[K] } {
  return Object.fromEntries(
    channels.map((channel) => [channel, () => exactlyOnce(channel, AWS_TRANSPORTS[channel]())]),
  ) as { [K in C]: () => Senders[K] };
}

/** The email sender alone (SES), for `provideDefaults` in a function that sends nothing else. */
export function awsEmailSender(): { email: () => Senders['email'] } {
  return { email: () => exactlyOnce('email', sesTransport()) };
}
