/** The JSON API under /api/v1, for the staff pages (session cookie, CSRF header on writes) and
 * the game (a team's bearer token); every refusal becomes an ApiError with the server's code.
 * Its types are the server's schemas, generated from the OpenAPI document (api-types.ts). */
import type { components } from "./api-types";

/** A schema of the OpenAPI document, e.g. `Schema<"Me">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** One problem of a field: a code the PWA words ("field.<code>", else "code.<code>"). */
export type FieldProblem = Schema<"FieldProblem">;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's English messages by field; `fields` holds their codes. */
    readonly errors: Record<string, string[]> = {},
    readonly params: Record<string, string | number> = {},
    readonly fields: Record<string, FieldProblem[]> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** A file upload, sent as multipart form data instead of JSON. */
  form?: FormData;
  /** A team's token: the play API's requests carry it instead of the staff session. */
  token?: string;
  /** The ETag of what the caller has: an unchanged resource answers 304, which passes. */
  etag?: string;
  fetcher?: typeof fetch;
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null; // a proxy's error page
  }
}

/** One request; the response when it is a success or a 304, else an ApiError. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? (options.form ? "POST" : "GET");
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  else if (WRITE_METHODS.has(method) && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (options.etag) headers["If-None-Match"] = options.etag;
  let response: Response;
  try {
    response = await (options.fetcher ?? fetch)(`/api/v1${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch {
    throw new ApiError(0, "network", "network error");
  }
  if (response.ok || response.status === 304) return response;
  const body = (parse(await response.text()) ?? {}) as Partial<
    Pick<ApiError, "code" | "message" | "errors" | "params" | "fields">
  >;
  throw new ApiError(
    response.status,
    body.code ?? `http_${response.status}`,
    body.message ?? response.statusText,
    body.errors,
    body.params,
    body.fields,
  );
}

/** The JSON a request answers; a login's answer also sets the CSRF token. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const data = parse(await (await send(path, options)).text());
  if (data && typeof data === "object" && "csrf_token" in data) {
    setCsrfToken((data as { csrf_token: string }).csrf_token);
  }
  return data as T;
}

/** A GET whose answer does not change while the page is open: asked on the first call, shared
 * by all calls after it (asked again after a failure). */
export function askedOnce<T>(path: string): () => Promise<T> {
  let request: Promise<T> | null = null;
  return () => {
    request ??= api<T>(path).catch((error: unknown) => {
      request = null;
      throw error;
    });
    return request;
  };
}

export type ClientSettings = Schema<"ClientSettings">;

/** What the web app needs to know of this server, asked once per page load. */
export const clientSettings = askedOnce<ClientSettings>("/settings");

export type Me = Schema<"Me">;
export type OrganisationRef = Schema<"OrganisationRef">;
export type OrganisationKind = OrganisationRef["kind"];
export type Role = Schema<"MembershipGroup">["roles"][number];
