"""Routes come from the contract; suffixes and letter case as ServiceStack matches them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from evokit.contract.formats import Format
from evokit.mockserver.http.routing import OperationRouter
from tests.mockserver.support import CONTRACT, ID_PARAM, OP

ROUTER = OperationRouter(OP.routes)
USER = OP.user_route


def test_user_route_with_and_without_suffix() -> None:
    base = USER.path.replace("{" + ID_PARAM + "}", "abc")
    match = ROUTER.match("PATCH", base)
    assert match is not None and match.route == USER and dict(match.path_params) == {ID_PARAM: "abc"} and match.suffix is None
    match = ROUTER.match("patch", base + ".jsv")
    assert match is not None and dict(match.path_params) == {ID_PARAM: "abc"} and match.suffix is Format.JSV
    match = ROUTER.match("PATCH", base + ".JSV")
    assert match is not None and dict(match.path_params) == {ID_PARAM: "abc.JSV"} and match.suffix is None


def test_every_contract_route_matches_case_insensitively() -> None:
    for route in OP.routes:
        path = route.path.replace("{" + ID_PARAM + "}", "x")
        for candidate in (path, path.upper()):
            match = ROUTER.match(route.method, candidate)
            assert match is not None and match.route == route, candidate


def test_other_methods_match_the_path_without_a_route() -> None:
    match = ROUTER.match("GET", USER.path.replace("{" + ID_PARAM + "}", "x"))
    assert match is not None and match.route is None and match.allowed == (USER.method,)


def test_unknown_paths_do_not_match() -> None:
    for path in ("/", "/ai/sessions", "/ai/sessionsx/a", "/api/Other", "/xml/reply/PatchAISessionX"):
        assert ROUTER.match("PATCH", path) is None


def test_a_decoded_path_no_route_matches_lets_the_id_span_slashes() -> None:
    # `/ai/sessions/a/b` can only have been sent as `/ai/sessions/a%2Fb` (section 8).
    match = ROUTER.match("PATCH", "/ai/sessions/a/b")
    assert match is not None and dict(match.path_params) == {ID_PARAM: "a/b"}




_FAMILY = [route for name in CONTRACT.operations for route in CONTRACT.operation(name).routes]
_segments = st.sampled_from(["ai", "AI", "sessions", "api", "json", "reply", "actions", "x", "", "{id}", "a.json", "usage"])


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(_segments, min_size=0, max_size=7), method=st.sampled_from(["GET", "PATCH", "POST", "DELETE"]))
def test_the_route_table_finds_what_trying_every_route_finds(parts: list[str], method: str) -> None:
    """The router only tries routes of the path's segment count and first literal; trying every
    route of the family must find the same."""
    router = OperationRouter(_FAMILY)
    path = "/" + "/".join(parts)
    everything = router._match(method, path, list(router._compiled))  # a copy: not the table's own
    assert router._match(method, path, router._compiled) == everything
    assert router.match(method, path) == (everything or router._match(method, path, router._spanning))


def test_a_remembered_match_is_the_match_of_its_raw_path_too() -> None:
    router = OperationRouter(OP.routes)
    decoded = USER.path.replace("{" + ID_PARAM + "}", "a/b")
    raw = USER.path.replace("{" + ID_PARAM + "}", "a%2Fb")
    spanning = router.match("PATCH", decoded)  # no raw path: the variable spans the slash
    assert spanning is not None and dict(spanning.path_params) == {ID_PARAM: "a/b"}
    assert router.match("PATCH", decoded) is spanning
    exact = router.match("PATCH", decoded, raw_path=raw)
    assert exact is not None and dict(exact.path_params) == {ID_PARAM: "a/b"} and exact is not spanning


def test_remembered_matches_are_bounded() -> None:
    router = OperationRouter(OP.routes)
    for number in range(3000):
        router.match("PATCH", USER.path.replace("{" + ID_PARAM + "}", f"id-{number}"))
    assert 0 < len(router._known) <= 2048
    match = router.match("PATCH", USER.path.replace("{" + ID_PARAM + "}", "id-1"))
    assert match is not None and dict(match.path_params) == {ID_PARAM: "id-1"}
