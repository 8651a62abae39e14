"""Pages: sign-in, home, dashboards (county, school, region), users and the audit log.

Thin: each page calls a service and renders a template. Forms post back here with
their CSRF field and are answered with a redirect (post/redirect/get).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from junheng.core.errors import JunhengError, NotFoundError
from junheng.services import accounts, dashboard, jobs, sessions, targets_web
from junheng.services.passwords import RULE_ZH
from junheng.web.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    pre_session_token,
    set_pre_session_cookie,
)
from junheng.web.deps import CURRENT_SESSION, CurrentUser, EngineDep, Id, SettingsDep, YearQuery
from junheng.web.routes.api_accounts import do_login

router = APIRouter(include_in_schema=False)


def nav_for(user: accounts.Principal, path: str) -> list[dict[str, Any]]:
    items: list[tuple[str, str]] = []
    role = user.role
    if role is accounts.Role.AUDITOR:  # the audit log and nothing else
        items.append(("/audit", "审计日志"))
    elif role is accounts.Role.CLERK:
        items.append(("/collection", "本校填报"))
        items.append((f"/counties/{user.region_code}/schools/{user.school_code}", "本校情况"))
    else:
        if role is accounts.Role.ADMIN:
            items.append(("/", "总览"))
        elif role is accounts.Role.SUPERVISOR:
            items.append((f"/regions/{user.region_code}", "地区概览"))
        elif user.region_code and len(user.region_code) == 6:
            items.append((f"/counties/{user.region_code}", "仪表盘"))
            items.append((f"/counties/{user.region_code}/targets", "目标进展"))
            items.append((f"/counties/{user.region_code}/analyses", "专项分析"))
        else:
            items.append((f"/regions/{user.region_code}", "地区概览"))
        if role in (accounts.Role.ADMIN, accounts.Role.COUNTY_ADMIN, accounts.Role.SUPERVISOR):
            items.append(("/collection", "数据填报"))
            items.append(("/ledger", "整改台账"))
        if user.region_code and len(user.region_code) == 6:  # a county's own 社会认可度调查 (pages_survey)
            items.append((f"/counties/{user.region_code}/survey", "认可度调查"))
        if role is accounts.Role.ADMIN:
            items.append(("/imports/bulk", "批量导入"))
        items.append(("/jobs", "我的任务"))
        if user.can_manage_users():
            items.append(("/users", "用户管理"))
    # the longest link the page's path starts with is the current one
    matches = [h for h, _ in items if h == path or (h != "/" and path.startswith(h))]
    current = max(matches, key=len) if matches else None
    return [{"href": h, "label": label, "active": h == current} for h, label in items]


def render(request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None,
           **context: Any) -> HTMLResponse:
    user = request.state.principal
    flash = getattr(request.state, "flash", None)  # from the session, never from the URL
    if flash:
        sessions.clear_flash(request.app.state.engine, request.state.session_token)
        request.state.flash = None
    notices: list[dict[str, Any]] = []
    if user is not None and user.must_change_password:
        nav = []
    else:
        nav = nav_for(user, request.url.path) if user else []
        if user is not None and not request.url.path.startswith("/jobs/"):
            notices = jobs.notices(request.app.state.engine, user)  # a job that ended meanwhile
            jobs.mark_seen(request.app.state.engine, user, [j["id"] for j in notices])  # told once
    base = {"user": user, "csrf_token": request.state.csrf_token,
            "role_zh": accounts.ROLE_ZH[user.role] if user else "", "nav": nav,
            "flash": flash["text"] if flash else None, "flash_kind": flash["kind"] if flash else None,
            "status": status, "upload_mb": f"{request.app.state.settings.web_max_upload_mb:g}",
            "job_notices": notices}
    return request.app.state.templates.TemplateResponse(request, template, {**base, **context},
                                                        status_code=status, headers=headers)


def redirect(url: str, message: str | None = None, kind: str = "ok") -> RedirectResponse:
    """Post/redirect/get; the message is kept in the server-side session and shown once
    by the next page (a link with ?msg=… shows nothing: nobody can fake a banner)."""
    current = CURRENT_SESSION.get()
    if message and current is not None:
        sessions.set_flash(*current, message, kind)
    return RedirectResponse(url, status_code=303)


def safe_next(target: str | None) -> str:
    """Only local paths: a sign-in link must not send the user to another site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, settings: SettingsDep, next: str = "/") -> Response:
    token = pre_session_token(request)
    response = render(request, "login.html", login_csrf=token, next=safe_next(next), title="登录")
    set_pre_session_cookie(response, request, settings, token)
    return response


@router.post("/login")
def login_submit(request: Request, engine: EngineDep, settings: SettingsDep,
                 username: str = Form(max_length=64), password: str = Form(max_length=256),
                 next: str = Form("/")) -> Response:
    response = redirect(safe_next(next))
    try:
        do_login(request, response, engine, settings, username, password)
    except JunhengError as exc:
        token = pre_session_token(request)
        status = exc.http_status
        page = render(request, "login.html", status=status, login_csrf=token, next=safe_next(next),
                      error=exc.message, username=username, title="登录")
        set_pre_session_cookie(page, request, settings, token)
        return page
    return response


@router.post("/logout")
def logout(request: Request, engine: EngineDep) -> Response:
    sessions.sign_out(engine, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response)
    return response


