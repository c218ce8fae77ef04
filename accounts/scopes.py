"""What an API key may do. A session (a person in the browser) holds every scope; a key holds
the scopes it was issued with. REST views and the MCP server ask the same question here."""

from rest_framework import permissions

from accounts.models import ApiKey

Scope = ApiKey.Scope


def caller_allows(request_auth, scope):
    """True when the request's credential carries `scope` (no key means a signed-in session)."""
    if isinstance(request_auth, ApiKey):
        return request_auth.allows(scope)
    return True


def requires_scope(scope):
    """A DRF permission class refusing a key without `scope` (403 with a message naming it)."""

    class ScopeRequired(permissions.BasePermission):
        message = f"This API key lacks the '{scope}' scope."
        code = "scope_missing"

        def has_permission(self, request, view):
            return caller_allows(request.auth, scope)

    ScopeRequired.__name__ = f"Requires{scope.title()}Scope"
    return ScopeRequired


def scope_for(request, view):
    """The scope a request needs: the view's `required_scopes[method]`, else `read` for reads and the
    view's `required_scope` (default `write`) for anything else."""
    scope = getattr(view, "required_scopes", {}).get(request.method)
    if scope:
        return scope
    if request.method in permissions.SAFE_METHODS:
        return Scope.READ
    return getattr(view, "required_scope", Scope.WRITE)


class HasScope(permissions.BasePermission):
    """First in every API view's permission_classes (and REST_FRAMEWORK's default): the key must carry
    the scope the request needs (scope_for). Requests without a key are left to the other permissions."""

    code = "scope_missing"

    def has_permission(self, request, view):
        scope = scope_for(request, view)
        self.message = f"This API key lacks the '{scope}' scope."
        return caller_allows(request.auth, scope)
