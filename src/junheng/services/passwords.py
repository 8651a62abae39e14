"""The password policy (等保 2.0 level 2, identity authentication): at least 8
characters of three of the four kinds (upper-case, lower-case, digits, symbols), not
containing the user name, not one of the commonly used passwords shipped in
``common_passwords.txt``. One function, used by ``junheng user add``, every web form
and the JSON API, so all of them say the same Chinese sentence."""

from __future__ import annotations

import functools
from importlib import resources

from junheng.core.errors import InvalidRequestError

MIN_LENGTH = 8
MAX_LENGTH = 256
KINDS_NEEDED = 3
RULE_ZH = (f"密码至少 {MIN_LENGTH} 位，包含大写字母、小写字母、数字、符号中的至少 {KINDS_NEEDED} 种，"
           "不能包含用户名，不能是常用密码")


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased (a match ignores case)."""
    text = resources.files("junheng.services").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def kinds(password: str) -> int:
    return sum((any(c.isupper() for c in password), any(c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() and not c.isspace() for c in password)))


def policy_problems(password: str, username: str | None = None) -> list[str]:
    """Every rule the password breaks, in Chinese (empty: acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"至少 {MIN_LENGTH} 位（现在 {len(password)} 位）")
    if len(password) > MAX_LENGTH:
        problems.append(f"不能超过 {MAX_LENGTH} 位")
    if kinds(password) < KINDS_NEEDED:
        problems.append(f"须包含大写字母、小写字母、数字、符号中的至少 {KINDS_NEEDED} 种（现在 {kinds(password)} 种）")
    name = (username or "").strip().lower()
    if len(name) >= 2 and name in password.lower():
        problems.append("不能包含用户名")
    if password.lower() in common_passwords():
        problems.append("是常用密码，容易被猜中")
    return problems


def check_password_policy(password: str, username: str | None = None) -> None:
    problems = policy_problems(password, username)
    if problems:
        raise InvalidRequestError("密码不符合要求：" + "；".join(problems), code="weak-password")
