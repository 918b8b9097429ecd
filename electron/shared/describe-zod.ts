import type { z } from 'zod';

/** "a.b: message; c: message" — one readable line for the CLI and the app. */
export function describeZodError(e: z.ZodError, prefix = ''): string {
  return e.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}
