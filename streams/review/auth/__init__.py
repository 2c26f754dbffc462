"""Who is asking: reviewers authenticated by a verified credential (an OIDC bearer token or an
API token the service stored hashed), their groups, and the request checks in front of the
review API (CSRF, Host). The web layer calls `Authenticator.authenticate` first; everything
after it receives a `Principal`, never a name the caller typed."""

from streams.review.auth.principal import AuthFailure, Principal, normalise

__all__ = ["AuthFailure", "Principal", "normalise"]
