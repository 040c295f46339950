// Slows and then stops password guessing, per account and per client address, with counters in Redis so that
// every server process shares them. Failures in a row count, each within the lock time of the one before; a success
// clears the account's.
import type { Redis } from 'ioredis';
import { DomainError, type ErrorParams } from '../errors.js';

export class TooManyAttempts extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    params: ErrorParams,
  ) {
    super('too_many_attempts', message, { code: 'too_many_attempts', params });
  }
}

export interface LoginGuardPolicy {
  /** Failed logins of one account (or 5× this from one address) that lock it for `lockSeconds`. */
  lockAfter: number;
  lockSeconds: number;
  /** Delay before answering the third failure in a row; it doubles with each further failure. */
  baseDelayMs: number;
}

const DELAY_FROM = 3;
const ADDRESS_FACTOR = 5;

export class LoginGuard {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly policy: LoginGuardPolicy,
  ) {}

  /** Throws TooManyAttempts while the account or the address is locked. */
  async assertOpen(username: string, address: string): Promise<void> {
    const [account, fromAddress] = await Promise.all([this.lockLeft(this.accountKey(username)), this.lockLeft(this.addressKey(address))]);
    const left = Math.max(account, fromAddress);
    if (left > 0) {
      const minutes = Math.ceil(left / 60);
      throw new TooManyAttempts(`too many failed logins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, left, { minutes });
    }
  }

  /** Counts a failure and returns how long to wait before answering it. */
  async failed(username: string, address: string): Promise<number> {
    const [failures] = await Promise.all([this.count(this.accountKey(username), this.policy.lockAfter), this.count(this.addressKey(address), this.policy.lockAfter * ADDRESS_FACTOR)]);
    return failures < DELAY_FROM ? 0 : Math.min(this.policy.baseDelayMs * 2 ** (failures - DELAY_FROM), 8_000);
  }

  async succeeded(username: string): Promise<void> {
    await this.redis.del(this.accountKey(username));
  }

  private accountKey(username: string): string {
    return `${this.prefix}:login:account:${username.trim().toLowerCase()}`;
  }

  private addressKey(address: string): string {
    return `${this.prefix}:login:address:${address}`;
  }

  /**
   * Adds a failure; at `limit` the key is locked for the whole lock time. Failures count as "in a row" while each
   * comes within the lock time of the one before. Returns the failures so far.
   */
  private async count(key: string, limit: number): Promise<number> {
    const [[, failures]] = (await this.redis.multi().incr(key).expire(key, this.policy.lockSeconds).exec()) as [[null, number]];
    if (failures >= limit) await this.redis.set(`${key}:locked`, '1', 'EX', this.policy.lockSeconds, 'NX');
    return failures;
  }

  private async lockLeft(key: string): Promise<number> {
    return Math.max(0, await this.redis.ttl(`${key}:locked`));
  }
}
