import { SetupError } from '../runtime/errors.js';

/** The `Status` object the API server sends with a failed request. */
export interface KubeStatus {
  readonly kind?: string;
  readonly status?: string;
  readonly message?: string;
  /** A CamelCase word, e.g. `NotFound`, `AlreadyExists`, `Conflict`, `Forbidden`, `Invalid`, `Expired`. */
  readonly reason?: string;
  readonly details?: { readonly name?: string; readonly group?: string; readonly kind?: string };
  readonly code?: number;
}

/**
 * The API server answered with an error. `message` is the API's own words
 * (e.g. `pods "web" is forbidden: User "restricted" cannot create resource
 * "pods" in API group "" in the namespace "restricted"`), prefixed with the
 * request; `statusCode` and `reason` are what callers branch on.
 */
export class KubeApiError extends SetupError {
  override name = 'KubeApiError';

  constructor(
    readonly method: string,
    readonly path: string,
    readonly statusCode: number,
    readonly reason: string,
    readonly apiMessage: string,
    readonly status?: KubeStatus,
  ) {
    super(`${method} ${path}: ${statusCode} ${reason}: ${apiMessage}`);
  }
}

/** The API server could not be reached (refused, reset, TLS failure, timeout). */
export class KubeConnectionError extends SetupError {
  override name = 'KubeConnectionError';

  constructor(
    readonly method: string,
    readonly url: string,
    options: ErrorOptions & { cause: unknown },
  ) {
    super(`${method} ${url}: ${describeCause(options.cause)}`, options);
  }
}

/** A kubeconfig that cannot be used; the message names the file and the field. */
export class KubeconfigError extends SetupError {
  override name = 'KubeconfigError';

  constructor(
    readonly file: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`kubeconfig ${file}: ${field}: ${problem}`);
  }
}

/** True when `error` is an API error, with status `code` if given (e.g. 404, 409). */
export function isKubeApiError(error: unknown, code?: number): error is KubeApiError {
  return error instanceof KubeApiError && (code === undefined || error.statusCode === code);
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code !== undefined && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return String(cause);
}
