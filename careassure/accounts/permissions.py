"""Organisation scoping for views: a view decorated here only runs for a signed-in member of
the current organisation who holds the permission; everyone else gets sign-in or 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from careassure.accounts.models import Membership
from careassure.accounts.roles import READ
from careassure.common.exceptions import PermissionDeniedError

P = ParamSpec("P")
R = TypeVar("R")


def organisation_required(
    permission: str = READ,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership: Membership | None = getattr(request, "membership", None)
            if membership is None or not membership.has_permission(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def require_permission(membership: Membership | None, permission: str) -> Membership:
    """Services call this before writing: raises PermissionDeniedError with a plain message."""
    if membership is None or not membership.has_permission(permission):
        raise PermissionDeniedError("You do not have permission to do this.")
    return membership
