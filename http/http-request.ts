/**
 * The shapes a connector hands the HTTP client and gets back. Kept apart from the client so code
 * that only builds requests or reads responses (connector clients, change reads) does not depend on
 * how they are sent.
 */
export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

export interface HttpRequest {
  readonly method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path relative to the base URL, or an absolute path the vendor handed back (nextRecordsUrl). */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly json?: unknown;
  /** An application/x-www-form-urlencoded body (OAuth token endpoints), instead of `json`. */
  readonly form?: Readonly<Record<string, string>>;
  /** A body that is not JSON (Dataverse's multipart `$batch`), sent verbatim with its content type. */
  readonly body?: { readonly contentType: string; readonly text: string };
  readonly headers?: Readonly<Record<string, string>>;
  /** Label for statistics; defaults to the method and the path without ids. */
  readonly endpoint?: string;
  readonly signal?: AbortSignal;
  /** Statuses >= 400 the caller handles itself instead of the vendor policy. */
  readonly acceptStatuses?: readonly number[];
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A success whose body is read as it arrives (HttpClient.requestStream). */
export interface HttpStreamResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: AsyncIterable<Uint8Array>;
}
