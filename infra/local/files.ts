/**
 * The local stand-in for the exports bucket and its presigned links: files are written under a
 * directory (CARELOOP_DATA_DIR/files, else a temp dir) and served by the runtime itself at
 * `GET /_local/files/<key>?expires=<ms>&signature=<hmac>`. A link is signed (HMAC-SHA256 with a
 * key of this run) and expires by the runtime's clock, like an S3 presigned GET: a forged or
 * expired link is a 403.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import type { Clock } from '../../shared/domain/clock.js';
import type { FileStore } from '../../shared/jobs/ports.js';

export const LOCAL_FILES_PREFIX = '/_local/files/';

export interface LocalFiles extends FileStore {
  dir: string;
  /** Answers a GET of a link: the file, or why not (403 forged/expired, 404 gone). */
  serve(
    path: string,
    query: URLSearchParams,
  ): { status: 200; body: Buffer; contentType: string; fileName: string } | { status: 403 | 404; detail: string };
}

export function localFiles(options: {
  dir?: string | undefined;
  clock: () => Clock;
  baseUrl: () => string;
}): LocalFiles {
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'careloop-files-'));
  mkdirSync(root, { recursive: true });
  const secret = randomBytes(32);
  const sign = (key: string, expires: number) =>
    createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');
  const fileOf = (key: string) => {
    const path = normalize(join(root, key));
    if (!path.startsWith(root)) throw new Error(`file key outside the store: ${key}`);
    return path;
  };
  return {
    dir: root,
    async put(key, body, contentType, fileName) {
      const path = fileOf(key);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body);
      writeFileSync(`${path}.meta.json`, JSON.stringify({ contentType, fileName }));
    },
    async link(key, expiresInSeconds) {
      const expires = options.clock().now().getTime() + expiresInSeconds * 1000;
      const url = `${options.baseUrl()}${LOCAL_FILES_PREFIX}${key.split('/').map(encodeURIComponent).join('/')}?expires=${expires}&signature=${sign(key, expires)}`;
      return { url, expiresAt: new Date(expires).toISOString() };
    },
    serve(path, query) {
      const key = path.slice(LOCAL_FILES_PREFIX.length).split('/').map(decodeURIComponent).join('/');
      const expires = Number(query.get('expires'));
      const given = Buffer.from(query.get('signature') ?? '', 'utf8');
      const expected = Buffer.from(sign(key, expires), 'utf8');
      if (!Number.isFinite(expires) || given.length !== expected.length || !timingSafeEqual(given, expected))
        return { status: 403, detail: 'This link is not valid.' };
      if (options.clock().now().getTime() > expires)
        return { status: 403, detail: 'This link has expired; read the export job again for a new one.' };
      const file = fileOf(key);
      if (!existsSync(file)) return { status: 404, detail: 'The file is gone (exports are kept 7 days).' };
      const meta = JSON.parse(readFileSync(`${file}.meta.json`, 'utf8')) as { contentType: string; fileName: string };
      return { status: 200, body: readFileSync(file), ...meta };
    },
  };
}
