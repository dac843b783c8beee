import { ApiError } from './api-error';
import type { Tokens } from './types';

export const API_BASE = '/api/v1';
const REFRESH_KEY = 'strata.refresh_token';

type Listener = (signedIn: boolean) => void;

/**
 * Calls the REST API with the session's access token. The access token lives in memory only; the
 * refresh token in this tab's sessionStorage, so a reload keeps the session and closing the tab
 * ends it. A 401 is retried once after a refresh; a failed refresh signs out.
 */
export class ApiClient {
  private accessToken: string | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();

  get hasSession(): boolean {
    return this.accessToken !== null || sessionStorage.getItem(REFRESH_KEY) !== null;
  }

  onSessionChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(email: string, password: string): Promise<void> {
    const response = await postUnauthenticated('/auth/login', { email, password });
    if (!response.ok) throw await ApiError.from(response);
    this.keep((await response.json()) as Tokens);
  }

  /** Signs in with a directory (LDAP) name and password at the provider's login path. */
  async loginWithDirectory(loginPath: string, username: string, password: string): Promise<void> {
    const response = await postUnauthenticated(loginPath.replace(API_BASE, ''), { username, password });
    if (!response.ok) throw await ApiError.from(response);
    this.keep((await response.json()) as Tokens);
  }

  /** Trades the one-time code a single sign-on's callback handed over for the session's tokens. */
  async exchangeSsoCode(code: string): Promise<void> {
    const response = await postUnauthenticated('/auth/oidc/exchange', { code });
    if (!response.ok) throw await ApiError.from(response);
    this.keep((await response.json()) as Tokens);
  }

  /** Accepts an invitation with its token (no session needed): creates the account or proves it. */
  async acceptInvitation(token: string, password: string): Promise<{ tenant_id: string; new_user: boolean }> {
    const response = await postUnauthenticated('/invitations/accept', { token, password });
    if (!response.ok) throw await ApiError.from(response);
    return (await response.json()) as { tenant_id: string; new_user: boolean };
  }

  async logout(): Promise<void> {
    const refresh = sessionStorage.getItem(REFRESH_KEY);
    this.forget();
    if (refresh) await postUnauthenticated('/auth/logout', { refresh_token: refresh }).catch(() => undefined);
  }

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PUT', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.json<T>('DELETE', path);
  }

  /** A raw response (for streams); the caller reads the body. Errors are thrown as ApiError. */
  async send(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    const attempt = () =>
      fetch(`${API_BASE}${path}`, {
        ...init,
        method,
        headers: { ...(init.headers as Record<string, string>), ...this.authorization() },
      });
    if (this.accessToken === null) await this.refresh();
    let response = await attempt();
    if (response.status === 401 && (await this.refresh())) response = await attempt();
    if (response.status === 401) this.forget();
    if (!response.ok) throw await ApiError.from(response);
    return response;
  }

  /** The current access token, refreshed when needed (for uploads made with XMLHttpRequest). */
  async token(): Promise<string | null> {
    if (this.accessToken === null) await this.refresh();
    return this.accessToken;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, {
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  private authorization(): Record<string, string> {
    return this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {};
  }

  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const refresh = sessionStorage.getItem(REFRESH_KEY);
      if (!refresh) return false;
      const response = await postUnauthenticated('/auth/refresh', { refresh_token: refresh }).catch(
        () => null,
      );
      if (!response?.ok) {
        this.forget();
        return false;
      }
      this.keep((await response.json()) as Tokens);
      return true;
    })().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private keep(tokens: Tokens): void {
    const wasSignedIn = this.accessToken !== null;
    this.accessToken = tokens.access_token;
    sessionStorage.setItem(REFRESH_KEY, tokens.refresh_token);
    if (!wasSignedIn) this.listeners.forEach((l) => l(true));
  }

  private forget(): void {
    const hadSession = this.hasSession;
    this.accessToken = null;
    sessionStorage.removeItem(REFRESH_KEY);
    if (hadSession) this.listeners.forEach((l) => l(false));
  }
}

/** The session routes: a JSON POST that carries no access token. */
function postUnauthenticated(path: string, body: unknown): Promise<Response> {
  return fetch(`${API_BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export const api = new ApiClient();
