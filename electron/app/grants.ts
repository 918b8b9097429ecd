/**
 * Grants: how a session file may name an absolute data path without letting a crafted file make
 * the app read whatever it names. When the app saves a session it signs each dataset it read from a
 * path the user picked (dialog, recent list, command line) with this installation's secret key:
 *
 *   grant = HMAC-SHA256(key, "manifold-explorer-grant\0" ‖ path ‖ "\0" ‖ sha256)   (hex)
 *
 * Opening the session reads that path only when the grant verifies, so the app's own autosave and
 * saved sessions reopen their data, while a file written elsewhere (without the key) cannot name
 * a path. The key is 32 random bytes in the app's user-data folder, created on first use with mode
 * 0600; nothing else of it leaves this module.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Grants {
  sign(path: string, sha256: string): string;
  verify(path: string, sha256: string, grant: string): boolean;
}

const KEY_BYTES = 32;

/** The per-installation key, read (or created) on first use. */
export class GrantKey implements Grants {
  private key: Buffer | undefined;

  constructor(private readonly file: string) {}

  private load(): Buffer {
    if (this.key) return this.key;
    try {
      const k = readFileSync(this.file);
      if (k.length === KEY_BYTES) return (this.key = k);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    // Missing (or not a key of ours): make one. 'wx' fails if another process just made one; then
    // read theirs, so two instances of the app agree on the key.
    const fresh = randomBytes(KEY_BYTES);
    mkdirSync(dirname(this.file), { recursive: true });
    try {
      writeFileSync(this.file, fresh, { mode: 0o600, flag: 'wx' });
      return (this.key = fresh);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const k = readFileSync(this.file);
      if (k.length === KEY_BYTES) return (this.key = k);
      // A file of the wrong size where the key belongs: replace it (old grants become invalid,
      // which only means those sessions ask for their data again).
      writeFileSync(this.file, fresh, { mode: 0o600 });
      chmodSync(this.file, 0o600);
      return (this.key = fresh);
    }
  }

  private mac(path: string, sha256: string): Buffer {
    return createHmac('sha256', this.load())
      .update(`manifold-explorer-grant\0${path}\0${sha256}`, 'utf8')
      .digest();
  }

  sign(path: string, sha256: string): string {
    return this.mac(path, sha256).toString('hex');
  }

  verify(path: string, sha256: string, grant: string): boolean {
    if (!/^[0-9a-f]{64}$/.test(grant)) return false;
    return timingSafeEqual(this.mac(path, sha256), Buffer.from(grant, 'hex'));
  }
}
