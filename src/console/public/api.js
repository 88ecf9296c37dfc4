// The console talks only to the public /v1 API with a short-lived token from POST /v1/auth/token.

const KEY = 'kates.token';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(KEY);
  },
  set(token) {
    sessionStorage.setItem(KEY, token);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

export async function api(method, path, body) {
  const headers = { accept: 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (res.status === 401 && path !== '/v1/auth/token') {
    session.clear();
    location.hash = '#/signin';
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export async function signIn(apiKey) {
  const r = await api('POST', '/v1/auth/token', { apiKey });
  session.set(r.accessToken);
}
