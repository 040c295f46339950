// The domain's error set; the server maps each kind to one HTTP status in one place.
//
// Every error has a kind (invalid, not_found, …: the HTTP status) and a stable `code` that the web app
// translates: the kind itself, or a more precise code with `params` (e.g. detection_run_too_large with the
// tile count) where the user should be told exactly what to fix. The English message stays for logs,
// scripts and clients that do not translate.

export type ErrorParams = Record<string, string | number>;

/** A precise, stable error code and the values its message needs. */
export interface ErrorRef {
  code: string;
  params?: ErrorParams;
}

export class DomainError extends Error {
  readonly code: string;
  readonly params: ErrorParams | undefined;
  constructor(
    readonly kind: string,
    message: string,
    ref?: ErrorRef,
  ) {
    super(message);
    this.name = new.target.name;
    this.code = ref?.code ?? kind;
    this.params = ref?.params;
  }
}

export class NotFound extends DomainError {
  constructor(message: string, ref?: ErrorRef) {
    super('not_found', message, ref);
  }
}

export class Invalid extends DomainError {
  constructor(message: string, ref?: ErrorRef) {
    super('invalid', message, ref);
  }
}

export class Conflict extends DomainError {
  constructor(message: string, ref?: ErrorRef) {
    super('conflict', message, ref);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'login required', ref?: ErrorRef) {
    super('unauthorized', message, ref);
  }
}

/** A part of the installation the request needs is missing (a tool, a service); the message names it. */
export class Unavailable extends DomainError {
  constructor(message: string, ref?: ErrorRef) {
    super('unavailable', message, ref);
  }
}

export class Forbidden extends DomainError {
  constructor(message: string, ref?: ErrorRef) {
    super('forbidden', message, ref);
  }
}
