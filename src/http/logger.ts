/** Structured logging: one JSON object per line, never tokens, keys or personal details. */
export interface Logger {
  info(fields: Record<string, unknown>): void;
  error(fields: Record<string, unknown>): void;
}

/** Writes JSON lines through `write` (stdout in the Node entry, console in Workers). */
export function jsonLogger(write: (line: string) => void): Logger {
  const emit = (level: string, fields: Record<string, unknown>) =>
    write(JSON.stringify({ time: new Date().toISOString(), level, ...fields }));
  return { info: (f) => emit('info', f), error: (f) => emit('error', f) };
}

/** Discards everything (tests). */
export const silentLogger: Logger = { info: () => {}, error: () => {} };
