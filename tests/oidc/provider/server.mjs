// A real OpenID Connect provider (the npm package oidc-provider) for the portal's sign-in tests.
// Test use only: it listens on 127.0.0.1, keeps everything in memory and knows the accounts in
// the JSON file named by OIDC_ACCOUNTS_FILE. Started and stopped by tests/oidc/provider.py.
//
// Environment:
//   OIDC_PORT            port to listen on (127.0.0.1)
//   OIDC_ACCOUNTS_FILE   JSON: {"accounts": {"<login>": {"claims": {...}, "acr": "...", "amr": [...]}}}
//
// Two clients, as a broker and a municipality would register the portal:
//   sroi-eherkenning / eherkenning-geheim  (claims of the eHerkenning attribute catalogue, in the ID token)
//   sroi-medewerkers / medewerkers-geheim  (email; amr/acr from the login)
// Both are "native" clients only so that the loopback redirect URIs match on any port (the portal's
// test server picks a free one); a real broker registers the portal's https URLs as a web client.
//
// Login: GET /interaction/<uid> shows a form with one field "Gebruiker" (an account of the file) and
// the button "Inloggen"; there is no password. Consent is given implicitly (the consent prompt is
// answered at once with a grant of the requested scope).
// Logout (end_session) asks "Uitloggen bij de inlogdienst?" with the button "Ja, uitloggen".
// Once listening it prints "OIDC-PROVIDER READY <issuer>" on stdout.

import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 0);
const accountsFile = process.env.OIDC_ACCOUNTS_FILE;
const accounts = accountsFile ? JSON.parse(readFileSync(accountsFile, 'utf8')).accounts : {};
const issuer = `http://127.0.0.1:${port}`;

const EH_CLAIMS = [
  'urn:etoegang:1.9:EntityConcernedID:KvKnr',
  'urn:etoegang:core:ActingSubjectID',
  'urn:etoegang:core:LevelOfAssurance',
  'kvk',
];

function loopbackUris(path) {
  return ['127.0.0.1', 'localhost'].map((host) => `http://${host}${path}`);
}

function client(name, secret) {
  return {
    client_id: `sroi-${name}`,
    client_secret: secret,
    application_type: 'native',
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: loopbackUris(`/account/oidc/${name}/callback/`),
    post_logout_redirect_uris: loopbackUris('/account/inloggen/'),
  };
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-provider-key', use: 'sig', alg: 'RS256' };

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`
    + `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

const configuration = {
  clients: [client('eherkenning', 'eherkenning-geheim'), client('medewerkers', 'medewerkers-geheim')],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['test-provider-cookie-key-not-secret'] },
  claims: {
    sid: null,
    // acr, amr and auth_time of the login in every ID token (as the portal's providers send them).
    openid: ['sub', 'acr', 'amr', 'auth_time', ...EH_CLAIMS],
    email: ['email', 'email_verified'],
  },
  // Claims of the scopes in the ID token itself, as eHerkenning brokers do.
  conformIdTokenClaims: false,
  acrValues: ['urn:etoegang:core:assurance-class:loa2', 'urn:etoegang:core:assurance-class:loa3', 'urn:etoegang:core:assurance-class:loa4', 'mfa', 'pwd'],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Uitloggen bij de inlogdienst?', `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, uitloggen</button>`);
      },
    },
  },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) {
      return undefined;
    }
    return { accountId: id, claims: async () => ({ sub: id, ...account.claims }) };
  },
};

const provider = new Provider(issuer, configuration);
const callback = provider.callback();

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) {
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function interaction(req, res) {
  const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
  try {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== match[1]) {
      throw new Error('interaction mismatch');
    }
    if (details.prompt.name === 'consent') {
      // Consent is implied (native clients always get this prompt): grant what was asked.
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    if (req.method === 'GET') {
      const body = `<p>Client: ${escapeHtml(details.params.client_id)}; prompt: ${escapeHtml(details.prompt.name)} (${escapeHtml(details.prompt.reasons.join(", "))})</p>`
        + `<form method="post" action="/interaction/${escapeHtml(details.uid)}/login">`
        + '<label for="login">Gebruiker</label> <input id="login" name="login" autocomplete="off"> '
        + '<button type="submit">Inloggen</button></form>';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Inloggen bij de test-inlogdienst', body));
      return;
    }
    const form = await readForm(req);
    const login = form.get('login') || '';
    const account = accounts[login];
    if (!account) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('Onbekende gebruiker', `<p>${escapeHtml(login)} bestaat niet.</p>`));
      return;
    }
    const result = { login: { accountId: login, acr: account.acr, amr: account.amr } };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  } catch (error) {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`interaction error: ${error.message}`);
  }
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res);
    return;
  }
  callback(req, res);
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`OIDC-PROVIDER READY ${issuer}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
