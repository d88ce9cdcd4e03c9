// A real OpenID Connect provider for the tests: the certified oidc-provider from npm.
//
// Listens on a free port of 127.0.0.1 and prints "READY <issuer>" when it serves.
// OIDC_CLIENTS_FILE   JSON list of static clients (client_id, client_secret, redirect_uris, ...)
// OIDC_ACCOUNTS_FILE  JSON {login: {name, preferred_username, groups, ...}}; read at every
//                     sign-in, so a test can change a user's groups between two logins
// OIDC_ID_TOKEN_TTL   ID token lifetime in seconds (default 3600)
//
// The login page is oidc-provider's own development interaction (any password); consent is
// granted up front, as an organisation's administrator does for its own applications.
import fs from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const clients = JSON.parse(fs.readFileSync(process.env.OIDC_CLIENTS_FILE, 'utf8'));
const accountsFile = process.env.OIDC_ACCOUNTS_FILE;
const idTokenTtl = Number(process.env.OIDC_ID_TOKEN_TTL || 3600);
const scopes = ['openid', 'profile', 'email', 'groups', 'offline_access'];

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients,
    scopes,
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email'],
      groups: ['groups', 'municipality_code'],
    },
    // Claims of the granted scopes go into the ID token, as Entra ID does with groups.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    cookies: { keys: ['forms-service-test-only'] },
    ttl: { IdToken: idTokenTtl },
    async findAccount(ctx, id) {
      const accounts = JSON.parse(fs.readFileSync(accountsFile, 'utf8'));
      if (!Object.hasOwn(accounts, id)) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(scopes.join(' '));
      await grant.save();
      return grant;
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`READY ${issuer}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
