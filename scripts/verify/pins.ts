// Reads what `--pin` names: a directory saved by `--save` (its jwks.json and
// checkpoints.json), or files, each a JWKS, a checkpoint list or one checkpoint.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import type { Pins, PublishedCheckpoint } from '../../src/audit/offline-verify.js';

/** The keys and checkpoints pinned by these paths, merged (each once). */
export function readPins(paths: readonly string[]): Pins {
  const keys = new Map<string, JSONWebKeySet['keys'][number]>();
  const checkpoints = new Map<string, PublishedCheckpoint>();
  const take = (path: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`--pin ${path}: not readable JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const value = parsed as { keys?: unknown; items?: unknown; jws?: unknown; seq?: unknown };
    if (Array.isArray(value.keys)) for (const k of value.keys as JSONWebKeySet['keys']) keys.set(JSON.stringify([k.kid, k.x, k.n]), k);
    else if (Array.isArray(value.items)) for (const c of value.items as PublishedCheckpoint[]) checkpoints.set(c.jws, c);
    else if (typeof value.jws === 'string' && typeof value.seq === 'number') checkpoints.set(value.jws, value as PublishedCheckpoint);
    else throw new Error(`--pin ${path}: neither a JWKS ({ keys }), a checkpoint list ({ items }) nor a checkpoint`);
  };
  for (const path of paths) {
    if (!existsSync(path)) throw new Error(`--pin ${path}: no such file or directory`);
    if (!statSync(path).isDirectory()) {
      take(path);
      continue;
    }
    const saved = ['jwks.json', 'checkpoints.json'].map((name) => join(path, name)).filter((file) => existsSync(file));
    if (saved.length === 0) throw new Error(`--pin ${path}: holds neither jwks.json nor checkpoints.json (a directory written by --save)`);
    saved.forEach(take);
  }
  return { jwks: { keys: [...keys.values()] }, checkpoints: [...checkpoints.values()] };
}
