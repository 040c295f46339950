import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, newToken, tokenHash, verifyPassword } from './secrets.js';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored.startsWith('scrypt$')).toBe(true);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct hors', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('rejects a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });
});

describe('tokens', () => {
  it('are prefixed, unique and hashed deterministically', () => {
    const a = newToken('tbn');
    expect(a).toMatch(/^tbn_[A-Za-z0-9_-]{43}$/);
    expect(newToken('tbn')).not.toBe(a);
    expect(tokenHash(a)).toBe(tokenHash(a));
    expect(tokenHash(a)).toHaveLength(64);
  });

  it('generates passwords of the asked length without ambiguous characters', () => {
    const pw = generatePassword(20);
    expect(pw).toHaveLength(20);
    expect(pw).not.toMatch(/[0O1lI]/);
  });
});
