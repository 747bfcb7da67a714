/**
 * Where the links in customers' messages point: `<publicBaseUrl>/s/<token>` (survey) and
 * `<publicBaseUrl>/c/<token>` (complaint confirmation), pages the API serves itself.
 *
 * The one rule for the base, used by CDK and the local runtime alike: a configured custom
 * domain if there is one, else the API's own URL (in AWS the stage's execute-api URL, locally
 * the local server). Functions read the result from CARELOOP_PUBLIC_BASE_URL.
 */
export const PUBLIC_BASE_URL_ENV = 'CARELOOP_PUBLIC_BASE_URL';

/** The base links use: the configured one, else the API's own URL. */
export function publicBaseUrlFor(ownUrl: string, configured?: string | undefined): string {
  return (configured ?? ownUrl).replace(/\/+$/, '');
}

/** A base that a customer's phone could never reach. */
export function isLocalhost(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return (
      host === 'localhost' ||
      host.endsWith('.localhost') ||
      host === '[::1]' ||
      /^127\./.test(host) ||
      host === '0.0.0.0'
    );
  } catch {
    return false;
  }
}

/** The base in force: CARELOOP_PUBLIC_BASE_URL (set by CDK and by the local runtime), else the local default. */
export function publicBaseUrl(): string {
  return publicBaseUrlFor(
    `http://localhost:${process.env.PORT ?? 3000}`,
    process.env[PUBLIC_BASE_URL_ENV] || undefined,
  );
}

export const surveyPageUrl = (token: string) => `${publicBaseUrl()}/s/${token}`;
export const confirmationPageUrl = (token: string) => `${publicBaseUrl()}/c/${token}`;
