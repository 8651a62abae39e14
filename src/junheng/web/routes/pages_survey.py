"""The 社会认可度 questionnaire for respondents: no account, a one-time code from the
QR slip (``/s/{code}``) or typed in (``/s``). CSRF: the double-submit cookie of
pages without a session (web.auth). Wrong codes are rate-limited per address (the
sign-in limit's table, under its own name); one answer per code is kept by the
database (services.survey). Pages are standalone and sized for a 360 px phone."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from junheng.core.errors import ConflictError, InvalidRequestError, NotFoundError
from junheng.services import survey
from junheng.services.sign_in_limit import SignInLimit
from junheng.web.auth import pre_session_token, set_pre_session_cookie
from junheng.web.deps import CurrentUser, EngineDep, SettingsDep
from junheng.web.routes.pages import render

router = APIRouter(include_in_schema=False)
LIMIT_NAME = "〔survey code〕"
MAX_WRONG_CODES = 10  # per address in the window; the address as a whole: ten times as many
WINDOW_SECONDS = 600


def _limiter(request: Request) -> SignInLimit:
    state = request.app.state
    if getattr(state, "survey_limiter", None) is None:
        state.survey_limiter = SignInLimit(state.engine, MAX_WRONG_CODES, WINDOW_SECONDS)
    return state.survey_limiter


def _page(request: Request, settings, template: str, status: int = 200, **context) -> HTMLResponse:
    token = pre_session_token(request)
    response = request.app.state.templates.TemplateResponse(
        request, template, {"csrf": token, **context}, status_code=status)
    set_pre_session_cookie(response, request, settings, token)
    return response


def _form(request: Request, engine, code: str):
    """The code's questionnaire; a wrong code is counted against the address."""
    limiter = _limiter(request)
    attempt = limiter.begin(LIMIT_NAME, request.state.client_address if hasattr(request.state, "client_address")
                            else (request.client.host if request.client else "-"))
    form = survey.code_form(engine, code) if len(code) <= 40 else None
    if form is not None:
        limiter.succeeded(attempt)
    return form


@router.get("/s")
def code_entry(request: Request, settings: SettingsDep, code: str = "") -> Response:
    if code.strip():
        return RedirectResponse(f"/s/{survey.normalise_code(code)[:40]}", status_code=303)
    return _page(request, settings, "survey_entry.html")


@router.get("/s/{code}")
def questionnaire(request: Request, engine: EngineDep, settings: SettingsDep, code: str) -> Response:
    form = _form(request, engine, code)
    if form is None:
        return _page(request, settings, "survey_entry.html", status=404,
                     error="调查码无效，请核对后重新输入（调查码由 12 位字母和数字组成）")
    if form.used:
        return _page(request, settings, "survey_done.html", form=form, already=True)
    if not form.open:
        return _page(request, settings, "survey_done.html", form=form, closed=True)
    return _page(request, settings, "survey_form.html", form=form, code=survey.normalise_code(code),
                 shown=survey.shown_code(survey.normalise_code(code)), chosen={})


@router.post("/s/{code}")
async def submit(request: Request, engine: EngineDep, settings: SettingsDep, code: str) -> Response:
    form = _form(request, engine, code)
    if form is None:
        return _page(request, settings, "survey_entry.html", status=404, error="调查码无效")
    data = await request.form()
    answers = {k: str(v) for k, v in data.items() if isinstance(v, str) and k != "csrf_token"}
    try:
        survey.submit_answers(engine, code, answers)
    except InvalidRequestError as exc:
        return _page(request, settings, "survey_form.html", status=422, form=form, error=exc.message,
                     code=survey.normalise_code(code), shown=survey.shown_code(survey.normalise_code(code)),
                     chosen=answers)
    except ConflictError as exc:
        return _page(request, settings, "survey_done.html", status=409, form=form, already=form.used,
                     closed=not form.open, message=exc.message)
    except NotFoundError:
        return _page(request, settings, "survey_entry.html", status=404, error="调查码无效")
    return _page(request, settings, "survey_done.html", form=form, thanks=True)


@router.get("/counties/{county_code}/survey")
def survey_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                year: int | None = None) -> Response:
    """The bureau's view of its survey: result by group, collection by school (read-only;
    the survey is designed, coded, imported and closed with ``junheng survey``)."""
    v = survey.survey_view(engine, user, county_code, year)
    return render(request, "survey_result.html", v=v, county_code=county_code, title="社会认可度调查")
