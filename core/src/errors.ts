// The domain's error set; the server maps each to one HTTP status in one place.

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends DomainError {
  constructor(message: string) {
    super('not_found', message);
  }
}

export class Invalid extends DomainError {
  constructor(message: string) {
    super('invalid', message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'login required') {
    super('unauthorized', message);
  }
}

/** A part of the installation the request needs is missing (a tool, a service); the message names it. */
export class Unavailable extends DomainError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

export class Forbidden extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}
