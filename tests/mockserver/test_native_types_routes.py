"""ServiceStack's native types routes on the mock: `GET /types`, `/types/typescript`, `/types/python`,
generated from the mock's own contract, without authentication."""

from __future__ import annotations

import json
import re

import pytest
import requests
from flask.testing import FlaskClient

from evokit.contract.metadata import metadata_types
from evokit.contract.native import Options, python, typescript
from tests.mockserver.server import LiveServer, live
from tests.mockserver.support import CONTRACT, Mock, client, error_of, mock

__all__ = ["client", "live", "mock"]

# Per language: the comment prefix, how a class is declared, and how a request names its method.
LANGUAGES = {"typescript": ("//", "export class ", "public getMethod() {{ return '{verb}'; }}"),
             "python": ("#", "class ", None)}
TEXT = "text/plain; charset=utf-8"


def verb_of(name: str) -> str | None:
    methods = {r.method for r in CONTRACT.operation(name).routes if r.kind == "user"}
    return methods.pop() if len(methods) == 1 else None


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_dtos_are_text_with_servicestacks_options_header(client: FlaskClient, language: str) -> None:
    response = client.get(f"/types/{language}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == TEXT
    prefix = LANGUAGES[language][0]
    opening = "/* Options:" if language == "typescript" else '""" Options:'
    header = response.get_data(as_text=True).split("\n\n", 2)[:2]
    assert header[0].splitlines() == [
        opening, "Date: 2025-01-02 03:04:05", "Version: 8.0",  # the mock's clock; its X-Powered-By version
        f'Tip: To override a DTO option, remove "{prefix}" prefix before updating', "BaseUrl: http://localhost",
    ]
    settings = header[1].splitlines()
    assert settings[0] == f"{prefix}GlobalNamespace: " and f"{prefix}AddServiceStackTypes: True" in settings


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("name", sorted(CONTRACT.operations))
def test_every_operation_of_the_contract_is_there_with_its_verb(client: FlaskClient, language: str, name: str) -> None:
    text = client.get(f"/types/{language}").get_data(as_text=True)
    prefix, declaration, method = LANGUAGES[language]
    route = CONTRACT.operation(name).user_route
    verb = verb_of(name)
    assert f'{prefix} @Route("{route.path}"{f", {json.dumps(verb)}" if verb else ""})' in text
    marker = "IReturnVoid" if CONTRACT.operation(name).response is None else "IReturn"
    line = next((line for line in text.splitlines() if re.match(rf"{declaration}{name}[ (]", line)), None)
    assert line is not None and marker in line, f"{name} is not a request DTO"
    if verb:  # the verb interface the official clients send it by
        assert line.rstrip(":").rstrip(")").endswith("I" + verb.capitalize())
        if method:
            assert method.format(verb=verb) in text


def test_the_views_serve_what_the_generators_write_for_the_mocks_contract(mock: Mock) -> None:
    document = json.loads(json.dumps(metadata_types(CONTRACT)))
    for language, generator in (("typescript", typescript), ("python", python)):
        served = mock.client.get(f"/types/{language}").get_data(as_text=True)
        date = mock.clock.now.replace(microsecond=0)
        assert served == generator(document, options=Options(base_url="http://localhost", date=date))


def test_another_language_is_an_unknown_path_and_other_verbs_are_refused(client: FlaskClient) -> None:
    response = client.get("/types/csharp")
    assert response.status_code == 404
    assert error_of(response.data)["errorCode"] == "NotFound"
    assert client.post("/types/typescript").status_code == 405


@pytest.mark.socket
def test_the_index_links_each_route_and_every_link_answers_without_credentials(live: LiveServer) -> None:
    response = requests.get(f"{live.url}/types", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    links = response.json()
    assert list(links) == ["Metadata", "TypeScript", "Python"]  # ServiceStack's names, in its order
    for name, url in links.items():
        assert url == f"{live.url}/types/{name.lower()}"
        answer = requests.get(url, timeout=5)
        assert answer.status_code == 200, url
        if name != "Metadata":
            assert answer.headers["Content-Type"] == TEXT
            assert f"\nBaseUrl: {live.url}\n" in answer.text  # where the client reached the mock
