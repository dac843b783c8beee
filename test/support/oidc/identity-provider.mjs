// A real OpenID Provider (oidc-provider) for the SSO suites, run as a child process: it is an ES
// module with its own web framework, which the suites' CommonJS test runner does not load.
//
// Environment: PORT (0 for any), CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma-separated).
// It prints `identity provider listening on <issuer>` once it serves. Logins need no browser:
// the interaction signs in the account named by `login_hint` and grants what the client asked;
// without a hint it shows a one-field form (Username) for a browser to fill.
// Test controls, over HTTP on the same port:
//   PUT /test/accounts/<sub>   {"email": …, "groups": […]}   creates or replaces an account
//   PUT /test/tamper           {"mode": null|"audience"|"expired"|"signature"|"nonce"}
//       the next ID tokens the token endpoint issues are altered that way (re-signed with the
//       provider's key, or with a stranger's for "signature")
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';

const accounts = new Map();
let tamper = null;

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const stranger = (await generateKeyPair('RS256')).privateKey;

const server = createServer();
await new Promise((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: (process.env.REDIRECT_URIS ?? '').split(',').filter(Boolean),
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  ],
  jwks: { keys: [signingKey] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  // The ID token carries the scopes' claims itself, as most enterprise providers' do.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  cookies: { keys: ['identity-provider-test-cookies'] },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (ctx, id) =>
    accounts.has(id)
      ? { accountId: id, claims: () => ({ sub: id, email_verified: true, ...accounts.get(id) }) }
      : undefined,
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && tamper !== null && ctx.body && typeof ctx.body.id_token === 'string') {
    ctx.body = { ...ctx.body, id_token: await altered(ctx.body.id_token, tamper) };
  }
});

async function altered(idToken, mode) {
  const claims = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'audience') claims.aud = 'someone-else';
  if (mode === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  if (mode === 'nonce') claims.nonce = 'not-the-one-sent';
  const header = { alg: 'RS256', kid: signingKey.kid, typ: 'JWT' };
  return new SignJWT(claims).setProtectedHeader(header).sign(mode === 'signature' ? stranger : privateKey);
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    // A login_hint signs its account in at once (the suites); without one, a browser gets a form.
    const accountId =
      req.method === 'POST'
        ? new URLSearchParams(await readBody(req)).get('login')
        : details.params.login_hint;
    if (accountId === undefined) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LOGIN_FORM);
      return;
    }
    if (!accounts.has(accountId)) {
      res.writeHead(400).end(`no account ${accountId}`);
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

const LOGIN_FORM = `<!doctype html>
<title>Test identity provider</title>
<h1>Test identity provider</h1>
<form method="post"><label>Username <input name="login" autocomplete="username"></label> <button>Sign in</button></form>`;

async function readBody(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

async function control(req, res) {
  const body = await readBody(req);
  const input = body ? JSON.parse(body) : {};
  const account = /^\/test\/accounts\/([^/]+)$/.exec(req.url);
  if (req.method === 'PUT' && account) accounts.set(decodeURIComponent(account[1]), input);
  else if (req.method === 'PUT' && req.url === '/test/tamper') tamper = input.mode ?? null;
  else {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(204).end();
}

const oidc = provider.callback();
server.on('request', (req, res) => {
  const handle = req.url.startsWith('/interaction/')
    ? interaction
    : req.url.startsWith('/test/')
      ? control
      : null;
  if (handle === null) return oidc(req, res);
  handle(req, res).catch((error) => {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(error?.stack ?? error));
  });
});
process.stdout.write(`identity provider listening on ${issuer}\n`);
