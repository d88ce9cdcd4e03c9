"""Single sign-on through the organisation's identity provider (OpenID Connect and SAML 2.0).

    config     the providers and their claim → role rules, read from JSON and checked
    mapping    claims/attributes → role and municipality (pure, no Flask, no database)
    accounts   accounts created, updated or deactivated from a provider's word; audit entries
    oidc       OpenID Connect relying party (Authlib): code flow with PKCE, ID-token checks
    saml       SAML 2.0 service provider (pysaml2): signed assertions, replay store, metadata
    models     external identities, pending SAML requests, assertion ids already used

The web side (``forms_service.web.sso``) is a thin adapter over these modules and ends every
successful sign-in in the same ``login_actor`` as a local password.
"""
