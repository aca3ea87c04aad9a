"""The team API: who am I, team members, our accounts, goals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from mutuals.storage.db import get_engine, transaction
from mutuals.web import auth
from mutuals.web.auth import User
from mutuals.web.dashboard import METRICS, accounts, goals, set_goal
from mutuals.web.deps import Permission

router = APIRouter(tags=["team"])


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    role: str = Field(pattern="^(admin|manager|agent|viewer)$")
    password: str = Field(min_length=auth.MIN_PASSWORD, max_length=1024)


class Goal(BaseModel):
    target: float | None = Field(description="The goal; null clears it.", allow_inf_nan=False)


@router.get("/me", summary="The signed-in user and what their role may do")
def me(user: User = Depends(Permission("view"))) -> dict[str, Any]:
    return {**user.as_dict(), "permissions": sorted(p for p in auth.PERMISSIONS if user.can(p))}


@router.get("/accounts", summary="Our accounts, with their current follower counts")
def our_accounts(user: User = Depends(Permission("view"))) -> list[dict[str, Any]]:
    with get_engine().connect() as conn:
        return accounts(conn)


@router.get("/users", summary="Team members and their roles")
def users(user: User = Depends(Permission("team"))) -> list[dict[str, Any]]:
    with get_engine().connect() as conn:
        return auth.list_users(conn)


@router.post("/users", status_code=201, summary="Add a team member")
def add_user(body: NewUser, user: User = Depends(Permission("team"))) -> dict[str, Any]:
    with transaction(get_engine()) as conn:
        return auth.create_user(conn, body.name, body.role, body.password).as_dict()


@router.get("/goals", summary="The team's goals, by metric")
def get_goals(user: User = Depends(Permission("view"))) -> dict[str, Any]:
    with get_engine().connect() as conn:
        current = goals(conn)
    return {k: {"label": m.label, "unit": m.unit, "goal": current.get(k)} for k, m in METRICS.items()}


@router.put("/goals/{metric}", summary="Set or clear the team's goal for one metric")
def put_goal(metric: str, body: Goal, user: User = Depends(Permission("goals"))) -> dict[str, Any]:
    with transaction(get_engine()) as conn:
        set_goal(conn, metric, body.target, by=user.name)
    return {"metric": metric, "goal": body.target}
