"""The routes' typed dependencies (`Annotated` aliases): settings, the runs' views, the runner, the page
templates, the client, the fold a request asks for. What they hand out is made by `create_app` and its lifespan."""

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.templating import Jinja2Templates

from .client import client_key
from .runs import Runner
from .settings import Settings
from .views import FoldQuery, Views


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_views(request: Request) -> Views:
    views: Views = request.app.state.views
    return views


async def get_runner(request: Request) -> Runner:
    runner: Runner | None = request.app.state.runner
    if runner is None:
        raise HTTPException(503, "the sandbox is not running", headers={"Retry-After": "5"})
    return runner


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


async def get_client(request: Request) -> str:
    return client_key(request)


SettingsDep = Annotated[Settings, Depends(get_settings)]
ViewsDep = Annotated[Views, Depends(get_views)]
RunnerDep = Annotated[Runner, Depends(get_runner)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
ClientDep = Annotated[str, Depends(get_client)]
FoldDep = Annotated[FoldQuery, Query()]