@router.post("/logout-all")
def logout_all(request: Request, engine: EngineDep, user: CurrentUser) -> Response:
    """Sign out on every computer and phone (a lost phone, a shared computer)."""
    sessions.sign_out_everywhere(engine, user)
    response = RedirectResponse("/login?signed_out=all", status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/")
def home(request: Request, engine: EngineDep) -> Response:
    user = request.state.principal
    if user is None:
        return redirect("/login")
    if user.role is accounts.Role.CLERK:
        return redirect("/collection")
    if user.role is accounts.Role.AUDITOR:
        return redirect("/audit")
    if user.role is not accounts.Role.ADMIN:
        code = user.region_code or ""
        return redirect(f"/counties/{code}" if len(code) == 6 else f"/regions/{code}")
    return render(request, "home.html", title="总览", counties=dashboard.all_counties(engine, user))


@router.get("/counties/{county_code}")
def county_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                year: YearQuery = None) -> Response:
    try:
        d = dashboard.county_dashboard(engine, user, county_code, year)
    except NotFoundError as exc:
        if not user.can_manage_county(county_code):
            raise
        return render(request, "county_empty.html", status=404, county_code=county_code,
                      message=exc.message, title="尚无数据")
    tiles = targets_web.lagging_tiles(engine, user, county_code, d["school_year"])  # not cached: targets change
    return render(request, "county.html", d=d, body=county_body(request, d), title=d["county_name"], tiles=tiles)


def county_body(request: Request, d: dict[str, Any]) -> Markup:
    """The dashboard's content is the same for every reader of a stored year: render it
    once per (version, years stored) and reuse it."""
    key = (d["county_year_id"], tuple((t["school_year"], t["version"]) for t in d["trend"]))
    cache: dict = request.app.state.page_cache
    html = cache.get(key)
    if html is None:
        template = request.app.state.templates.env.get_template("county_body.html")
        html = Markup(template.render(d=d, chart=dashboard.chart_data(d)))
        if len(cache) > 256:
            cache.clear()
        cache[key] = html
    return html


@router.get("/counties/{county_code}/schools/{school_code}")
def school_page(request: Request, county_code: str, school_code: str, engine: EngineDep,
                user: CurrentUser, year: YearQuery = None) -> Response:
    s = dashboard.school_page(engine, user, county_code, school_code, year)
    return render(request, "school.html", s=s, title=s["name"])


@router.get("/regions/{region_code}")
def region_page(request: Request, region_code: str, engine: EngineDep, user: CurrentUser,
                year: YearQuery = None) -> Response:
    r = dashboard.region_overview(engine, user, region_code, year)
    return render(request, "region.html", r=r, title=r["name"] or r["code"])


@router.get("/users")
def users_page(request: Request, engine: EngineDep, user: CurrentUser) -> Response:
    return render(request, "users.html", users=accounts.list_users(engine, user),
                  roles=accounts.ROLE_ZH, title="用户管理", rule=RULE_ZH)


@router.post("/users")
def users_create(request: Request, engine: EngineDep, user: CurrentUser,
                 username: str = Form(max_length=64), password: str = Form(max_length=256),
                 role: str = Form(max_length=20), display_name: str = Form("", max_length=100),
                 region_code: str = Form("", max_length=6),
                 school_code: str = Form("", max_length=10)) -> Response:
    if not user.is_admin:  # a county admin creates users of its own county only
        region_code = user.region_code or ""
    try:
        accounts.create_user(engine, user, username=username.strip(), password=password, role=role,
                             display_name=display_name.strip() or None,
                             region_code=region_code.strip() or None,
                             school_code=school_code.strip() or None)
    except JunhengError as exc:
        if exc.http_status == 403:
            raise
        return redirect("/users", exc.message, "bad")
    return redirect("/users", f"已创建用户 {username}")


@router.post("/users/{user_id}")
def users_update(request: Request, user_id: Id, engine: EngineDep, user: CurrentUser,
                 action: str = Form(max_length=20), password: str = Form("", max_length=256)) -> Response:
    try:
        if action == "reset":
            accounts.update_user(engine, user, user_id, password=password)
            message = "密码已重置"
        elif action in ("disable", "enable"):
            accounts.update_user(engine, user, user_id, active=action == "enable")
            message = "已停用" if action == "disable" else "已启用"
        elif action == "unlock":
            accounts.update_user(engine, user, user_id, unlock=True)
            message = "已解锁"
        else:
            raise NotFoundError("未知的操作")
    except JunhengError as exc:
        if exc.http_status == 403:
            raise
        return redirect("/users", exc.message, "bad")
    return redirect("/users", message)


@router.get("/account")
def account_page(request: Request, user: CurrentUser) -> Response:
    return render(request, "account.html", title="修改密码", rule=RULE_ZH)


@router.post("/account")
def account_save(request: Request, engine: EngineDep, user: CurrentUser,
                 current_password: str = Form(max_length=256), new_password: str = Form(max_length=256),
                 confirm_password: str = Form(max_length=256)) -> Response:
    if new_password != confirm_password:
        return redirect("/account", "两次输入的新密码不一致", "bad")
    try:
        accounts.change_own_password(engine, user, current_password, new_password,
                                     keep_token=request.cookies.get(SESSION_COOKIE))
    except JunhengError as exc:
        return redirect("/account", exc.message, "bad")
    if user.must_change_password:
        return redirect("/", "密码已设置，欢迎使用")
    return redirect("/account", "密码已修改；其他设备上的登录已退出")


