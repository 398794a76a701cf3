/** The JSON API under /api/v1: session cookie, CSRF header on writes, errors as ApiError. */

/** One problem of a field: a code the PWA words ("field.<code>", else "code.<code>"). */
export interface FieldProblem {
  code: string;
  params?: Record<string, string | number>;
}

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
  fetcher?: typeof fetch;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? (options.form ? "POST" : "GET");
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (WRITE_METHODS.has(method) && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response: Response;
  try {
    response = await (options.fetcher ?? fetch)("/api/v1" + path, {
      method,
      headers,
      credentials: "same-origin",
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
  } catch {
    throw new ApiError(0, "network", "network error");
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const body = (data ?? {}) as Partial<Pick<ApiError, "code" | "message" | "errors" | "params" | "fields">>;
    throw new ApiError(response.status, body.code ?? `http_${response.status}`, body.message ?? response.statusText, body.errors, body.params, body.fields);
  }
  if (data && typeof data === "object" && "csrf_token" in data) {
    setCsrfToken((data as { csrf_token: string }).csrf_token);
  }
  return data as T;
}

export type Role = "admin" | "educator" | "teacher";
export type OrganisationKind =
  | "museum" | "library" | "archive" | "vhs" | "media_centre" | "theatre" | "memorial"
  | "science_centre" | "other_institution" | "school";

export interface OrganisationRef {
  id: number;
  name: string;
  kind: OrganisationKind;
}

export interface Me {
  id: number;
  email: string;
  display_name: string;
  is_site_admin: boolean;
  network_office_district: string | null;
  memberships: { organisation: OrganisationRef; roles: Role[] }[];
  csrf_token: string;
}
