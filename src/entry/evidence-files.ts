import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { EvidenceStore } from '../evidence/store.js';

/**
 * Evidence as files under `<data folder>/evidence/ab/abcdef…` (the first two hex digits of the
 * SHA-256 make the subfolder, so no folder holds too many). Written to a temporary name and
 * renamed, so a reader never sees half a file.
 */
export function fileEvidenceStore(folder: string): EvidenceStore {
  const pathOf = (sha256: string) => join(folder, sha256.slice(0, 2), sha256);
  return {
    async put(sha256, bytes) {
      const path = pathOf(sha256);
      if (await stat(path).then(() => true, () => false)) return;
      await mkdir(join(folder, sha256.slice(0, 2)), { recursive: true });
      const temporary = `${path}.${randomUUID()}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    },
    async get(sha256) {
      try {
        return new Uint8Array(await readFile(pathOf(sha256)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}
