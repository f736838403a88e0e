/**
 * Errors a resolver means to show. Each class's `name` is the GraphQL `errorType`: Lambda reports a thrown
 * error's name as its errorType, and AppSync puts that on the GraphQL error; the local host does the same.
 * Anything else thrown is a bug and reaches clients as a generic error, without internals.
 */
export abstract class ResolverError extends Error {
  abstract override readonly name: string;
}

export class UnauthorizedError extends ResolverError {
  override readonly name = 'Unauthorized';
}

/**
 * The credentials name nobody who may use the API (a deactivated or unknown recruiter): AppSync's errorType for
 * rejected credentials, on which the console ends the session instead of showing a refusal.
 */
export class RejectedIdentityError extends ResolverError {
  override readonly name = 'UnauthorizedException';
}

export class BadRequestError extends ResolverError {
  override readonly name = 'BadRequest';
}

export class NotFoundError extends ResolverError {
  override readonly name = 'NotFound';
}

export class ConflictError extends ResolverError {
  override readonly name = 'Conflict';
}
